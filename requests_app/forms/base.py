"""What every request form shares: the beneficiary choice, attachments, and the summary.

A request form subclasses `RequestForm`, declares its fields (labels from the guides) and
implements `submission()`: the keyword arguments of `member_request_submit` it produces. The
summary ("Vérifier le résumé") is built from the fields themselves, so it always shows what
will be sent, with the labels the person saw.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.models import Member
from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.sizes import file_size
from portal.forms import DATE_ERRORS, DATE_FORMATS, LongTextField, date_widget, with_date_help  # noqa: F401 - shared by the request forms

SELF = "self"


class BeneficiaryField(forms.ChoiceField):
    """Bénéficiaire concerné: the member themself or one of their ayants droit (and no one
    else: another member's beneficiary is not a valid choice)."""

    def __init__(self, *, member: Member | None = None, placeholder=None, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Bénéficiaire concerné"))
        super().__init__(**kwargs)
        self.placeholder = placeholder or gettext_lazy("Sélectionnez le bénéficiaire")
        self.member = member
        if member is not None:
            self.set_member(member)

    def set_member(self, member: Member):
        self.member = member
        self._beneficiaries = {str(b.pk): b for b in member.beneficiaries.all()}
        self.choices = [
            ("", str(self.placeholder)),
            (SELF, _("%(name)s (vous-même)") % {"name": member.full_name}),
            *[(pk, b.full_name) for pk, b in self._beneficiaries.items()],
        ]

    def clean(self, value):
        value = super().clean(value)
        if value in ("", SELF):
            return None
        return self._beneficiaries[value]


class RequestForm(AttachmentsFormMixin, forms.Form):
    """Base of the request forms. Built with `member=` and `user=` (the member's account)."""

    def __init__(self, *args, member: Member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, BeneficiaryField):
                field.set_member(member)

    # -- Summary -------------------------------------------------------------------------
    def display_value(self, name: str) -> str:
        """The cleaned value of `name` as the person chose it (the label, not the code)."""
        field = self.fields[name]
        value = self.cleaned_data.get(name)
        if isinstance(field, BeneficiaryField):
            return (value or self.member).full_name
        if isinstance(field, AttachmentsField):
            return ", ".join(f"{f.original_name} ({file_size(f.size)})" for f in value or [])
        if value in (None, "", [], ()):
            return ""
        if isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)
            return ", ".join(str(labels.get(v, v)) for v in value)
        if isinstance(field, forms.ChoiceField):
            return str(dict(field.choices).get(value, value))
        if isinstance(field, forms.BooleanField):
            return _("Oui") if value else _("Non")
        if isinstance(value, Decimal):
            return f"{number_format(value, 2)} €"
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return str(value)

    def summary_items(self) -> list[tuple[str, str]]:
        """(label, value) for every field with a value, in the form's order."""
        items = []
        for name, field in self.fields.items():
            shown = self.display_value(name)
            if shown:
                items.append((str(field.label), shown))
        return items

    def details(self) -> list[dict]:
        """The summary in French, as the managers read it, stored with the request."""
        with override("fr"):
            return [{"label": label, "value": value} for label, value in self.summary_items()]

    # -- Submission ----------------------------------------------------------------------
    def submission(self) -> dict:
        """Keyword arguments for `member_request_submit` (kind excepted). Subclasses add
        `topic`, `subject`, `amount`... The defaults pick the common fields by name."""
        data = self.cleaned_data
        result = {
            "details": self.details(),
            "message": data.get("message", "") or "",
            "beneficiary": data.get("beneficiary"),
            "attachments": [
                stored
                for name, _field in self.attachment_fields()
                for stored in data.get(name) or []
            ],
        }
        if "topic" in self.fields:
            result["topic"] = data.get("topic") or ""
            with override("fr"):
                result["topic_label"] = self.display_value("topic")
        if "subject" in self.fields:
            result["subject"] = data.get("subject") or ""
        if "amount" in self.fields:
            result["amount"] = data.get("amount")
        return result


# -- Fields the request forms share -----------------------------------------------------------
MESSAGE_MAX_LENGTH = 5000
# Spaces people (and spreadsheets) put in amounts: "1 234,50 €".
_AMOUNT_NOISE = str.maketrans("", "", " \u00a0\u202f\u2009€")


class EuroAmountField(forms.DecimalField):
    """An amount in euros, typed "12,50", "12.50" or "12,50 €", whatever the page language.

    A text input (not type="number"): a browser shows nothing for a number input holding
    "12,50", so a value typed the French way would vanish when the form comes back.
    """

    default_error_messages = {
        "positive": gettext_lazy("Le montant doit être supérieur à 0 €."),
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
        kwargs.setdefault("widget", date_widget())
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs["help_text"] = with_date_help(kwargs.get("help_text", ""))
        kwargs["error_messages"] = {**DATE_ERRORS, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if isinstance(value, datetime.date) and value > timezone.localdate():
            raise forms.ValidationError(self.future_message, code="future")


def message_field(*, label, help_text=None, required=False, rows=6) -> forms.CharField:
    """Free text for the managers: 5000 characters at most, on every form."""
    return LongTextField(
        label=label,
        required=required,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )
