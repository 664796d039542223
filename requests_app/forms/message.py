"""Écrire un message (guide 003, messagerie sécurisée): the beneficiary concerned, the category
and the object of the message, the message and any documents, "Envoyer le message"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import AttachmentsField
from documents.rules import SEND_DOCUMENT
from requests_app.forms.base import BeneficiaryField, RequestForm, message_field

SUBJECT_MAX_LENGTH = 150

MESSAGE_CATEGORIES = [
    ("", _("Sélectionnez la catégorie")),
    ("reimbursement", _("Remboursements")),
    ("contract", _("Contrat et garanties")),
    ("card", _("Carte de tiers payant")),
    ("contribution", _("Cotisations")),
    ("personal", _("Informations personnelles")),
    ("other", _("Autre")),
]


class MessageForm(RequestForm):
    beneficiary = BeneficiaryField(placeholder=_("Sélectionnez le bénéficiaire concerné"))
    topic = forms.ChoiceField(label=_("Catégorie"), choices=MESSAGE_CATEGORIES)
    subject = forms.CharField(label=_("Objet du message"), max_length=SUBJECT_MAX_LENGTH)
    message = message_field(
        label=_("Votre message"),
        required=True,
        help_text=_("5000 caractères au maximum."),
    )
    files = AttachmentsField(rules=SEND_DOCUMENT, required=False, label=_("Documents"))
