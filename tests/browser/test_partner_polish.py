"""Issue 16, partner space: what a technician sees on every page and on a phone."""

import pytest

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
