"""Guide 002: "Mot de passe oublié ?"."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountToken, LoginThrottle, TrustedBrowser
from tests.helpers.clock import a_minute_passes
from tests.helpers.database import committed
from tests.test_signin import (
    TWO_FACTOR,
    WRONG,
    page_without_token,
    password_step,
    sign_in,
    signed_in_user_id,
)

pytestmark = pytest.mark.django_db

REQUEST = reverse("accounts:password_reset")
SAME_ANSWER = "Si un compte correspond, un email vous a été envoyé."
NEW_PASSWORD = "une toute nouvelle phrase secrète"


def _ask(client, identifier):
    with committed():
        response = client.post(REQUEST, {"identifier": identifier}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _path(link: str) -> str:
    return link.removeprefix("http://testserver").removeprefix("https://portail.example")


@pytest.fixture
def reset_link(client, member, outbox, settings):
    settings.SITE_URL = "https://portail.example"
    _ask(client, member.member_number)
    return _path(outbox.last("email", to=member.email).link())


def _choose(client, link, password=NEW_PASSWORD, confirmation=None):
    return client.post(link, {"password1": password, "password2": confirmation or password})


def test_the_sign_in_page_leads_to_the_forgotten_password_page(client, db):
    page = client.get(REQUEST).content.decode()
    assert "Mot de passe oublié ?" in page
    assert "Identifiant ou adresse email" in page


def test_it_emails_a_link_built_on_the_site_address(client, member, outbox, settings):
    settings.SITE_URL = "https://portail.example"
    page = _ask(client, member.member_number)
    assert SAME_ANSWER in page
    email = outbox.last("email")
    assert email.to == member.email
    link = email.link()
    assert link.startswith("https://portail.example/compte/mot-de-passe-oublie/")
    assert "30 minutes" in email.text
    # Only the link: nothing about the person, their contract or their health.
    assert member.last_name not in email.text
    assert member.member_number not in email.text
    assert "Lucas" not in email.text


def test_the_email_address_works_as_identifier(client, member, outbox):
    _ask(client, member.email.upper())
    assert outbox.last("email").to == member.email


def test_an_unknown_identifier_gets_the_same_answer_and_no_email(client, member, outbox):
    with committed():
        known = client.post(REQUEST, {"identifier": member.member_number}, follow=True)
        unknown = client.post(REQUEST, {"identifier": "inconnu@example.org"}, follow=True)
    assert SAME_ANSWER in unknown.content.decode()
    assert page_without_token(known) == page_without_token(unknown)
    assert outbox.count("email") == 1


def test_an_inactive_account_gets_the_same_answer_and_no_email(client, member, outbox):
    member.user.is_active = False
    member.user.save()
    assert SAME_ANSWER in _ask(client, member.member_number)
    assert outbox.count() == 0


def test_an_empty_identifier_is_shown_next_to_the_field(client, db):
    response = client.post(REQUEST, {"identifier": ""})
    assert response.status_code == 200
    assert "id_identifier_error" in response.content.decode()


def test_the_link_asks_the_new_password_twice(client, reset_link):
    page = client.get(reset_link).content.decode()
    assert "Nouveau mot de passe" in page
    assert "Confirmation du mot de passe" in page


def test_the_link_works_once_and_does_not_sign_in(
    client, member, reset_link, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _choose(client, reset_link)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert signed_in_user_id(client) is None
    assert "Votre mot de passe a été modifié" in client.get(response.url).content.decode()
    member.user.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)
    assert "a été modifié" in outbox.last("email").text

    again = client.get(reset_link)
    assert again.status_code == 410
    page = again.content.decode()
    assert "Ce lien a déjà été utilisé." in page
    assert "Demander un nouveau lien" in page
    assert _choose(client, reset_link, "encore une autre phrase").status_code == 410


def test_after_a_reset_the_new_password_leads_to_the_second_factor(
    client, member, password, outbox, reset_link
):
    sign_in(client, member.user, password, outbox)
    client.post(reverse("accounts:logout"))
    assert TrustedBrowser.objects.filter(user=member.user).exists()
    _choose(client, reset_link)
    assert not TrustedBrowser.objects.filter(user=member.user).exists()
    assert "incorrect" in password_step(client, member.member_number, password).content.decode()
    assert password_step(client, member.member_number, NEW_PASSWORD).url == TWO_FACTOR


def test_a_reset_ends_the_sessions_already_open(client, member, password, outbox, settings):
    sign_in(client, member.user, password, outbox)
    other = Client()
    with committed():
        other.post(REQUEST, {"identifier": member.member_number})
    _choose(other, _path(outbox.last("email").link()))
    assert client.get(reverse("home")).context["user"].is_anonymous


def test_a_reset_lifts_the_sign_in_delay(client, member, reset_link):
    for _attempt in range(10):
        password_step(client, member.member_number, WRONG)
    assert LoginThrottle.objects.exists()
    _choose(client, reset_link)
    assert password_step(client, member.member_number, NEW_PASSWORD).url == TWO_FACTOR


def test_an_expired_link_is_refused(client, member, reset_link):
    AccountToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(reset_link)
    assert response.status_code == 410
    assert "Ce lien a expiré." in response.content.decode()
    assert _choose(client, reset_link).status_code == 410
    member.user.refresh_from_db()
    assert not member.user.check_password(NEW_PASSWORD)


def test_an_unknown_link_is_refused(client, db):
    response = client.get(reverse("accounts:password_reset_confirm", args=["n1mporte-quoi"]))
    assert response.status_code == 410
    assert "Ce lien n'est pas valable." in response.content.decode()


def test_a_new_request_kills_the_previous_link(client, member, reset_link, outbox):
    a_minute_passes()
    _ask(client, member.member_number)
    assert client.get(reset_link).status_code == 410
    assert client.get(_path(outbox.last("email").link())).status_code == 200


@pytest.mark.parametrize(
    ("password", "confirmation", "message"),
    [
        ("court", None, "au minimum 12 caractères"),
        ("x" * 129, None, "ne peut pas dépasser 128 caractères"),
        ("qwerty123456", None, "trop courant"),
        (NEW_PASSWORD, "une autre phrase secrète", "Les deux mots de passe ne correspondent pas."),
        ("", "", "Choisissez un mot de passe."),
    ],
)
def test_a_bad_new_password_is_refused_next_to_the_field(
    client, member, reset_link, password, confirmation, message
):
    response = _choose(client, reset_link, password, confirmation)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert "_error" in page
    assert AccountToken.objects.get().used_at is None
    assert client.get(reset_link).status_code == 200
