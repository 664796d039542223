"""axe-core finds no violation on the compliance pages (issue 18), on desktop and phone widths:
the five legal pages and the site map (anonymous), "Mes données" of a member and of a partner,
and the member's closure request page. axe-core is the npm package (tests/helpers/axe.py); every
other member and partner page is swept by test_accessibility_sweep.py."""

import re

import pytest

from privacy.demo import demo_privacy_load
from privacy.models import LegalPage
from tests.browser.conftest import open_signed_in
from tests.helpers.axe import assert_no_violation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEGAL_PAGES = [f"/informations/{kind}/" for kind in LegalPage.Kind.values]


@pytest.mark.parametrize("path", [*LEGAL_PAGES, "/plan-du-site/"])
def test_the_legal_pages_and_the_site_map_have_no_axe_violation(new_page, path):
    demo_privacy_load()
    page = new_page(path)
    assert page.locator("h1").count() == 1
    assert_no_violation(page)


@pytest.mark.parametrize("path", ["/mes-donnees/", "/mes-donnees/cloture/"])
def test_the_members_data_pages_have_no_axe_violation(new_page, live_server, member, path):
    page = open_signed_in(new_page, live_server, member.user, path)
    assert page.url.endswith(path)
    assert_no_violation(page)


def test_the_partners_data_page_has_no_axe_violation(new_page, live_server, technician, convention):
    page = open_signed_in(new_page, live_server, technician, "/mes-donnees/")
    assert page.url.endswith("/mes-donnees/")
    assert page.get_by_role("button", name="Télécharger mes données").is_visible()
    assert_no_violation(page)


def test_mes_appareils_et_sessions_has_no_axe_violation(new_page, live_server, member):
    from django.utils import timezone

    from accounts.models import TrustedBrowser

    TrustedBrowser.objects.create(
        user=member.user,
        key_hash="k" * 64,
        last_ip="192.0.2.1",
        verified_at=timezone.now(),
        user_agent="Mozilla/5.0 (Windows NT 10.0) Gecko/20100101 Firefox/128.0",
    )
    page = open_signed_in(new_page, live_server, member.user, "/compte/mes-informations/appareils/")
    assert page.get_by_role("button", name="Retirer").is_visible()
    assert_no_violation(page)


def test_the_not_me_page_has_no_axe_violation(new_page, member):
    from accounts.tokens import not_me_secret

    page = new_page(f"/compte/ce-n-etait-pas-moi/{not_me_secret(user=member.user)}/")
    assert_no_violation(page)
    page.get_by_role("button", name="Fermer toutes les sessions").click()
    page.get_by_text("Toutes les sessions de votre espace ont été fermées").wait_for()
    assert_no_violation(page)


def test_the_phone_screen_of_guide_003_has_no_axe_violation(new_page, outbox, password):
    from tests.factories import make_member_account

    make_member_account(member_number="300002", email="", mobile_phone="")
    page = new_page("/compte/connexion/")
    page.get_by_label("Identifiant").fill("300002")
    page.get_by_label(re.compile(r"^Mot de passe\b")).fill(password)
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_role("heading", name="Sécurité de votre espace").wait_for()
    assert_no_violation(page)
    page.get_by_label("Numéro de téléphone mobile").fill("01 23")
    page.get_by_role("button", name="Envoyer le code").click()
    page.locator(".field-invalid").wait_for()
    assert_no_violation(page)  # the error state
    page.get_by_label("Numéro de téléphone mobile").fill("06 11 22 33 44")
    page.get_by_role("button", name="Envoyer le code").click()
    page.get_by_label("Code de sécurité").wait_for()
    assert_no_violation(page)
