"""The search of "Mes remboursements santé" (guide 002): a period, a person, a type of care.

A plain GET form: parameter names are the French words shown in the address bar (`du`, `au`,
`beneficiaire`, `soins`). The period defaults to the last 12 months; a missing end is today and a
missing start is one year before the end, written back into the boxes so that the member sees the
period the list covers.
"""

import datetime

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cover.models import CareType
from cover.selectors import member_people
from portal.forms import DATE_ERRORS, DATE_FORMATS, DATE_HELP, date_widget

# The longest period one search (or one download of statements) may cover.
MAX_PERIOD_YEARS = 5
FIELDS = ("du", "au", "beneficiaire", "soins")


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February; the first day there is
    for a date typed in the first years of the calendar)."""
    year = day.year - years
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _display(day: datetime.date) -> str:
    """jj/mm/aaaa, the year on four digits whatever it is (strftime drops the zeros)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _parse(value) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(value).strip(), date_format).date()
        except ValueError:
            continue
    return None


class PaymentSearchForm(forms.Form):
    """ "Du" / "Au" (jj/mm/aaaa), the person cared for and the type of care; only the period is
    always set (to its default when left empty)."""

    du = forms.DateField(
        label=_("Du"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERRORS,
        help_text=DATE_HELP,
        widget=date_widget(),
    )
    au = forms.DateField(
        label=_("Au"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERRORS,
        help_text=DATE_HELP,
        widget=date_widget(),
    )
    beneficiaire = forms.ChoiceField(
        label=_("Bénéficiaire"),
        required=False,
        error_messages={
            "invalid_choice": _("Choisissez vous-même ou l'un de vos bénéficiaires dans la liste.")
        },
    )
    soins = forms.ChoiceField(
        label=_("Type de soins"),
        required=False,
        choices=[("", _("Tous les soins")), *CareType.choices],
        error_messages={"invalid_choice": _("Choisissez un type de soins dans la liste.")},
    )

    # The choices that are the same on every page (the people are the member's): the filter
    # bar builds their options once.
    static_choices = frozenset({"soins"})

    def __init__(self, member, data=None, *, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(self._with_default_period(data), **kwargs)
        self.people = {person.key: person for person in member_people(member)}
        self.fields["beneficiaire"].choices = [
            ("", _("Tous les bénéficiaires")),
            *[(person.key, person.full_name) for person in self.people.values()],
        ]

    def _with_default_period(self, data) -> QueryDict:
        """The GET data with the empty ends of the period filled (what is typed is kept)."""
        filled = QueryDict(mutable=True)
        if data is not None:
            for name in FIELDS:
                if name in data:
                    filled[name] = data.get(name, "")
        end_text = filled.get("au", "").strip()
        typed_end = _parse(end_text) if end_text else None
        if not end_text or (typed_end is not None and typed_end > self.today):
            # Nothing is paid in the future: "Au" after today means "up to today".
            filled["au"] = _display(self.today)
        if not filled.get("du", "").strip():
            end = _parse(filled["au"]) or self.today
            filled["du"] = _display(years_before(end, 1))
        return filled

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        for name, value in (("du", start), ("au", end)):
            if value is not None and value > self.today:
                self.add_error(
                    name,
                    _("La date ne peut pas être postérieure à aujourd'hui (%(today)s).")
                    % {"today": _display(self.today)},
                )
        if start is not None and end is not None:
            if end < start:
                self.add_error(
                    "au", _("La date « Au » doit être postérieure ou égale à la date « Du ».")
                )
            elif start < years_before(end, MAX_PERIOD_YEARS):
                self.add_error(
                    "du",
                    _(
                        "La période ne peut pas dépasser %(years)d ans : choisissez une date "
                        "« Du » plus récente."
                    )
                    % {"years": MAX_PERIOD_YEARS},
                )
        return cleaned

    # -- What the views read (only after is_valid()) ---------------------------------------
    @property
    def start(self) -> datetime.date:
        return self.cleaned_data["du"]

    @property
    def end(self) -> datetime.date:
        return self.cleaned_data["au"]

    @property
    def person(self):
        """The chosen `selectors.Person`, or None for everyone."""
        return self.people.get(self.cleaned_data.get("beneficiaire") or "")

    @property
    def care_type(self) -> str:
        return self.cleaned_data.get("soins") or ""

    @property
    def narrowed(self) -> bool:
        """A person or a type of care was chosen (beyond the period)."""
        return bool(self.person or self.care_type)

    @property
    def query(self) -> str:
        """The search as a query string (the period always written out), for the links that
        carry it: pages, detail, "Télécharger tous les relevés de la période"."""
        values = {name: (self.data.get(name) or "").strip() for name in FIELDS}
        return urlencode({name: value for name, value in values.items() if value})
