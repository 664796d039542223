"""Issue 16, partner space: what a technician sees on every page and on a phone."""

import pytest
from playwright.sync_api import expect

from partners.catalogue import SERVICES, Service
from tests.browser.conftest import open_partner_space
from tests.factories import make_partner_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU_BAND = "rgb(59, 66, 80)"  # partners.css, .partner-menu


def _bands_are_styled(page):
    band = page.locator("nav.partner-menu")
    assert band.evaluate("nav => getComputedStyle(nav).backgroundColor") == MENU_BAND
    logo = page.locator(".partner-logo")
    assert logo.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"


@pytest.mark.parametrize("viewport", ["desktop"])
def test_every_page_of_the_partner_space_draws_its_header_bands(
    new_page, live_server, technician, convention
):
    organism = convention.organism
    sent = make_partner_request(technician=technician, organism=organism)
    slug = SERVICES[Service.CASE_STUDY].slug
    page = open_partner_space(new_page, live_server, technician, organism, "/partenaires/accueil/")
    _bands_are_styled(page)
    for path in [
        f"/partenaires/demande/{slug}/",
        f"/partenaires/demande/envoyee/{sent.number}/",
        "/partenaires/historique/",
        f"/partenaires/historique/{sent.number}/",
        f"/partenaires/historique/{sent.number}/completer/",
        f"/partenaires/historique/{sent.number}/annuler/",
    ]:
        page.goto(path)
        _bands_are_styled(page)


def test_on_a_phone_the_history_filters_fold_behind_filtrer(
    new_page, live_server, viewport, technician, convention
):
    organism = convention.organism
    for _ in range(3):
        make_partner_request(technician=technician, organism=organism)
    page = open_partner_space(
        new_page, live_server, technician, organism, "/partenaires/historique/"
    )
    first = page.locator(".ph-card").first
    status = page.get_by_label("Statut")
    toggle = page.get_by_role("button", name="Filtrer", exact=True)
    if viewport == "desktop":
        assert status.is_visible()
        assert not toggle.is_visible()
        return
    # The first request is on the first screen, the filters one tap away.
    assert first.bounding_box()["y"] < 740
    assert not status.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    status.select_option(label="Nouveau")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**statut=**")
    # A filter applied keeps the form open, with what was chosen.
    assert status.is_visible()
    assert status.evaluate("select => select.selectedOptions[0].text") == "Nouveau"


def test_on_a_phone_a_search_of_the_history_shows_its_results(
    new_page, live_server, viewport, technician, convention
):
    """The filter form stays open after "Rechercher" (it is taller than the screen): the page
    comes back on the results, not on the form as if nothing had happened."""
    organism = convention.organism
    for _ in range(3):
        make_partner_request(technician=technician, organism=organism)
    page = open_partner_space(
        new_page, live_server, technician, organism, "/partenaires/historique/"
    )
    _open_filters(page)
    page.get_by_label("Statut").select_option(label="Nouveau")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**statut=**")
    page.wait_for_load_state("load")
    expect(page.locator(".ph-bar-top .result-count")).to_have_text("3 demandes")
    expect(page.locator(".ph-card").first).to_be_in_viewport()
    # A criterion that is not valid: the page stays on the error summary instead.
    _open_filters(page)
    page.get_by_label("Déposée du").fill("45/13/2026")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**du=45**")
    page.wait_for_load_state("load")
    summary = page.get_by_role("heading", name="Certains critères ne sont pas valides")
    expect(summary).to_be_in_viewport()


def _open_filters(page):
    toggle = page.get_by_role("button", name="Filtrer", exact=True)
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
