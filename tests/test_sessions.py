"""Sessions: 30 minutes idle, 12 hours at most, and a sign-out that ends them on the server."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_STARTED_KEY
from tests.test_signin import LOGIN, sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db

# A page only a signed-in person (with a second factor) may see.
PRIVATE = reverse("accounts:totp_setup")


@pytest.fixture
def signed_in(client, member, password, outbox):
    response = sign_in(client, member.user, password, outbox)
    assert response.url == reverse("home")
    assert client.get(PRIVATE).status_code == 200
    return client


def _session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def _is_sent_to_sign_in(response):
    return response.status_code == 302 and response.url.startswith(LOGIN)


def test_each_request_pushes_the_idle_limit_thirty_minutes_away(signed_in):
    row = _session_row(signed_in)
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert signed_in.get(PRIVATE).status_code == 200
    remaining = _session_row(signed_in).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_the_session_ends_after_thirty_minutes_idle(signed_in):
    Session.objects.filter(session_key=signed_in.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert _is_sent_to_sign_in(signed_in.get(PRIVATE))
    assert signed_in.get(reverse("home")).context["user"].is_anonymous


def test_the_session_ends_twelve_hours_after_sign_in_however_active(signed_in):
    session = signed_in.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 3600 + 60
    session.save()
    assert signed_in.get(PRIVATE).status_code == 200
    session = signed_in.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 3600 - 1
    session.save()
    assert _is_sent_to_sign_in(signed_in.get(PRIVATE))
    assert signed_in_user_id(signed_in) is None


def test_sign_out_needs_a_confirmation_when_opened_as_a_link(signed_in):
    response = signed_in.get(reverse("accounts:logout"))
    assert response.status_code == 200
    assert "Voulez-vous vous déconnecter de votre espace ?" in response.content.decode()
    assert signed_in.get(PRIVATE).status_code == 200


def test_sign_out_ends_the_session_on_the_server(signed_in, settings):
    old_key = signed_in.session.session_key
    response = signed_in.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN
    assert "Vous êtes déconnecté." in signed_in.get(LOGIN).content.decode()
    assert not Session.objects.filter(session_key=old_key).exists()
    # A copy of the old session cookie is worth nothing.
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert _is_sent_to_sign_in(signed_in.get(PRIVATE))


def test_sign_out_keeps_the_browser_remembered(signed_in, settings):
    signed_in.post(reverse("accounts:logout"))
    assert settings.REMEMBER_BROWSER_COOKIE in signed_in.cookies


def test_sign_out_without_a_session_just_goes_to_sign_in(client, db):
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN
    page = client.get(reverse("accounts:logout")).content.decode()
    assert "Vous n&#x27;êtes pas connecté." in page or "Vous n'êtes pas connecté." in page


def test_the_session_cookie_is_http_only_and_same_site(client, member, password, outbox):
    response = sign_in(client, member.user, password, outbox)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
