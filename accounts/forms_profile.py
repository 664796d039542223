"""Forms of "Mes informations personnelles": address, new email, new mobile phone, password."""

import phonenumbers
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.addresses import postcode_city_check
from accounts.forms_password import PasswordChoiceForm
from accounts.forms_signup import email_field

# Metropolitan France and the overseas departments and territories that share its numbering.
FRENCH_REGIONS = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
PHONE_INVALID = _(
    "Saisissez un numéro de téléphone mobile français valide, par exemple 06 12 34 56 78."
)


class AddressForm(forms.Form):
    address_line1 = forms.CharField(
        label=_("Adresse"),
        max_length=120,
        error_messages={"required": _("Saisissez votre adresse.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line2 = forms.CharField(
        label=_("Complément d'adresse"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    postcode = forms.CharField(
        label=_("Code postal"),
        max_length=10,
        validators=[RegexValidator(r"^\d{5}$", _("Le code postal doit comporter 5 chiffres."))],
        error_messages={"required": _("Saisissez votre code postal.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label=_("Ville"),
        max_length=80,
        error_messages={"required": _("Saisissez votre ville.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )

    def clean_postcode(self):
        return self.cleaned_data["postcode"].strip()

    def clean(self):
        cleaned = super().clean()
        postcode_city_check(self, cleaned.get("postcode", ""), cleaned.get("city", ""))
        return cleaned


class EmailChangeForm(forms.Form):
    email = email_field(
        label=_("Nouvelle adresse email"),
        help_text=_("Un code de vérification sera envoyé à cette adresse."),
    )

    def __init__(self, *args, current: str = "", **kwargs):
        self.current = current
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.current or "").lower():
            raise forms.ValidationError(_("Cette adresse est déjà celle de votre espace."))
        return email


class PhoneChangeForm(forms.Form):
    mobile_phone = PhoneNumberField(
        label=_("Nouveau numéro de téléphone mobile"),
        region="FR",
        help_text=_(
            "Format : 06 12 34 56 78. Un code de vérification sera envoyé par SMS à ce numéro."
        ),
        error_messages={
            "required": _("Saisissez votre numéro de téléphone mobile."),
            "invalid": PHONE_INVALID,
        },
    )

    def __init__(self, *args, current: str = "", **kwargs):
        self.current = current
        super().__init__(*args, **kwargs)
        self.fields["mobile_phone"].widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
        )

    def clean_mobile_phone(self):
        number = self.cleaned_data["mobile_phone"]
        region = phonenumbers.region_code_for_number(number)
        kind = phonenumbers.number_type(number)
        mobile = kind in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        if region not in FRENCH_REGIONS or not mobile:
            raise forms.ValidationError(PHONE_INVALID)
        if number.as_e164 == self.current:
            raise forms.ValidationError(_("Ce numéro est déjà celui de votre espace."))
        return number


class PasswordChangeForm(PasswordChoiceForm):
    current_password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        error_messages={"required": _("Saisissez votre mot de passe actuel.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "password1", "password2"]

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Le mot de passe actuel est incorrect."))
        return password
