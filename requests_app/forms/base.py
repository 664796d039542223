"""What every request form shares: the beneficiary choice, attachments, and the summary.

A request form subclasses `RequestForm`, declares its fields (labels from the guides) and
implements `submission()`: the keyword arguments of `member_request_submit` it produces. The
summary ("Vérifier le résumé") is built from the fields themselves, so it always shows what
will be sent, with the labels the person saw.
"""

from decimal import Decimal

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.models import Member
from documents.forms import AttachmentsField, AttachmentsFormMixin

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

    # Fields whose value stands apart in MemberRequest; everything else goes to `details`.
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
            return ", ".join(f"{f.original_name} ({filesizeformat(f.size)})" for f in value or [])
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
            "attachments": [f for _n, fld in self.attachment_fields() for f in data.get(_n) or []],
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
