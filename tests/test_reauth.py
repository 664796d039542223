"""Re-authentication before a change of the email, the phone, the authenticator app or the
password: the current password, then a code to a channel already verified, good for 5
minutes; a session alone changes nothing."""

import html
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import CodeDevice
from accounts.reauth import REAUTH_UNTIL_KEY
from tests.helpers.database import committed
from tests.test_access_matrix import _sign_in
from tests.test_signin import WRONG, sign_in

pytestmark = pytest.mark.django_db

REAUTH = reverse("accounts:reauth")
EMAIL = reverse("accounts:profile_email")
PHONE = reverse("accounts:profile_phone")
PASSWORD = reverse("accounts:profile_password")
TOTP = reverse("accounts:totp_setup")
PROFILE = reverse("accounts:profile")
NEW_PASSWORD = "une toute nouvelle phrase secrète"

CHANGES = [
    (EMAIL, {"email": "pirate@example.net"}),
    (PHONE, {"mobile_phone": "07 81 22 33 44"}),
    (PASSWORD, {"current_password": "x", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
    (TOTP, {"action": "start"}),
]


@pytest.fixture
def session_only(client, member):
    """A session that passed a second factor earlier (or skipped it on a remembered browser),
    but re-authenticated for nothing."""
    _sign_in(client, member.user)
    return client


@pytest.mark.parametrize(("url", "data"), CHANGES, ids=["email", "phone", "password", "app"])
def test_a_session_alone_changes_nothing(session_only, member, outbox, url, data):
    page = session_only.get(url)
    assert page.status_code == 302
    assert page["Location"] == f"{REAUTH}?next={url.replace('/', '%2F')}"

    response = session_only.post(url, data)

    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    assert outbox.count() == 0
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.email != "pirate@example.net"
    assert member.mobile_phone.as_e164 == "+33612345678"
    assert not member.user.check_password(NEW_PASSWORD)
    assert not TOTPDevice.objects.exists()
    assert not CodeDevice.objects.filter(confirmed=False).exists()


def _text(response):
    return html.unescape(response.content.decode())


def test_the_password_then_a_code_open_five_minutes_of_changes(
    session_only, member, password, outbox
):
    start = session_only.get(f"{REAUTH}?next={EMAIL}")
    assert "Confirmer votre identité" in _text(start)

    wrong = session_only.post(f"{REAUTH}?next={EMAIL}", {"action": "password", "password": WRONG})
    assert "Identifiant ou mot de passe incorrect." in _text(wrong)

    step = session_only.post(f"{REAUTH}?next={EMAIL}", {"action": "password", "password": password})
    assert step.status_code == 302
    assert session_only.get(EMAIL)["Location"].startswith(REAUTH)  # the password is not enough

    sms = CodeDevice.objects.get(user=member.user, channel="sms", confirmed=True)
    session_only.post(f"{REAUTH}?next={EMAIL}", {"action": "send", "device": sms.persistent_id})
    code = outbox.last("sms").code()
    assert "code de confirmation" in outbox.last("sms").text
    done = session_only.post(f"{REAUTH}?next={EMAIL}", {"action": "verify", "code": code})
    assert done["Location"] == EMAIL

    old = member.email
    assert session_only.post(EMAIL, {"email": "marie.nouvelle@example.net"}).status_code == 302
    new_code = outbox.last("email", to="marie.nouvelle@example.net").code()
    with committed():
        session_only.post(reverse("accounts:profile_email_verify"), {"code": new_code})
    member.refresh_from_db()
    assert member.email == "marie.nouvelle@example.net"
    assert outbox.last("email", to=old).subject == "Votre adresse email a été modifiée"

    # Five minutes later the window is closed.
    session = session_only.session
    session[REAUTH_UNTIL_KEY] = time.time() - 1
    session.save()
    assert session_only.get(PHONE)["Location"].startswith(REAUTH)


def test_a_code_for_another_account_or_none_does_not_open_the_window(session_only, password):
    session_only.post(f"{REAUTH}?next={PHONE}", {"action": "password", "password": password})
    response = session_only.post(f"{REAUTH}?next={PHONE}", {"action": "verify", "code": "123456"})
    assert response.status_code == 200
    assert session_only.get(PHONE)["Location"].startswith(REAUTH)


def test_signing_in_with_the_password_and_a_code_opens_the_window(client, member, password, outbox):
    sign_in(client, member.user, password, outbox)
    assert client.get(PHONE).status_code == 200


def test_a_remembered_browser_that_skipped_the_code_must_re_authenticate(
    client, member, password, outbox
):
    sign_in(client, member.user, password, outbox, remember=True)
    client.post(reverse("accounts:logout"))
    remembered = client.post(
        reverse("accounts:login"), {"identifier": member.member_number, "password": password}
    )
    assert remembered["Location"] == reverse("home")  # no code asked
    assert client.get(PHONE)["Location"].startswith(REAUTH)


def test_a_next_page_on_another_site_is_ignored(session_only, member, password, outbox):
    url = f"{REAUTH}?next=https://evil.example/"
    session_only.post(url, {"action": "password", "password": password})
    email = CodeDevice.objects.get(user=member.user, channel="email", confirmed=True)
    session_only.post(url, {"action": "send", "device": email.persistent_id})
    done = session_only.post(url, {"action": "verify", "code": outbox.last("email").code()})
    assert done["Location"] == "/"


def test_another_persons_browser_cannot_use_the_window(member, other_member, password, outbox):
    mine = Client()
    sign_in(mine, member.user, password, outbox)
    theirs = Client()
    _sign_in(theirs, other_member.user)
    assert mine.get(PHONE).status_code == 200
    assert theirs.get(PHONE)["Location"].startswith(REAUTH)


def test_the_authenticator_app_confirms_the_identity_too(session_only, member, password):
    device = TOTPDevice.objects.create(user=member.user, name="totp", confirmed=True)
    url = f"{REAUTH}?next={PHONE}"
    session_only.post(url, {"action": "password", "password": password})
    session_only.post(url, {"action": "send", "device": device.persistent_id})
    code = f"{totp(device.bin_key):06d}"
    assert session_only.post(url, {"action": "verify", "code": code})["Location"] == PHONE
    assert session_only.get(PHONE).status_code == 200
