"""Forms of "Créer mon espace" (card data, then a password) and "Activer mon espace".

They validate and normalise only; the services decide what happens.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CodeDevice

EMAIL_ERRORS = {
    "required": _("Saisissez votre adresse email."),
    "invalid": _("Saisissez une adresse email valide (exemple : nom@domaine.fr)."),
}


def email_field(label=None, **kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=label or _("Adresse email"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


class SignupForm(forms.Form):
    """The data printed on the member card, and where to send the confirmation email."""

    member_number = forms.CharField(
        label=_("Numéro d'adhérent"),
        max_length=20,
        help_text=_("Tel qu'il figure sur votre carte d'adhérent."),
        error_messages={"required": _("Saisissez votre numéro d'adhérent.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=60,
        error_messages={"required": _("Saisissez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=60,
        error_messages={"required": _("Saisissez votre prénom.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        input_formats=["%d/%m/%Y"],
        help_text=_("Au format jj/mm/aaaa, par exemple 17/05/1980."),
        error_messages={
            "required": _("Saisissez votre date de naissance."),
            "invalid": _("Saisissez une date valide au format jj/mm/aaaa."),
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("jj/mm/aaaa"), "autocomplete": "bday", "inputmode": "numeric"},
        ),
    )
    email = email_field(
        help_text=_("Vous y recevrez l'email de confirmation, valable 48 heures."),
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        return value


class EmailForm(forms.Form):
    """One email address: a new sign-up link, or step 1 of the activation."""

    email = email_field()


class ActivationEmailForm(forms.Form):
    email = email_field(
        help_text=_("Saisissez l'adresse email communiquée lors de votre affiliation."),
    )


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Mode de réception du code d'activation"),
        choices=[
            (
                CodeDevice.Channel.SMS,
                _("Par SMS, sur le téléphone mobile communiqué lors de votre affiliation"),
            ),
            (CodeDevice.Channel.EMAIL, _("Par email, à l'adresse saisie")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez un mode de réception.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu"),
        max_length=12,
        help_text=_("6 chiffres. Le code est valable 5 minutes."),
        error_messages={"required": _("Saisissez le code reçu.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "code-input",
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("Saisissez les 6 chiffres du code reçu."))
        return code
