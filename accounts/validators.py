from pathlib import Path

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


def _folded(text: str) -> str:
    """Lower case, without accents: "Élodie" and "elodie" compare equal."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _letters(text: str) -> str:
    return "".join(c for c in _folded(text) if c.isalpha())


class FrenchCommonPasswordValidator:
    """Refuse the passwords French people choose most (accounts/data/common-passwords-fr.txt),
    with digits and symbols added before or after: "Motdepasse123!" is "motdepasse"."""

    DEFAULT_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-fr.txt"
    DIGIT_RUNS = "01234567890123456789" + "98765432109876543210"

    def __init__(self, password_list_path=DEFAULT_LIST):
        lines = Path(password_list_path).read_text(encoding="utf-8").splitlines()
        self.passwords = {
            _folded(line.strip()) for line in lines if line.strip() and not line.startswith("#")
        }
        self.passwords |= {value.replace(" ", "") for value in self.passwords}

    def validate(self, password, user=None):
        folded = _folded(password).strip()
        core = folded.strip("0123456789 !?.,;:-_*#@$%&+=/'\"()[]")
        letters = _letters(password)
        digits = "".join(c for c in folded if c.isdigit())
        common = (
            folded in self.passwords
            or core in self.passwords
            or core.replace(" ", "") in self.passwords
            or (letters and letters in self.passwords)
            or (not letters and len(set(digits)) <= 2)
            or (not letters and digits in self.DIGIT_RUNS)
        )
        if common:
            raise ValidationError(
                _(
                    "Ce mot de passe est trop courant (même avec des chiffres ou des symboles "
                    "ajoutés) : choisissez-en un plus personnel, une phrase par exemple."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas être un mot de passe courant.")


class PersonalDataPasswordValidator:
    """Refuse a password built on the member's own names or member number (or the account's
    names), and the account's current password as its new one."""

    def validate(self, password, user=None):
        if user is None:
            return
        letters = _letters(password)
        member = getattr(user, "member", None) if user.pk else None
        names = [user.first_name, user.last_name]
        number = ""
        if member is not None:
            names += [member.first_name, member.last_name]
            number = member.member_number or ""
        names = [_letters(name) for name in names if name and len(_letters(name)) >= 3]
        if (number and number in password) or any(
            letters == name or (len(name) >= 4 and name in letters and len(letters) - len(name) < 6)
            for name in names
        ):
            raise ValidationError(
                _(
                    "Ce mot de passe contient votre nom, votre prénom ou votre numéro "
                    "d'adhérent : choisissez-en un qu'on ne peut pas deviner."
                ),
                code="password_personal",
            )
        if user.pk and user.has_usable_password() and user.check_password(password):
            raise ValidationError(
                _("Choisissez un mot de passe différent de votre mot de passe actuel."),
                code="password_unchanged",
            )

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas contenir votre nom ni votre numéro d'adhérent.")
