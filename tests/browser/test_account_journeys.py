"""Journeys of guide 002 (create my space) and guide 003 (second factor), as a person does them."""

import re

import pytest

from accounts.models import Member
from tests.browser.conftest import assert_fits_width, open_menu
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
    remember = page.get_by_label("Se souvenir de ce navigateur")
    assert not remember.is_checked()  # a choice, never made for the person
    remember.check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name=re.compile("Bonjour Anaïs")).is_visible()
    assert_fits_width(page)

    # Sign out, then in again from the same browser: no code this time.
    open_menu(page)
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(re.compile(r"/compte/connexion/"))
    sms_before = outbox.count("sms")
    _sign_in(page, "anais@example.org", PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name=re.compile("Bonjour Anaïs")).is_visible()
    assert outbox.count("sms") == sms_before

    # Signed out for good: the home page is the public one again.
    open_menu(page)
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


def _code_step(page, outbox, *, remember: bool):
    """ "Double authentification": the code by email, read from var/outbox, then "Continuer"."""
    page.get_by_label(re.compile("Email à")).check()
    page.get_by_role("button", name="Envoyer le code").click()
    page.get_by_label("Code de sécurité").fill(outbox.last("email").code())
    if remember:
        page.get_by_label("Se souvenir de ce navigateur").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_second_browser_is_told_by_email_then_removed_from_mes_appareils(new_page, outbox):
    from tests.factories import make_member_account
    from tests.helpers.clock import a_minute_passes

    member = make_member_account(
        member_number="445566", first_name="Inès", email="ines@example.org", mobile_phone=""
    )
    member.user.set_password(PASSWORD)
    member.user.save()

    # Her usual browser.
    mine = new_page("/compte/connexion/")
    _sign_in(mine, "445566", PASSWORD)
    _code_step(mine, outbox, remember=False)  # her first sign-in: nobody to warn

    # A second browser (another profile: its own cookies) signs in and is remembered.
    theirs = new_page("/compte/connexion/")
    _sign_in(theirs, "445566", PASSWORD)
    a_minute_passes()  # a minute since the first code
    _code_step(theirs, outbox, remember=True)
    told = [m for m in outbox.all() if m.subject == "Nouvelle connexion à votre espace"]
    assert [m.to for m in told] == ["ines@example.org"]
    assert "Ce n'était pas moi" in told[0].text

    # In her usual browser, "Mes appareils et sessions" lists it; she removes it.
    mine.goto("/compte/mes-informations/")
    mine.get_by_role("link", name="Mes appareils et sessions").click()
    assert mine.get_by_role("heading", name="Sessions ouvertes").is_visible()
    assert mine.get_by_text("adresse 127.0.x.x").first.is_visible()
    mine.get_by_role("button", name="Retirer").click()
    mine.get_by_text("Ce navigateur n'est plus mémorisé").wait_for()
    assert mine.get_by_role("button", name="Retirer").count() == 0

    # The second browser, signing in again, is asked for a code.
    open_menu(theirs)
    theirs.get_by_role("button", name="Se déconnecter").first.click()
    theirs.wait_for_url(re.compile(r"/compte/connexion/"))
    _sign_in(theirs, "445566", PASSWORD)
    assert theirs.get_by_role("heading", name="Double authentification").is_visible()


@pytest.mark.parametrize("viewport", ["desktop"])
def _code_help(page) -> str:
    """The help under "Code de sécurité", as read with the field."""
    field = page.get_by_label("Code de sécurité")
    ids = field.get_attribute("aria-describedby").split()
    return page.locator(f"#{ids[0]}").inner_text().strip()


def test_a_member_without_a_mobile_passes_the_phone_screen_of_guide_003(new_page, outbox):
    from accounts.models import CodeDevice
    from portal.models import Branding
    from tests.factories import make_member_account

    branding = Branding.current()
    branding.signin_phone_required = True
    branding.save()
    member = make_member_account(
        member_number="556677", first_name="Hugo", email="hugo@example.org", mobile_phone=""
    )
    member.user.set_password(PASSWORD)
    member.user.save()

    page = new_page("/compte/connexion/")
    _sign_in(page, "556677", PASSWORD)
    page.get_by_role("button", name="Envoyer le code").click()  # his one channel: email
    # He has no authenticator app: the code's help speaks of the code he received, no app.
    assert _code_help(page) == "Le code à 6 chiffres que vous avez reçu."
    page.get_by_label("Code de sécurité").fill(outbox.last("email", to="hugo@example.org").code())
    page.get_by_role("button", name="Continuer").click()

    # The security screen: indicate the number, "Envoyer le code", the SMS code, "Continuer".
    page.get_by_role("heading", name="Sécurité de votre espace").wait_for()
    page.get_by_label("Numéro de téléphone mobile").fill("06 11 22 33 44")
    page.get_by_role("button", name="Envoyer le code").click()
    assert _code_help(page) == "Le code à 6 chiffres reçu par SMS."
    page.get_by_label("Code de sécurité").fill(outbox.last("sms", to="+33611223344").code())
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name=re.compile("Bonjour Hugo")).is_visible()
    assert page.get_by_text("Votre numéro de téléphone mobile est vérifié.").is_visible()
    assert CodeDevice.objects.filter(
        user=member.user, channel="sms", target="+33611223344", confirmed=True
    ).exists()


def test_activation_by_sms_without_a_mobile_says_so_and_goes_on_by_email(new_page, outbox):
    """Issue 16, point 20, as a person meets it (375 px and desktop): a wrong email first, then
    "Par SMS" for a record with no mobile, told next to the choice, then the code by email."""
    MemberFactory(
        member_number="778811", last_name="LEROY", first_name="Hugo",
        email="hugo.leroy@example.org", mobile_phone="",
    )  # fmt: skip
    page = new_page("/compte/activer-mon-espace/")
    page.get_by_label("Adresse email").fill("hugo.leroy@")
    page.get_by_role("button", name="Continuer").click()
    page.locator("[data-error-summary]").wait_for()
    assert page.get_by_label("Adresse email").input_value() == "hugo.leroy@"
    page.get_by_label("Adresse email").fill("hugo.leroy@example.org")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/activer-mon-espace/reception/$"))

    page.get_by_label(re.compile("Par SMS")).check()
    page.get_by_role("button", name="Envoyer le code").click()
    error = page.locator(".field-invalid .errors")
    error.wait_for()
    assert "Aucun téléphone mobile n'est enregistré pour votre adhésion" in error.inner_text()
    assert page.get_by_label(re.compile("Par email")).is_checked()
    assert outbox.count() == 0
    assert_fits_width(page)

    page.get_by_role("button", name="Envoyer le code").click()
    page.get_by_label("Code reçu").fill(outbox.last("email", to="hugo.leroy@example.org").code())
    page.get_by_role("button", name=re.compile("^Valider")).click()
    page.wait_for_url(re.compile(r"/activer-mon-espace/mot-de-passe/$"))
