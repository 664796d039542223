"""Résoudre: the answer a manager writes to the member, with files, from the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.rules import ANSWER

ANSWER_MAX_LENGTH = 10000


class AnswerForm(AttachmentsFormMixin, forms.Form):
    """Built with `user=` (the manager, uploader of the files). Files sent with the form are kept
    as pending uploads even when the text is missing, so nothing has to be chosen again."""

    text = forms.CharField(
        label=_("Réponse à l'adhérent"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        error_messages={"required": _("Écrivez la réponse à l'adhérent.")},
        help_text=_(
            "L'adhérent la lira dans son espace, rubrique « Mes documents » > « Historique des "
            "mails ». L'email qui le prévient ne contient jamais la réponse."
        ),
    )
    attachments = AttachmentsField(rules=ANSWER, required=False)
