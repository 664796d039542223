from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.rules import SEND_DOCUMENT
from portal.forms import LongTextField

MESSAGE_MAX_LENGTH = 5000
QUESTION_MAX_LENGTH = 500
SEARCH_MAX_LENGTH = 200

CONTACT_TOPICS = [
    ("", _("Sélectionnez l'objet de votre message")),
    ("reimbursement", _("Mes remboursements")),
    ("card", _("Ma carte de tiers payant")),
    ("contract", _("Mon contrat et mes garanties")),
    ("contribution", _("Mes cotisations")),
    ("space", _("Mon espace adhérent")),
    ("other", _("Autre")),
]


class FaqSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher dans la FAQ"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def query(self) -> str:
        """The words searched for ("" when none or too long)."""
        if not self.is_valid():
            return ""
        return " ".join(self.cleaned_data["q"].split())


class AdvisorForm(forms.Form):
    question = forms.CharField(
        label=_("Votre question"),
        max_length=QUESTION_MAX_LENGTH,
        error_messages={
            "required": _("Écrivez votre question."),
            "max_length": _("Votre question ne peut pas dépasser %(limit_value)d caractères."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ContactForm(AttachmentsFormMixin, forms.Form):
    """ "Joignez-nous par e-mail" (guides 002, 003). Built with `user=` (the uploader)."""

    topic = forms.ChoiceField(
        label=_("Objet"),
        choices=CONTACT_TOPICS,
        error_messages={"required": _("Choisissez l'objet de votre message.")},
    )
    message = LongTextField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("5000 caractères au maximum."),
        error_messages={
            "required": _("Écrivez votre message."),
            "max_length": _(
                "Votre message ne peut pas dépasser %(limit_value)d caractères "
                "(il en compte %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = AttachmentsField(rules=SEND_DOCUMENT, required=False, label=_("Documents"))

    def topic_label(self) -> str:
        """The chosen object in French, as the managers read it."""
        with override("fr"):
            return str(dict(CONTACT_TOPICS)[self.cleaned_data["topic"]])
