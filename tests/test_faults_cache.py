"""The cache is optional for correctness (issue 19): with Redis unreachable (the cache pointed
at a closed port), "Créer mon espace" and "Activer mon espace" work and still tell no known
record from an unknown one, their limits hold, and a status change does not wait for the
broker nor log a traceback per request."""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import CodeDevice, Member
from tests.factories import MemberFactory
from tests.helpers.signup import card_form
from tests.helpers.smtp import closed_port

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
START = reverse("accounts:activate")
CHANNEL = reverse("accounts:activate_channel")
CODE = reverse("accounts:activate_code")
PASSWORD_STEP = reverse("accounts:activate_password")


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.OptionalRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def _csrf_free(response) -> str:
    return re.sub(
        r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", response.content.decode()
    )


def test_the_cache_answers_as_empty_while_redis_is_down(cache_down, caplog):
    started = time.monotonic()
    cache.set("k", 1)
    assert cache.get("k", "absent") == "absent"
    assert cache.add("k", 1) is False
    assert cache.get_or_set("k", 2) == 2
    assert time.monotonic() - started < 2
    lines = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(lines) == 1  # then left alone for a few seconds
    assert lines[0].getMessage().startswith("cache unavailable: ConnectionError")


def test_signup_works_with_the_cache_down_and_its_limit_still_holds(
    client, card_holder, outbox, cache_down, django_capture_on_commit_callbacks
):
    for _attempt in range(10):
        client.post(SIGNUP, card_form(birth_date="01/01/1990"))
    # Ten wrong birth dates: the member number is locked, whatever the cache does.
    with django_capture_on_commit_callbacks(execute=True):
        locked = client.post(SIGNUP, card_form(), follow=True)
    assert "Si les informations saisies correspondent" in locked.content.decode()
    assert outbox.count("email") == 0

    other = MemberFactory(
        member_number="200002", last_name="NOËL", first_name="Léa",
        birth_date=datetime.date(1975, 1, 2),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SIGNUP,
            card_form(member_number="200002", last_name="Noël", first_name="Léa",
                  birth_date="02/01/1975", email="lea@example.net"),
            follow=True,
        )  # fmt: skip
    assert response.status_code == 200
    assert "creer-mon-espace/confirmer/" in outbox.last("email", to="lea@example.net").text
    assert Member.objects.get(pk=other.pk).user.email == "lea@example.net"


def _activation_pages(client, email):
    pages = [client.post(START, {"email": email}, follow=True)]
    pages.append(client.post(CHANNEL, {"channel": "email"}, follow=True))
    pages.append(client.post(CODE, {"resend": "1"}, follow=True))
    pages.append(client.post(CODE, {"code": "000000"}, follow=True))
    return [_csrf_free(page).replace(email, "EMAIL") for page in pages]


def test_activation_answers_alike_for_known_and_unknown_emails_with_the_cache_down(
    client_factory, card_holder, cache_down, smtp_down
):
    known = _activation_pages(client_factory(), "affiliation@example.org")
    unknown = _activation_pages(client_factory(), "personne@example.org")

    assert known == unknown
    assert "Vous pourrez demander un nouveau code dans" in known[2]
    assert "Code incorrect" in known[3]


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def test_activation_goes_through_with_the_cache_down(client, card_holder, outbox, cache_down):
    client.post(START, {"email": "affiliation@example.org"})
    assert client.post(CHANNEL, {"channel": "email"})["Location"] == CODE
    code = outbox.last("email", to="affiliation@example.org").code()
    assert client.post(CODE, {"code": code})["Location"] == PASSWORD_STEP
    assert CodeDevice.objects.filter(user__member=card_holder).exists()


def test_the_partner_history_shows_with_the_cache_down(partner_client, cache_down):
    response = partner_client.get(reverse("partners:history"))
    assert response.status_code == 200


def test_status_changes_do_not_wait_for_a_broker_that_is_down(
    member, insurer_manager, broker_down, caplog, django_capture_on_commit_callbacks
):
    from casework.models import CaseEvent
    from casework.services import case_move
    from requests_app.services import member_request_submit

    requests = [
        member_request_submit(member=member, kind="question", by=member.user, message="Ma carte ?")
        for _ in range(3)
    ]
    caplog.clear()
    for request in requests:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            case_move(case=request, move="take", by=insurer_manager)
        assert time.monotonic() - started < 0.5
    lines = [r for r in caplog.records if r.name == "portal.queueing"]
    assert len(lines) == 3
    assert sum(1 for line in lines if line.exc_info) <= 1  # the traceback once a minute at most
    # Nothing is lost: the events wait, unsent, for the catch-up.
    assert CaseEvent.objects.filter(action="take", notified_at__isnull=True).count() == 3
