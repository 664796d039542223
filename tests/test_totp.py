"""Authenticator app (TOTP): enrolment by a signed-in person, then sign-in with it."""

import html
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Branding
from tests.helpers.clock import a_minute_passes
from tests.test_signin import (
    LOGIN,
    TWO_FACTOR,
    enter_code,
    password_step,
    send_code,
    sign_in,
    signed_in_user_id,
)

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:totp_setup")


def page_text(response):
    return html.unescape(response.content.decode())


def _code(device):
    return f"{totp(device.bin_key):06d}"


def _wrong(device):
    return f"{(int(_code(device)) + 1) % 10**6:06d}"


@pytest.fixture
def signed_in(client, member, password, outbox):
    sign_in(client, member.user, password, outbox)
    return client


@pytest.fixture
def enrolled(signed_in, member, settings):
    signed_in.post(SETUP, {"action": "start"})
    device = TOTPDevice.objects.get(user=member.user)
    signed_in.post(SETUP, {"action": "confirm", "code": _code(device)})
    signed_in.post(reverse("accounts:logout"))
    signed_in.cookies.pop(settings.REMEMBER_BROWSER_COOKIE)
    a_minute_passes()  # no wait before the next SMS
    device.refresh_from_db()
    assert device.confirmed
    # Thirty seconds later: the code used to confirm the app is not the next one it shows.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def test_the_page_needs_a_signed_in_person(client, db):
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_page_needs_a_session_that_passed_a_second_factor(client, member):
    client.force_login(member.user)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_looking_at_the_page_creates_nothing(signed_in, member):
    page = page_text(signed_in.get(SETUP))
    assert "Ajouter une application" in page
    assert not TOTPDevice.objects.exists()


def test_enrolment_shows_a_qr_code_and_the_secret(signed_in, member):
    Branding.objects.update_or_create(pk=1, defaults={"insurer_name": "Mutuelle du Port"})
    signed_in.post(SETUP, {"action": "start"})
    response = signed_in.get(SETUP)
    page = page_text(response)
    device = TOTPDevice.objects.get(user=member.user)
    assert not device.confirmed
    assert "<svg" in page
    secret = response.context["secret_groups"].replace(" ", "")
    assert response.context["secret_groups"] in page
    uri = urlparse(response.context["otpauth_uri"])
    assert uri.scheme == "otpauth"
    assert unquote(uri.path) == f"/Mutuelle du Port:{member.user.username}"
    query = parse_qs(uri.query)
    assert query["issuer"] == ["Mutuelle du Port"]
    assert query["secret"] == [secret]
    # A reload shows the same secret, so a half-finished scan still works.
    assert signed_in.get(SETUP).context["secret_groups"].replace(" ", "") == secret


def test_a_wrong_code_does_not_confirm_the_app(signed_in, member):
    signed_in.post(SETUP, {"action": "start"})
    device = TOTPDevice.objects.get(user=member.user)
    response = signed_in.post(SETUP, {"action": "confirm", "code": _wrong(device)})
    assert response.status_code == 200
    page = page_text(response)
    assert "Code incorrect." in page
    assert "id_code_error" in page
    device.refresh_from_db()
    assert not device.confirmed


def test_a_malformed_code_is_refused_next_to_the_field(signed_in, member):
    signed_in.post(SETUP, {"action": "start"})
    response = signed_in.post(SETUP, {"action": "confirm", "code": "12ab"})
    assert "Le code est composé de 6 chiffres." in page_text(response)


def test_a_valid_code_confirms_the_app(signed_in, member):
    signed_in.post(SETUP, {"action": "start"})
    device = TOTPDevice.objects.get(user=member.user)
    response = signed_in.post(SETUP, {"action": "confirm", "code": _code(device)}, follow=True)
    assert "Votre application d'authentification est activée." in page_text(response)
    device.refresh_from_db()
    assert device.confirmed
    assert "Remplacer l'application" in page_text(response)


def test_the_app_is_offered_first_at_sign_in_and_signs_in(client, member, password, enrolled):
    password_step(client, member.member_number, password)
    page = page_text(client.get(TWO_FACTOR))
    assert "Saisissez le code affiché dans votre application d'authentification." in page
    assert "Recevoir le code autrement" in page
    response = enter_code(client, _code(enrolled))
    assert response.url == reverse("home")
    assert client.session["otp_device_id"] == enrolled.persistent_id


def test_a_code_from_the_app_is_accepted_once(client, member, password, enrolled, settings):
    code = _code(enrolled)
    assert enter_code_after_password(client, member, password, code).url == reverse("home")
    client.post(reverse("accounts:logout"))
    client.cookies.pop(settings.REMEMBER_BROWSER_COOKIE)
    TOTPDevice.objects.update(throttling_failure_timestamp=None)
    response = enter_code_after_password(client, member, password, code)
    assert response.status_code == 200
    assert "Code incorrect." in page_text(response)
    assert signed_in_user_id(client) is None


def enter_code_after_password(client, member, password, code):
    password_step(client, member.member_number, password)
    return enter_code(client, code)


def test_a_wrong_code_from_the_app_is_refused(client, member, password, enrolled):
    response = enter_code_after_password(client, member, password, _wrong(enrolled))
    assert "Code incorrect." in page_text(response)
    assert signed_in_user_id(client) is None


def test_the_person_can_still_receive_a_code_by_sms(client, member, password, outbox, enrolled):
    password_step(client, member.member_number, password)
    client.post(TWO_FACTOR, {"action": "change"})
    page = page_text(client.get(TWO_FACTOR))
    assert "Application d'authentification" in page
    assert "SMS au" in page
    send_code(client, member.user, "sms")
    assert enter_code(client, outbox.last("sms").code()).url == reverse("home")


def test_a_new_app_replaces_the_previous_one(client, member, password, enrolled, outbox, settings):
    sign_in_with_totp = enter_code_after_password(client, member, password, _code(enrolled))
    assert sign_in_with_totp.url == reverse("home")
    client.post(SETUP, {"action": "start"})
    new = TOTPDevice.objects.get(user=member.user, confirmed=False)
    response = client.post(SETUP, {"action": "confirm", "code": _code(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=member.user)) == [new]
    # The session stays verified, now by the new app.
    assert client.get(SETUP).status_code == 200


def test_the_personal_information_page_leads_to_the_authenticator_app(client, member, password):
    from tests.test_access_matrix import _sign_in

    _sign_in(client, member.user)
    page = client.get("/compte/mes-informations/").content.decode()
    assert 'href="/compte/application-authentification/"' in page
