"""Forms of the conversation on a case: a requester's message, a manager's message, a
cancellation. Validation only; the writes are `casework.services`."""

import uuid
from dataclasses import replace

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.rules import ANSWER, SEND_DOCUMENT, UploadRules
from portal.forms import ChoiceRadios, LongTextField

MESSAGE_MAX_LENGTH = 5000
INSURER_MESSAGE_MAX_LENGTH = 10000


class _TokenMixin:
    """A one-time token carried by the form, so that posting it twice records one message."""

    def _add_token(self):
        self.fields["token"] = forms.UUIDField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())


class CaseMessageForm(_TokenMixin, AttachmentsFormMixin, forms.Form):
    """A requester's message: text and files. Built with `user=` (the uploader), `rules=` (what
    one message may carry), `room=` (how many more files the case takes in all, of `limit`),
    and the page's wording (`label`, `required_message`)."""

    text = LongTextField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _(
                "Le message ne doit pas dépasser 5000 caractères "
                "(vous en avez saisi %(show_value)d)."
            ),
        },
    )
    files = AttachmentsField(rules=SEND_DOCUMENT, required=False, label=_("Documents"))

    def __init__(
        self,
        *args,
        rules: UploadRules,
        room: int,
        limit: int | None = None,
        label=None,
        required_message=None,
        files_label=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._add_token()
        text = self.fields["text"]
        if label:
            text.label = label
        text.error_messages["required"] = required_message or _("Écrivez votre message.")
        self.room = max(room, 0)
        if self.room == 0:
            del self.fields["files"]
            if limit:
                text.help_text = _(
                    "Cette demande compte déjà %(count)s pièces jointes, le maximum : vous "
                    "pouvez encore écrire, sans fichier. Pour d'autres documents, faites une "
                    "nouvelle demande."
                ) % {"count": limit}
            return
        field = self.fields["files"]
        field.rules = replace(rules, max_files=min(rules.max_files, self.room))
        field.widget.rules = field.rules
        if files_label:
            field.label = files_label

    @property
    def attachments(self):
        return self.cleaned_data.get("files") or []


class InsurerMessageForm(_TokenMixin, AttachmentsFormMixin, forms.Form):
    """A manager's message in the admin ("Demander un complément", "Résoudre"). Built with
    `user=` (the manager, uploader of the files), the page's wording, and `email_text`: None
    when the text may not go by email, else the box's initial value. Files sent with the form
    are kept as pending uploads even when the text is missing, so nothing is chosen twice."""

    text = forms.CharField(
        max_length=INSURER_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
    )
    attachments = AttachmentsField(rules=ANSWER, required=False)
    email_text = forms.BooleanField(
        required=False,
        help_text=_(
            "Le texte part dans la boîte mail personnelle du demandeur : n'y écrivez aucune "
            "donnée de santé. Les pièces jointes ne partent jamais par email : elles restent "
            "dans l'espace sécurisé."
        ),
    )

    def __init__(
        self, *args, label, help_text, required_message, email_text=None, email_label="", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self._add_token()
        text = self.fields["text"]
        text.label = label
        text.help_text = help_text
        text.error_messages["required"] = required_message
        if email_text is None:
            del self.fields["email_text"]
        else:
            self.fields["email_text"].label = email_label
            if not self.is_bound:
                self.initial["email_text"] = email_text


class CancelForm(forms.Form):
    """A cancellation: the reason, among the case type's."""

    reason = forms.ChoiceField(
        label=_("Motif de l'annulation"),
        widget=ChoiceRadios,
        error_messages={"required": _("Sélectionnez le motif de l'annulation.")},
    )

    def __init__(self, *args, reasons: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = list(reasons.items())


class CaseNoteForm(forms.Form):
    """An internal note: for the managers only."""

    text = forms.CharField(
        label=_("Nouvelle note interne"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible des gestionnaires seulement, jamais du demandeur."),
        error_messages={"required": _("Écrivez la note.")},
    )


class AssignForm(forms.Form):
    """The colleague the selected requests are given to."""

    assignee = forms.ModelChoiceField(
        label=_("Gestionnaire"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choisissez le gestionnaire.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = candidates.order_by("last_name", "first_name", "username")
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
