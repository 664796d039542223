"""Issue 16, point 19: a new password is refused when it is a common French one (with digits
or symbols added), built on the member's names or number, or the current password."""

from html import unescape

import pytest
from django.urls import reverse

from tests.helpers.reauth import reauthenticated
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

PASSWORD = reverse("accounts:profile_password")
COMMON = "Ce mot de passe est trop courant"
PERSONAL = "Ce mot de passe contient votre nom, votre prénom ou votre numéro d'adhérent"
UNCHANGED = "Choisissez un mot de passe différent de votre mot de passe actuel."


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    # Changing the password asks the re-authentication first (tests/test_reauth.py).
    return reauthenticated(client)


def _change(client, current, new) -> str:
    response = client.post(
        PASSWORD, {"current_password": current, "password1": new, "password2": new}
    )
    return unescape(response.content.decode())


@pytest.mark.parametrize(
    "new",
    ["motdepasse123", "MotDePasse2026!", "Mot de passe 1234", "azerty123456", "bonjour123456",
     "Marseille13013", "123456789012", "000000000000", "soleil!!!!!!"],
)  # fmt: skip
def test_common_french_passwords_are_refused(member_client, member, password, new):
    page = _change(member_client, password, new)
    assert COMMON in page
    member.user.refresh_from_db()
    assert member.user.check_password(password)


def test_the_members_names_and_number_are_refused(member_client, member, password):
    for new in (
        f"{member.last_name}2026!!",
        f"{member.first_name.lower()}{member.last_name}",
        f"ma carte {member.member_number}",
    ):
        assert PERSONAL in _change(member_client, password, new), new


def test_the_current_password_is_refused_as_the_new_one(member_client, member, password):
    assert UNCHANGED in _change(member_client, password, password)


def test_a_personal_passphrase_is_accepted(member_client, member, password):
    response = member_client.post(
        PASSWORD,
        {
            "current_password": password,
            "password1": "la tortue de Lucas mange des fraises",
            "password2": "la tortue de Lucas mange des fraises",
        },
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("la tortue de Lucas mange des fraises")


def test_a_reset_link_applies_the_same_rules(client, member):
    import datetime

    from accounts.models import AccountToken
    from accounts.tokens import token_issue

    secret = token_issue(
        user=member.user, purpose=AccountToken.Purpose.PASSWORD_RESET,
        validity=datetime.timedelta(minutes=30),
    )  # fmt: skip
    url = reverse("accounts:password_reset_confirm", args=[secret])
    page = unescape(
        client.post(
            url, {"password1": "motdepasse123", "password2": "motdepasse123"}
        ).content.decode()
    )
    assert COMMON in page
