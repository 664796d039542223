"""Envoyer un document (facture, devis, justificatif...) (guide 000)."""

from decimal import Decimal

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

# Guide 000: "Attention, le montant de la facture est de maximum 150 €."
INVOICE_MAX_AMOUNT = Decimal("150")
INVOICE_MAX_WARNING = _("Attention, le montant de la facture est de maximum 150 €.")
# The field's help says the format and the limit in other words: shown with the warning as its
# error, the same sentence twice under the field read as a glitch.
INVOICE_AMOUNT_HELP = _("En euros, par exemple 42,80 (150 € au maximum).")

INVOICE = "invoice"
DOCUMENT_TYPES = [
    ("", _("Préciser le type de demande")),
    (INVOICE, _("Facture")),
    ("quote", _("Devis")),
    ("proof", _("Justificatif")),
    ("certificate", _("Attestation")),
    ("other", _("Autre document")),
]

# "Le formulaire de médecine douce est un formulaire à part": it is not one of these.
CARE_TYPES = [
    ("", _("Sélectionner le type de soins")),
    ("consultation", _("Consultation")),
    ("pharmacy", _("Pharmacie")),
    ("optical", _("Optique")),
    ("dental", _("Dentaire")),
    ("hearing", _("Audioprothèse")),
    ("hospital", _("Hospitalisation")),
    ("tests", _("Analyses et examens")),
    ("radiology", _("Radiologie")),
    ("other", _("Autres soins")),
]


class DocumentForm(RequestForm):
    topic = forms.ChoiceField(label=_("Type de demande"), choices=DOCUMENT_TYPES)
    care = forms.ChoiceField(label=_("Type de soins"), choices=CARE_TYPES)
    beneficiary = BeneficiaryField(placeholder=_("Sélectionner le bénéficiaire concerné"))
    care_date = PastDateField(
        label=_("Date des soins"),
        required=False,
        help_text=_("Obligatoire pour une facture."),
        future_message=_("La date des soins ne peut pas être dans le futur."),
    )
    amount = EuroAmountField(
        label=_("Montant de la facture (€)"),
        required=False,
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

    def clean(self):
        data = super().clean()
        if data.get("topic") == INVOICE:
            for name, message in (
                ("care_date", _("Indiquez la date des soins de la facture.")),
                ("amount", _("Indiquez le montant de la facture.")),
            ):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, forms.ValidationError(message, code="required"))
        return data
