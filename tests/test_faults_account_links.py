"""The sign-up link and the "Mot de passe oublié" link while the broker is down (issue 19).

The page answers as for an unknown identifier and the email is not lost: its AccountNotice
row waits for the catch-up, which sends it, once, with a link that works.
"""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountNotice
from accounts.tasks import notify_pending_notices
from tests.helpers.database import committed
from tests.helpers.signup import card_form

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")
NEW_PASSWORD = "une toute nouvelle phrase secrète"


def _csrf_free(response) -> str:
    return re.sub(
        r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", response.content.decode()
    )


def _timed_post(client, url, data):
    started = time.monotonic()
    with committed():
        response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert time.monotonic() - started < 1  # one refused publish, no retries
    return response


def _catch_up_later():
    """The catch-up's next run, once the rows are past the time left to their own job."""
    AccountNotice.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    return notify_pending_notices()


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _signs_in_with(identifier: str, password: str) -> bool:
    response = Client().post(LOGIN, {"identifier": identifier, "password": password})
    return response.status_code == 302 and response.url == TWO_FACTOR


def test_a_reset_asked_while_the_broker_is_down_is_emailed_by_the_catch_up(
    client, member, outbox, broker_down, caplog
):
    known = _timed_post(client, RESET, {"identifier": member.member_number})
    unknown = _timed_post(client, RESET, {"identifier": "personne@example.org"})

    assert "Si un compte correspond, un email vous a été envoyé." in known.content.decode()
    assert _csrf_free(known) == _csrf_free(unknown)
    assert outbox.count() == 0
    assert any(r.name == "portal.queueing" for r in caplog.records)

    assert _catch_up_later() == 1
    assert _catch_up_later() == 0
    assert outbox.count() == 1
    email = outbox.last("email", to=member.email)
    assert email.subject == "Mot de passe oublié"
    link = _path(email.link())
    assert client.get(link).status_code == 200
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == LOGIN
    assert _signs_in_with(member.member_number, NEW_PASSWORD)


def test_of_two_resets_held_by_the_outage_only_the_newer_is_emailed_and_it_works(
    client, member, outbox, broker_down
):
    _timed_post(client, RESET, {"identifier": member.member_number})
    _timed_post(client, RESET, {"identifier": member.email})

    _catch_up_later()

    assert outbox.count() == 1
    link = _path(outbox.last("email", to=member.email).link())
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == LOGIN
    assert _signs_in_with(member.email, NEW_PASSWORD)


def test_a_sign_up_made_while_the_broker_is_down_gets_its_link_from_the_catch_up(
    client, card_holder, outbox, broker_down
):
    matching = _timed_post(client, SIGNUP, card_form())
    mismatching = _timed_post(client, SIGNUP, card_form(birth_date="18/05/1980"))

    assert "Si les informations saisies correspondent" in matching.content.decode()
    assert _csrf_free(matching) == _csrf_free(mismatching)
    assert outbox.count() == 0

    assert _catch_up_later() == 1
    assert _catch_up_later() == 0
    assert outbox.count() == 1
    email = outbox.last("email", to="zoe@example.net")
    assert email.subject == "Confirmez la création de votre espace"
    link = _path(email.link())
    assert client.get(link).status_code == 200
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == LOGIN
    card_holder.refresh_from_db()
    assert card_holder.is_activated
    assert _signs_in_with("zoe@example.net", NEW_PASSWORD)


def test_a_held_sign_up_link_can_be_asked_again_and_arrives_once(
    client, card_holder, outbox, broker_down
):
    _timed_post(client, SIGNUP, card_form())
    again = _timed_post(client, reverse("accounts:signup_resend"), {"email": "zoe@example.net"})
    assert again.status_code == 200

    _catch_up_later()

    assert outbox.count() == 1
    link = _path(outbox.last("email", to="zoe@example.net").link())
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.url == LOGIN
