"""Sign-in failures are counted per identifier and client address, and per identifier over 24
hours: an attacker elsewhere cannot keep a member out for long, and an identifier never takes
more than 25 failures a day."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers.database import committed
from tests.test_signin import TWO_FACTOR, WRONG, password_step, sign_in

pytestmark = pytest.mark.django_db

INCORRECT = "Identifiant ou mot de passe incorrect."
TOO_MANY = "Trop de tentatives de connexion"


def _attempt(client, identifier, password, address):
    response = password_step(client, identifier, password, REMOTE_ADDR=address)
    return response, html.unescape(response.content.decode()) if response.status_code == 200 else ""


def _spread_attack(identifier, addresses=12, per_address=2):
    """Wrong passwords from many addresses; returns how many were checked (not refused)."""
    checked = 0
    for n in range(addresses):
        attacker = Client()
        for _try in range(per_address):
            _response, page = _attempt(attacker, identifier, WRONG, f"203.0.113.{n + 1}")
            checked += INCORRECT in page
    return checked


def test_failures_from_one_address_do_not_delay_the_member_at_another(client, member, password):
    attacker = Client()
    for _try in range(10):
        assert INCORRECT in _attempt(attacker, member.member_number, WRONG, "203.0.113.7")[1]
    _response, page = _attempt(attacker, member.member_number, password, "203.0.113.7")
    assert "Patientez 1 minute avant de réessayer" in page

    response, _page = _attempt(client, member.member_number, password, "198.51.100.20")
    assert response.status_code == 302
    assert response.url == TWO_FACTOR


def test_attackers_spread_over_many_addresses_stop_at_20_failures(member, password):
    assert _spread_attack(member.member_number) == 20

    newcomer = Client()
    _response, page = _attempt(newcomer, member.member_number, password, "192.0.2.50")
    assert "Trop de tentatives de connexion avec cet identifiant. Réessayez après" in page
    assert "Mot de passe oublié ?" in page


def test_the_member_still_signs_in_from_a_browser_the_account_knows(
    client, member, password, outbox
):
    assert sign_in(
        client, member.user, password, outbox, remember=True, REMOTE_ADDR="198.51.100.20"
    )
    client.post(reverse("accounts:logout"))
    _spread_attack(member.member_number)

    response, _page = _attempt(client, member.member_number, password, "198.51.100.20")
    assert response.status_code == 302
    assert response.url == reverse("home")  # remembered browser: no second code


def test_the_member_still_signs_in_from_an_address_the_account_knows(
    client, member, password, outbox
):
    home = "198.51.100.20"
    assert sign_in(client, member.user, password, outbox, REMOTE_ADDR=home)
    _spread_attack(member.member_number)

    other_browser_at_home = Client()
    response, _page = _attempt(other_browser_at_home, member.member_number, password, home)
    assert response.url == TWO_FACTOR


def test_an_identifier_takes_at_most_25_failures_a_day_in_all(client, member, password, outbox):
    home = "198.51.100.20"
    assert sign_in(client, member.user, password, outbox, REMOTE_ADDR=home)
    client.post(reverse("accounts:logout"))
    checked = _spread_attack(member.member_number)

    at_home = [_attempt(client, member.member_number, WRONG, home)[1] for _ in range(8)]
    checked += sum(INCORRECT in page for page in at_home)
    assert checked == 25
    assert TOO_MANY in at_home[-1]


def test_an_unknown_identifier_is_limited_like_a_known_one(db):
    assert _spread_attack("personne@example.org") == 20


def test_a_password_reset_lifts_the_day_budget(client, member, outbox):
    _spread_attack(member.member_number)
    with committed():
        client.post(reverse("accounts:password_reset"), {"identifier": member.email})
    link = outbox.last("email", to=member.email).link().removeprefix("http://testserver")
    new_password = "une toute nouvelle phrase secrète"
    client.post(link, {"password1": new_password, "password2": new_password})

    response, _page = _attempt(Client(), member.member_number, new_password, "192.0.2.50")
    assert response.url == TWO_FACTOR
