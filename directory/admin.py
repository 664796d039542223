"""The directory in the managers' admin: search, filters, and a form that places a
professional from the postcode and city (offline lookup) when the coordinates are left blank."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import communes
from directory.models import Professional
from portal.forms import phone_e164


class ProfessionalAdminForm(forms.ModelForm):
    class Meta:
        model = Professional
        fields = [
            "name",
            "specialty",
            "identifier",
            "tiers_payant",
            "active",
            "address",
            "postcode",
            "city",
            "phone",
            "insee_code",
            "latitude",
            "longitude",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("insee_code", "latitude", "longitude"):
            self.fields[name].required = False
            self.fields[name].help_text = gettext_lazy(
                "Laissé vide : déduit du code postal et de la ville."
            )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        number = phone_e164(value)
        if number is None:
            raise forms.ValidationError(_("Ce numéro de téléphone n'est pas valide."))
        return number

    def clean(self):
        data = super().clean()
        postcode, city = data.get("postcode", "").strip(), data.get("city", "")
        if not postcode or not city:
            return data
        served = communes.by_postcode(postcode)
        if not served:
            self.add_error("postcode", _("Ce code postal n'existe pas."))
            return data
        matching = [commune for commune in served if commune.named(city)]
        if not matching:
            self.add_error(
                "city",
                _("Cette ville ne correspond pas au code postal %(postcode)s (%(names)s).")
                % {"postcode": postcode, "names": ", ".join(c.name for c in served[:8])},
            )
            return data
        commune = matching[0]
        data["postcode"] = postcode
        data["insee_code"] = commune.insee
        if data.get("latitude") is None and data.get("longitude") is None:
            if not commune.has_centre:
                self.add_error("latitude", _("Le centre de cette commune n'est pas connu."))
                return data
            data["latitude"], data["longitude"] = commune.latitude, commune.longitude
        elif data.get("latitude") is None or data.get("longitude") is None:
            self.add_error("longitude", _("Latitude et longitude vont ensemble."))
        return data


@admin.register(Professional)
class ProfessionalAdmin(admin.ModelAdmin):
    form = ProfessionalAdminForm
    list_display = ("name", "specialty", "postcode", "city", "tiers_payant", "active")
    list_filter = ("specialty", "tiers_payant", "active")
    search_fields = ("name", "identifier", "postcode", "city")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("name", "specialty", "identifier", "tiers_payant", "active")}),
        (
            gettext_lazy("Adresse"),
            {
                "fields": ("address", "postcode", "city", "phone"),
                "description": gettext_lazy(
                    "L'annuaire se charge à partir d'un fichier CSV avec la commande "
                    "« manage.py import_professionals » (une ligne par professionnel, "
                    "rapport ligne à ligne)."
                ),
            },
        ),
        (
            gettext_lazy("Position"),
            {"fields": ("insee_code", "latitude", "longitude", "updated_at")},
        ),
    )
