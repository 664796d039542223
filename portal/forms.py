"""Form pieces every app's forms share: typed dates, long free text, choices that the error
summary can point at."""

import phonenumbers
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

# Dates are typed jj/mm/aaaa (ISO is accepted too, as a browser's autofill may send it).
# jj/mm/aaaa (also j/m/aaaa), jj/mm/aa ("1/2/26": 2000-2068, then 1969-1999), ISO from a
# browser's date picker.
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": gettext_lazy("Saisissez une date valide au format jj/mm/aaaa.")}
# The format said in words under the field, not only in its placeholder (which goes on typing).
DATE_HELP = gettext_lazy("Au format jj/mm/aaaa, par exemple 17/05/2025.")


def with_date_help(help_text=""):
    """`help_text` followed by the date format."""
    return format_lazy("{} {}", help_text, DATE_HELP) if help_text else DATE_HELP


def date_widget() -> forms.DateInput:
    return forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": gettext_lazy("jj/mm/aaaa"), "inputmode": "numeric"},
    )


class _FirstChoiceLabelled:
    """The error summary's link leads to the first choice (Django gives fieldset widgets no
    target, so the link would go nowhere)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class ToggleCheckboxes(_FirstChoiceLabelled, forms.CheckboxSelectMultiple):
    pass


class ChoiceRadios(_FirstChoiceLabelled, forms.RadioSelect):
    pass


class LongTextField(forms.CharField):
    """Free text in a textarea, a line break counted as one character as the browser counts it
    (a form posts "\\r\\n"): what the box let a person type is never refused as too long."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def phone_e164(value: str) -> str | None:
    """A phone number as typed or found in a file ("05 56 12 34 56", "+33 5 56 ..."), French
    when it has no country code, in its stored form "+33556123456"; None when it is no valid
    number."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
