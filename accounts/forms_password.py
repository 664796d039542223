"""The one form for choosing a password: sign-up, activation, reset and change all use it."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

PASSWORD_HELP = _(
    "Au moins 12 caractères, sans autre règle de composition : une phrase facile à retenir "
    "pour vous et difficile à deviner convient très bien. Les mots de passe trop courants "
    "sont refusés."
)


class PasswordChoiceForm(forms.Form):
    """A new password typed twice, checked by the project's validators (CNIL: 12 characters,
    128 at most, common passwords refused, no composition rule)."""

    password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        help_text=PASSWORD_HELP,
        error_messages={"required": _("Choisissez un mot de passe.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        error_messages={"required": _("Saisissez de nouveau le mot de passe.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        return cleaned
