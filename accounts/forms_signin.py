"""Forms of sign-in, second factor, forgotten password and authenticator app: validation only."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms_password import PasswordChoiceForm
from accounts.forms_profile import PhoneChangeForm

CODE_RE = re.compile(r"^\d{6}$")


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifiant"),
        max_length=254,
        help_text=_(
            "Votre numéro d'adhérent (n° assuré, visible en haut à droite de la carte TP) ou "
            "votre adresse email."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class ReauthPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Mot de passe actuel"),
        max_length=4096,
        strip=False,
        error_messages={"required": _("Saisissez votre mot de passe actuel.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class DeviceChoiceForm(forms.Form):
    """Choose where the code goes: `choices` are (persistent id, label) of the user's devices."""

    device = forms.ChoiceField(label=_("Recevoir le code par"), widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].choices = choices


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de sécurité"),
        max_length=20,
        help_text=_("Le code à 6 chiffres reçu ou affiché dans votre application."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "code-input",
            }
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not CODE_RE.match(code):
            raise forms.ValidationError(_("Le code est composé de 6 chiffres."))
        return code

    def code_was_sent(self, *, by_sms: bool = False) -> None:
        """The code went by SMS or email: its help does not speak of an authenticator app,
        which the person may not have."""
        self.fields["code"].help_text = (
            _("Le code à 6 chiffres reçu par SMS.")
            if by_sms
            else _("Le code à 6 chiffres que vous avez reçu.")
        )


class SigninCodeForm(CodeForm):
    """The code of a sign-in, with the choice to remember this browser (unticked: a shared
    computer must not skip the code next time)."""

    remember = forms.BooleanField(
        label=_("Se souvenir de ce navigateur"),
        required=False,
        help_text=_(
            "Le code ne vous sera plus demandé sur ce navigateur pendant 90 jours, depuis la "
            "même connexion internet. Ne cochez pas sur un ordinateur partagé."
        ),
    )


class SigninPhoneForm(PhoneChangeForm):
    """Guide 003's security screen: the mobile phone indicated or confirmed at sign-in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["mobile_phone"]
        field.label = _("Numéro de téléphone mobile")
        field.help_text = _(
            "Format : 06 12 34 56 78. Un code de sécurité vous sera envoyé par SMS à ce numéro."
        )


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifiant ou adresse email"),
        max_length=254,
        help_text=_("Votre numéro d'adhérent, votre identifiant ou votre adresse email."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class NewPasswordForm(PasswordChoiceForm):
    """Choose a new password after a reset link (the same rules as everywhere)."""
