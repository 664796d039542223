"""The "Plan du site" of the footer, followed by a person signed in: every link it offers opens
a page of their space, none a "page introuvable"."""

import pytest

from tests.browser.conftest import assert_fits_width, open_partner_space, open_signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _follow_every_link(page) -> list[str]:
    """The site map's links inside its main content that do not open a page (404, 403...)."""
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    broken = []
    for href in hrefs:
        response = page.request.get(href, max_redirects=0)
        if response.status >= 400:
            broken.append(f"{href} ({response.status})")
    return broken


def _open_site_map(page):
    page.get_by_role("contentinfo").get_by_role("link", name="Plan du site").click()
    page.get_by_role("heading", name="Plan du site", level=1).wait_for()
    assert_fits_width(page)


def test_a_member_follows_only_links_of_their_space_on_the_site_map(
    new_page, live_server, member, viewport
):
    page = open_signed_in(new_page, live_server, member.user)
    _open_site_map(page)
    assert page.get_by_role("heading", name="Espace adhérent").is_visible()
    assert page.get_by_role("heading", name="Espace Partenaires").count() == 0
    assert _follow_every_link(page) == []


def test_a_technician_follows_only_links_of_their_space_on_the_site_map(
    new_page, live_server, technician, convention, viewport
):
    page = open_partner_space(new_page, live_server, technician, convention.organism)
    _open_site_map(page)
    assert page.get_by_role("heading", name="Espace Partenaires").is_visible()
    assert page.get_by_role("heading", name="Espace adhérent").count() == 0
    assert page.get_by_role("link", name="Techniciens").count() == 0
    assert _follow_every_link(page) == []


def test_a_visitor_sees_both_spaces_and_the_sign_in_on_the_site_map(new_page, viewport):
    page = new_page("/compte/connexion/")
    _open_site_map(page)
    for heading in ("Espace adhérent", "Espace Partenaires", "Accès à votre espace"):
        assert page.get_by_role("heading", name=heading).is_visible()
