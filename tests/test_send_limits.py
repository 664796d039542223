"""Codes and links cannot be flooded (accounts.send_limits): every send is limited per account
and per destination, 60 seconds apart and a daily cap, whatever happens to the code devices, and
"Mot de passe oublié" is limited like a code."""

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers.clock import a_minute_passes
from tests.helpers.database import committed
from tests.helpers.reauth import reauthenticated
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

PHONE = reverse("accounts:profile_phone")
PHONE_CODE = reverse("accounts:profile_phone_verify")
PHONE_CANCEL = reverse("accounts:profile_phone_cancel")
EMAIL = reverse("accounts:profile_email")
RESET = reverse("accounts:password_reset")
SMS_CAP = "Le nombre maximal de SMS pour aujourd'hui est atteint."


def _numbers(count):
    return [f"07 81 22 {n // 100:02d} {n % 100:02d}" for n in range(count)]


@pytest.fixture
def signed_in_member(signed_in_member):
    """Re-authenticated a moment ago: the changes themselves are what is limited here."""
    return reauthenticated(signed_in_member)


def _change_phone(client, number):
    response = client.post(PHONE, {"mobile_phone": number})
    return response, html.unescape(response.content.decode()) if response.status_code == 200 else ""


def test_twenty_phone_changes_in_a_row_send_one_sms_and_say_when_to_retry(signed_in_member, outbox):
    answers = [_change_phone(signed_in_member, number) for number in _numbers(20)]

    assert outbox.count("sms") == 1
    assert answers[0][0]["Location"] == PHONE_CODE
    for _response, page in answers[1:]:
        assert "Vous pourrez demander un nouveau code dans" in page
        assert "secondes" in page


def test_twenty_phone_changes_a_minute_apart_send_at_most_the_daily_cap(
    signed_in_member, outbox, settings
):
    settings.OTP_SMS_DAILY_LIMIT = 10
    pages = []
    for number in _numbers(20):
        pages.append(_change_phone(signed_in_member, number)[1])
        a_minute_passes()

    assert outbox.count("sms") == 10
    assert all(SMS_CAP in page and "réessayez demain" in page for page in pages[10:])


def test_cancelling_a_change_does_not_restart_the_count(signed_in_member, outbox):
    _change_phone(signed_in_member, "07 81 22 33 44")
    signed_in_member.post(PHONE_CANCEL)
    _response, page = _change_phone(signed_in_member, "07 81 22 33 55")

    assert "Vous pourrez demander un nouveau code dans" in page
    assert outbox.count("sms") == 1
    # Nothing is shown as waiting for a code that was never sent.
    profile = signed_in_member.get(reverse("accounts:profile")).content.decode()
    assert "Vérification en cours" not in profile


def test_one_number_is_limited_whichever_account_asks(member, other_member, outbox, settings):
    settings.OTP_SMS_DAILY_LIMIT = 3
    victim = "07 81 22 33 44"
    browsers = []
    for person in (member, other_member):
        browser = Client()
        _sign_in(browser, person.user)
        browsers.append(reauthenticated(browser))

    _change_phone(browsers[0], victim)
    _response, page = _change_phone(browsers[1], victim)
    assert "Vous pourrez demander un nouveau code dans" in page

    for _round in range(3):
        a_minute_passes()
        for browser in browsers:
            browser.post(PHONE_CANCEL)
            _change_phone(browser, victim)
    assert outbox.count("sms") == 3
    assert {sms.to for sms in outbox.all()} == {"+33781223344"}


def test_an_email_change_is_limited_per_address_and_says_when(signed_in_member, outbox, settings):
    settings.SECURITY_EMAIL_DAILY_LIMIT = 2
    for _round in range(4):
        page = signed_in_member.post(EMAIL, {"email": "marie.nouvelle@example.net"})
        a_minute_passes()
    assert outbox.count("email") == 2
    assert (
        "Le nombre maximal de codes par email pour aujourd'hui est atteint. Réessayez demain."
        in html.unescape(page.content.decode())
    )


# -- "Mot de passe oublié" -----------------------------------------------------------------------
def _ask(client, identifier):
    with committed():
        return html.unescape(
            client.post(RESET, {"identifier": identifier}, follow=True).content.decode()
        )


def test_a_reset_request_flood_sends_one_email_and_says_when_to_retry(client, member, outbox):
    pages = [_ask(client, member.member_number) for _ in range(8)]

    assert outbox.count("email") == 1
    assert "Si un compte correspond" in pages[0]
    assert all("Vous pourrez demander un nouveau lien dans" in page for page in pages[1:])


def test_a_reset_request_flood_through_every_identifier_sends_at_most_the_cap(
    client, member, outbox, settings
):
    settings.SECURITY_EMAIL_DAILY_LIMIT = 5
    settings.OTP_RESEND_DELAY = timedelta(0)
    for identifier in [member.member_number, member.email, member.email.upper()] * 10:
        _ask(client, identifier)

    assert outbox.count("email") == 5
    assert {message.to for message in outbox.all()} == {member.email}


def test_an_unknown_identifier_gets_the_same_refusals_as_a_known_one(client, member, outbox):
    known = [_ask(client, member.member_number) for _ in range(2)]
    unknown = [_ask(client, "999999") for _ in range(2)]
    assert ["Si un compte correspond" in page for page in known] == [True, False]
    assert ["Si un compte correspond" in page for page in unknown] == [True, False]
    assert "Vous pourrez demander un nouveau lien dans" in unknown[1]
    assert outbox.count("email") == 1
