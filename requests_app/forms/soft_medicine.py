"""Médecine douce (guide 000): "Le formulaire de médecine douce est un formulaire à part."

The sessions of a practitioner the social security does not cover: who, where, how many, when
the last one was, and the invoice (at most 150 €, as for "Envoyer un document").
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import AttachmentsField
from documents.rules import SEND_DOCUMENT
from requests_app.forms.base import (
    BeneficiaryField,
    EuroAmountField,
    PastDateField,
    RequestForm,
    message_field,
)
from requests_app.forms.document import (
    INVOICE_AMOUNT_HELP,
    INVOICE_MAX_AMOUNT,
    INVOICE_MAX_WARNING,
)

MAX_SESSIONS = 20

PRACTITIONER_TYPES = [
    ("", _("Sélectionner le type de praticien")),
    ("osteopath", _("Ostéopathe")),
    ("chiropractor", _("Chiropracteur")),
    ("acupuncturist", _("Acupuncteur")),
    ("etiopath", _("Étiopathe")),
    ("podiatrist", _("Pédicure-podologue")),
    ("psychologist", _("Psychologue")),
    ("dietitian", _("Diététicien")),
    ("sophrologist", _("Sophrologue")),
    ("naturopath", _("Naturopathe")),
]


class SoftMedicineForm(RequestForm):
    topic = forms.ChoiceField(label=_("Type de praticien"), choices=PRACTITIONER_TYPES)
    practitioner_name = forms.CharField(label=_("Nom du praticien"), max_length=150)
    practitioner_city = forms.CharField(label=_("Ville du praticien"), max_length=100)
    beneficiary = BeneficiaryField(placeholder=_("Sélectionner le bénéficiaire concerné"))
    sessions = forms.IntegerField(
        label=_("Nombre de séances"),
        min_value=1,
        max_value=MAX_SESSIONS,
        help_text=_("Entre 1 et 20 séances."),
        error_messages={
            "min_value": _("Indiquez un nombre de séances entre 1 et 20."),
            "max_value": _("Indiquez un nombre de séances entre 1 et 20."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    last_session_date = PastDateField(
        label=_("Date de la dernière séance"),
        future_message=_("La date de la dernière séance ne peut pas être dans le futur."),
    )
    amount = EuroAmountField(
        label=_("Montant total de la facture (€)"),
        max_amount=INVOICE_MAX_AMOUNT,
        max_message=INVOICE_MAX_WARNING,
        help_text=INVOICE_AMOUNT_HELP,
    )
    files = AttachmentsField(rules=SEND_DOCUMENT, required=True)
    message = message_field(
        label=_("Informations complémentaires"),
        help_text=_(
            "Compléter avec toute information supplémentaire qui pourrait être utile pour le "
            "gestionnaire dans le traitement de la demande"
        ),
    )
