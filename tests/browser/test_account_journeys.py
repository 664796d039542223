"""Journeys of guide 002 (create my space) and guide 003 (second factor), as a person does them."""

import re

import pytest

from accounts.models import Member
from tests.browser.conftest import assert_fits_width
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un mot de passe tres long"


def _sign_in(page, identifier, password):
    page.get_by_label("Identifiant").fill(identifier)
    page.get_by_label(re.compile(r"^Mot de passe\b")).fill(password)
    page.get_by_role("button", name="Me connecter").click()
    page.wait_for_load_state()


def test_a_member_creates_a_space_signs_in_with_a_code_and_is_remembered(new_page, outbox):
    MemberFactory(
        member_number="778899",
        last_name="LEFÈVRE",
        first_name="Anaïs",
        birth_date="1985-07-14",
        email="anais.old@example.org",
        mobile_phone="+33601020304",
    )
    page = new_page("/")
    page.get_by_role("link", name="Créer mon espace").click()
    assert_fits_width(page)

    # The card data, typed as printed (case and accents need not match exactly).
    page.get_by_label("Numéro d'adhérent").fill("778899")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Lefevre")
    page.get_by_label("Prénom").fill("anaïs")
    page.get_by_label("Date de naissance").fill("14/07/1985")
    page.get_by_label("Adresse email").fill("anais@example.org")
    page.get_by_role("button", name="Envoyer").click()
    assert page.get_by_text("48h").first.is_visible()

    # The confirmation email holds the link; the person chooses a password.
    link = outbox.last("email", to="anais@example.org").link()
    page.goto(link)
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Activer mon espace").click()
    page.wait_for_url(re.compile(r"/compte/connexion/"))
    assert Member.objects.get(member_number="778899").is_activated

    # First sign-in from this browser: a code by SMS, read from var/outbox.
    _sign_in(page, "778899", PASSWORD)
    assert page.get_by_role("heading", name="Double authentification").is_visible()
    assert_fits_width(page)
    page.get_by_label(re.compile("SMS au")).check()
    page.get_by_role("button", name="Envoyer le code").click()
    code = outbox.last("sms", to="+33601020304").code()
    page.get_by_label("Code de sécurité").fill(code)
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name=re.compile("Bonjour Anaïs")).is_visible()
    assert_fits_width(page)

    # Sign out, then in again from the same browser: no code this time.
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(re.compile(r"/compte/connexion/"))
    sms_before = outbox.count("sms")
    _sign_in(page, "anais@example.org", PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name=re.compile("Bonjour Anaïs")).is_visible()
    assert outbox.count("sms") == sms_before

    # Signed out for good: the home page is the public one again.
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(re.compile(r"/compte/connexion/"))
    page.goto("/")
    assert page.get_by_role("link", name="Me connecter").is_visible()


def test_another_browser_is_asked_for_a_code(new_page, member, password, outbox):
    page = new_page("/compte/connexion/")
    _sign_in(page, member.member_number, password)
    page.get_by_label(re.compile("Email à")).check()
    page.get_by_role("button", name="Envoyer le code").click()
    page.get_by_label("Code de sécurité").fill(outbox.last("email").code())
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/$"))

    elsewhere = new_page("/compte/connexion/")  # a new context: another browser
    _sign_in(elsewhere, member.member_number, password)
    assert elsewhere.get_by_role("heading", name="Double authentification").is_visible()
