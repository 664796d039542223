from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Accept long passphrases, up to a bound that keeps hashing cheap (CNIL: no low cap)."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Le mot de passe ne peut pas dépasser %(max_length)d caractère.",
                    "Le mot de passe ne peut pas dépasser %(max_length)d caractères.",
                    self.max_length,
                )
                % {"max_length": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Votre mot de passe peut contenir jusqu'à %(max_length)d caractères.") % {
            "max_length": self.max_length
        }


def validate_nir(value):
    """A numéro de sécurité sociale (NIR): 13 characters and the 2-digit key that checks them."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.fr import nir

    try:
        nir.validate(value)
    except StdnumError:
        raise ValidationError(
            _(
                "Ce numéro de sécurité sociale n'est pas valide : vérifiez les 13 chiffres "
                "et les 2 chiffres de la clé."
            ),
            code="invalid_nir",
        ) from None
