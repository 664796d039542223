"""'Activer mon espace': affiliation email, a code by SMS or email, a password."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import CodeDevice, Member
from tests.factories import MemberFactory
from tests.helpers.clock import a_minute_passes

pytestmark = pytest.mark.django_db

START = reverse("accounts:activate")
CHANNEL = reverse("accounts:activate_channel")
CODE = reverse("accounts:activate_code")
PASSWORD_STEP = reverse("accounts:activate_password")
DONE = reverse("accounts:activate_done")
NEW_PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def affiliated(db):
    """A record whose email and phone were given at affiliation; no web space yet."""
    return MemberFactory(
        member_number="300001",
        last_name="BERNARD",
        first_name="Inès",
        birth_date=datetime.date(1975, 1, 2),
        email="ines.bernard@example.org",
        mobile_phone="+33698765432",
    )


def _allow_next_attempt():
    # django-otp delays the attempt right after a failure; tests do not wait.
    CodeDevice.objects.update(throttling_failure_timestamp=None)


def test_it_activates_a_space_with_a_code_by_sms(client, affiliated, outbox):
    assert client.post(START, {"email": "Ines.Bernard@example.org"})["Location"] == CHANNEL
    page = client.get(CHANNEL).content.decode()
    assert "Envoyer le code" in page
    assert client.post(CHANNEL, {"channel": "sms"})["Location"] == CODE
    sms = outbox.last("sms")
    assert sms.to == "+33698765432"
    assert "code d'activation" in sms.text
    assert client.post(CODE, {"code": sms.code()})["Location"] == PASSWORD_STEP
    response = client.post(PASSWORD_STEP, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == DONE
    done = client.get(DONE).content.decode()
    assert "le mot de passe que vous venez de choisir" in done
    assert reverse("accounts:login") in done

    affiliated.refresh_from_db()
    user = affiliated.user
    assert affiliated.is_activated
    assert user.is_active and user.check_password(NEW_PASSWORD)
    assert user.email == "ines.bernard@example.org"
    devices = {d.channel: d for d in CodeDevice.objects.filter(user=user)}
    assert devices["sms"].confirmed and devices["sms"].target == "+33698765432"
    assert devices["email"].confirmed and devices["email"].target == "ines.bernard@example.org"
    assert client.get(DONE)["Location"] == START


def test_it_activates_a_space_with_a_code_by_email(client, affiliated, outbox):
    client.post(START, {"email": "ines.bernard@example.org"})
    client.post(CHANNEL, {"channel": "email"})
    email = outbox.last("email", to="ines.bernard@example.org")
    assert email.subject == "Votre code d'activation"
    assert outbox.count("sms") == 0
    client.post(CODE, {"code": email.code()})
    client.post(PASSWORD_STEP, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    affiliated.refresh_from_db()
    assert affiliated.is_activated
    assert client.login(username="300001", password=NEW_PASSWORD)


def test_an_unknown_email_gets_the_same_steps_and_nothing_is_sent(client, affiliated, outbox):
    assert client.post(START, {"email": "stranger@example.org"})["Location"] == CHANNEL
    assert "Envoyer le code" in client.get(CHANNEL).content.decode()
    assert client.post(CHANNEL, {"channel": "sms"})["Location"] == CODE
    page = client.get(CODE).content.decode()
    assert "Si l'adresse saisie correspond à votre dossier" in page
    wrong = client.post(CODE, {"code": "123456"})
    assert "Code incorrect." in wrong.content.decode()
    again = client.post(CODE, {"resend": "1"})
    assert "nouveau code dans" in again.content.decode()
    assert outbox.count() == 0
    assert client.get(PASSWORD_STEP)["Location"] == CODE


def test_an_already_activated_space_gets_nothing(client, member, outbox):
    client.post(START, {"email": member.email})
    assert client.post(CHANNEL, {"channel": "email"})["Location"] == CODE
    assert outbox.count() == 0


def test_it_asks_for_the_email_and_channel_in_french(client, affiliated):
    page = client.post(START, {"email": "not-an-email"}).content.decode()
    assert "Saisissez une adresse email valide" in page
    assert 'value="not-an-email"' in page
    client.post(START, {"email": "ines.bernard@example.org"})
    assert "Choisissez un mode de réception." in client.post(CHANNEL, {}).content.decode()


def test_the_steps_cannot_be_skipped(client, affiliated, outbox):
    for url in (CHANNEL, CODE, PASSWORD_STEP, DONE):
        assert client.get(url)["Location"] == START
    client.post(PASSWORD_STEP, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.post(START, {"email": "ines.bernard@example.org"})
    for url in (CODE, PASSWORD_STEP, DONE):
        assert client.get(url)["Location"] == CHANNEL
    assert client.post(CODE, {"code": "000000"})["Location"] == CHANNEL
    client.post(CHANNEL, {"channel": "email"})
    for url in (PASSWORD_STEP, DONE):
        assert client.get(url)["Location"] == CODE
    response = client.post(PASSWORD_STEP, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == CODE
    assert not Member.objects.get(pk=affiliated.pk).is_activated


def test_a_wrong_code_is_refused_next_to_the_field_and_the_right_one_then_works(
    client, affiliated, outbox
):
    client.post(START, {"email": "ines.bernard@example.org"})
    client.post(CHANNEL, {"channel": "sms"})
    code = outbox.last("sms").code()
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(CODE, {"code": wrong}).content.decode()
    assert "Code incorrect." in page
    assert 'id="id_code_error' in page
    short = client.post(CODE, {"code": "12"}).content.decode()
    assert "Saisissez les 6 chiffres du code reçu." in short
    _allow_next_attempt()
    assert client.post(CODE, {"code": code})["Location"] == PASSWORD_STEP


def test_it_resends_the_code_after_a_minute(client, affiliated, outbox):
    client.post(START, {"email": "ines.bernard@example.org"})
    client.post(CHANNEL, {"channel": "sms"})
    too_soon = client.post(CODE, {"resend": "1"}).content.decode()
    assert "nouveau code dans" in too_soon
    assert outbox.count("sms") == 1
    a_minute_passes()
    assert client.post(CODE, {"resend": "1"})["Location"] == CODE
    assert outbox.count("sms") == 2
    assert client.post(CODE, {"code": outbox.last("sms").code()})["Location"] == PASSWORD_STEP


def test_it_applies_the_password_rules(client, affiliated, outbox):
    client.post(START, {"email": "ines.bernard@example.org"})
    client.post(CHANNEL, {"channel": "email"})
    client.post(CODE, {"code": outbox.last("email").code()})
    page = client.post(PASSWORD_STEP, {"password1": "a" * 11, "password2": "a" * 11})
    assert "trop court" in page.content.decode()
    assert not Member.objects.get(pk=affiliated.pk).is_activated


def _answers(client_factory, email):
    """What a person sees through a sequence of attempts, from two browsers."""
    first, second = client_factory(), client_factory()
    seen = []
    for browser in (first, second):
        browser.post(START, {"email": email})
        response = browser.post(CHANNEL, {"channel": "sms"})
        seen.append(response.status_code)
        if response.status_code == 200:
            seen.append("nouveau code dans" in response.content.decode())
    for _attempt in range(2):
        page = first.post(CODE, {"code": "999999"}).content.decode()
        seen.append("Code incorrect." in page)
        seen.append("Trop de tentatives." in page)
    page = first.post(CODE, {"resend": "1"}).content.decode()
    seen.append("nouveau code dans" in page)
    return seen


def test_a_known_and_an_unknown_email_get_the_same_answers_to_the_same_attempts(affiliated, outbox):
    from django.test import Client

    CodeDevice.objects.all().delete()
    known = _answers(Client, "ines.bernard@example.org")
    sent = outbox.count()
    unknown = _answers(Client, "stranger@example.org")
    assert known == unknown
    assert known == [302, 200, True, True, False, False, True, True]
    assert outbox.count() == sent == 1


def test_a_record_without_a_mobile_is_told_so_and_offered_the_email(client, affiliated, outbox):
    """Issue 16, point 20: "Par SMS" for a record with no mobile does not pretend a code left:
    the page says there is no mobile, next to the choice, with the email chosen instead."""
    affiliated.mobile_phone = ""
    affiliated.save(update_fields=["mobile_phone"])
    client.post(START, {"email": affiliated.email})
    response = client.post(CHANNEL, {"channel": "sms"})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Aucun téléphone mobile n'est enregistré pour votre adhésion" in page
    assert re.search(r'<input[^>]*value="email"[^>]*checked', page)
    assert outbox.count() == 0
    assert client.get(CODE)["Location"] == CHANNEL  # no code step: nothing was sent
    assert client.post(CHANNEL, {"channel": "email"})["Location"] == CODE
    code = outbox.last("email", to=affiliated.email).code()
    assert client.post(CODE, {"code": code})["Location"] == PASSWORD_STEP


def test_a_record_with_a_mobile_is_offered_the_email_when_the_sms_does_not_arrive(
    client, affiliated, outbox
):
    client.post(START, {"email": affiliated.email})
    assert client.post(CHANNEL, {"channel": "sms"})["Location"] == CODE
    assert outbox.count("sms") == 1
    page = unescape(client.get(CODE).content.decode())
    assert "Le SMS n'arrive pas ? Recevez le code par email" in page
    assert "Aucun téléphone mobile" not in page
    assert client.post(CHANNEL, {"channel": "email"})["Location"] == CODE
    code = outbox.last("email", to=affiliated.email).code()
    assert client.post(CODE, {"code": code})["Location"] == PASSWORD_STEP
