"""Envoyer un document (facture, devis, justificatif...) (guide 000).

Also the pieces the other member forms share: an amount typed the French way ("12,50"), a date
that cannot be in the future, and a beneficiary list whose first line says what to do.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import AttachmentsField
from documents.rules import SEND_DOCUMENT
from requests_app.forms.base import BeneficiaryField, RequestForm

MESSAGE_MAX_LENGTH = 5000
# Guide 000: "Attention, le montant de la facture est de maximum 150 €."
INVOICE_MAX_AMOUNT = Decimal("150")
INVOICE_MAX_WARNING = _("Attention, le montant de la facture est de maximum 150 €.")

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

# Spaces people (and spreadsheets) put in amounts: "1 234,50 €".
_AMOUNT_NOISE = str.maketrans("", "", " \u00a0\u202f\u2009€")


class EuroAmountField(forms.DecimalField):
    """An amount in euros, typed "12,50", "12.50" or "12,50 €", whatever the page language.

    A text input (not type="number"): a browser shows nothing for a number input holding
    "12,50", so a value typed the French way would vanish when the form comes back.
    """

    default_error_messages = {
        "positive": _("Le montant doit être supérieur à 0 €."),
    }

    def __init__(self, *, max_amount: Decimal, max_message, **kwargs):
        self.max_amount = max_amount
        self.max_message = max_message
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(_AMOUNT_NOISE).replace(",", ".")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value <= 0:
            raise forms.ValidationError(self.error_messages["positive"], code="positive")
        if value > self.max_amount:
            raise forms.ValidationError(self.max_message, code="max_value")


class PastDateField(forms.DateField):
    """A date that cannot be after today (the date of care or of a session)."""

    def __init__(self, *, future_message, **kwargs):
        self.future_message = future_message
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        # Today, when the page is drawn (each form holds its own copy of the field).
        self.widget.attrs["max"] = timezone.localdate().isoformat()
        return super().get_bound_field(form, field_name)

    def validate(self, value):
        super().validate(value)
        if isinstance(value, datetime.date) and value > timezone.localdate():
            raise forms.ValidationError(self.future_message, code="future")


def message_field(*, label, help_text=None, required=False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=help_text,
    )


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
        help_text=INVOICE_MAX_WARNING,
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
