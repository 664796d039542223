"""The locator's GET form: a specialty, then a postcode and/or a city, or the browser's position.

Parameter names are the French words shown in the address bar. The form only validates and
resolves the place (offline, directory/communes.py) into a `selectors.Area` and words for the
page: the search itself is `selectors.professionals_in`.
"""

from dataclasses import dataclass

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import communes
from directory.models import Specialty
from directory.selectors import Area

RADII_KM = (5, 10, 20, 50, 100)
DEFAULT_RADIUS_KM = 20


@dataclass(frozen=True)
class Place:
    """What was searched: the area, how the page names it ("33000 Bordeaux", "votre
    position"), and whether it is the browser's position."""

    area: Area
    label: str
    is_position: bool = False


class PlainSelect(forms.Select):
    """A select written in Python rather than one template include per option: this page is
    the most visited of the tools (bench figure `locator_search`)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if str(choice) == selected else ""}>'
            f"{escape(label)}</option>"
            for choice, label in self.choices
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{escape(name)}"{final_attrs}>{options}</select>'
        )


class LocatorForm(forms.Form):
    specialite = forms.ChoiceField(
        label=gettext_lazy("Spécialité"),
        widget=PlainSelect,
        choices=[("", gettext_lazy("Choisissez une spécialité")), *Specialty.choices],
        error_messages={"required": gettext_lazy("Choisissez une spécialité.")},
    )
    code_postal = forms.CharField(
        label=gettext_lazy("Code postal"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}
        ),
    )
    ville = forms.CharField(
        label=gettext_lazy("Ville"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    tiers_payant = forms.BooleanField(
        label=gettext_lazy("Uniquement les professionnels pratiquant le tiers payant"),
        required=False,
    )
    # Filled by "Autour de moi" (static/js/locator.js), kept by the pagination links.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    rayon = forms.TypedChoiceField(
        required=False,
        choices=[(radius, str(radius)) for radius in RADII_KM],
        coerce=int,
        empty_value=DEFAULT_RADIUS_KM,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place: Place | None = None
        # Communes offered when a city name is ambiguous: [(postcode, name)].
        self.city_choices: list[tuple[str, str]] = []

    def clean_code_postal(self) -> str:
        postcode = "".join(self.cleaned_data["code_postal"].split())
        if not postcode:
            return ""
        if not communes.POSTCODE.fullmatch(postcode):
            raise forms.ValidationError(_("Saisissez un code postal à 5 chiffres."))
        if not communes.postcode_exists(postcode):
            raise forms.ValidationError(_("Ce code postal n'existe pas."))
        return postcode

    def clean_ville(self) -> str:
        return " ".join(self.cleaned_data["ville"].split())

    def clean_rayon(self) -> int:
        # A radius nobody could choose falls back to the default rather than failing.
        return self.cleaned_data.get("rayon") or DEFAULT_RADIUS_KM

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("lat"), data.get("lon")
        if "lat" in self.errors or "lon" in self.errors:
            self.errors.pop("lat", None)
            self.errors.pop("lon", None)
            raise forms.ValidationError(
                _("Votre position n'a pas pu être lue : saisissez un code postal ou une ville.")
            )
        if latitude is not None and longitude is not None:
            self.place = Place(
                Area(origin=(latitude, longitude), radius_km=data.get("rayon")),
                _("votre position"),
                is_position=True,
            )
            return data
        if "code_postal" in self.errors:
            return data
        postcode, city = data.get("code_postal", ""), data.get("ville", "")
        if not postcode and not city:
            self.add_error(
                "code_postal",
                _("Saisissez un code postal ou une ville, ou utilisez « Autour de moi »."),
            )
            return data
        if postcode:
            self.place = self._postcode_place(postcode, city)
        else:
            self.place = self._city_place(city)
        return data

    def _postcode_place(self, postcode: str, city: str) -> Place | None:
        served = communes.by_postcode(postcode)
        if city:
            served_here = [commune for commune in served if commune.named(city)]
            if not served_here:
                names = ", ".join(commune.name for commune in served[:8])
                self.add_error(
                    "ville",
                    _(
                        "Cette ville ne correspond pas au code postal %(postcode)s "
                        "(communes de ce code postal : %(names)s)."
                    )
                    % {"postcode": postcode, "names": names},
                )
                return None
            served = served_here
        label = f"{postcode} {served[0].name}" if len(served) == 1 else postcode
        codes = tuple(code for commune in served for code in commune.codes) if city else ()
        return Place(
            Area(origin=communes.centre(served), postcode=postcode, insee_codes=codes), label
        )

    def _city_place(self, city: str) -> Place | None:
        found = communes.by_name(city)
        if not found:
            self.add_error(
                "ville",
                _(
                    "Nous ne trouvons aucune commune de ce nom : vérifiez l'orthographe ou "
                    "saisissez le code postal."
                ),
            )
            return None
        if len(found) > 1:
            self.city_choices = [
                (commune.postcodes[0] if commune.postcodes else "", commune.name)
                for commune in found[:10]
            ]
            self.add_error(
                "ville",
                _("Plusieurs communes portent ce nom : précisez le code postal."),
            )
            return None
        commune = found[0]
        return Place(
            Area(origin=communes.centre([commune]), insee_codes=commune.codes), commune.name
        )
