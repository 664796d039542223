"""Issue 14, point 2, "phone first": on a 320 x 640 or 375 x 667 screen the header is one line
(the brand and a "Menu" button), the member's requests are on the home page's first screen and in
the menu, every page of the menus fits the width with its title on the first screen, and the
virtual advisor's button never covers the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_width, open_partner_space, open_signed_in
from tests.factories import make_payment
from tests.helpers.axe import assert_no_violation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = {"320x640": (320, 640), "375x667": (375, 667)}
FIRST_ACTION = "Envoyer un document (facture, devis, justificatif...)"


@pytest.fixture(params=list(PHONES))
def phone(request, browser, live_server, settings):
    """A page factory for a phone of the size named by the parameter (same signature as the
    `new_page` fixture, so that `open_signed_in` and `open_partner_space` can use it)."""
    settings.SITE_URL = live_server.url
    width, height = PHONES[request.param]
    contexts = []

    def factory(path: str = "/", context=None, **options):
        if context is None:
            context = browser.new_context(
                base_url=live_server.url,
                locale="fr-FR",
                viewport={"width": width, "height": height},
                is_mobile=True,
                has_touch=True,
                **options,
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    factory.height = height
    yield factory
    for context in contexts:
        context.close()


def _menu_button(page):
    return page.get_by_role("button", name="Menu", exact=True)


def _first_screen_holds(page, locator, height: int, what: str) -> None:
    """`locator` is drawn entirely within the first `height` pixels of the page, the page not
    scrolled."""
    assert page.evaluate("window.scrollY") == 0, what
    box = locator.bounding_box()
    assert box is not None, f"{what}: not drawn"
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{what}: {box}"


def test_the_first_request_is_on_the_home_pages_first_screen(phone, live_server, member):
    for _ in range(4):  # the chart and the table exist: they come after the requests
        make_payment(member, lines=2)
    page = open_signed_in(phone, live_server, member.user, "/")
    page.wait_for_load_state("load")  # guichet.js has folded the menu
    first = page.locator("main").get_by_role("link", name=FIRST_ACTION)
    _first_screen_holds(page, first, phone.height, "Envoyer un document")
    _first_screen_holds(
        page, page.locator("main").get_by_role("link", name="Poser une question"), phone.height,
        "Poser une question",
    )  # fmt: skip
    assert first.bounding_box()["y"] < page.locator("svg.rb-chart").bounding_box()["y"]
    # The header, its menu folded, takes a small share of the screen.
    header_end = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert header_end <= 0.2 * phone.height, header_end
    assert _menu_button(page).is_visible()
    assert not page.get_by_role("button", name="Se déconnecter").is_visible()

    first.click()
    page.wait_for_url(re.compile(r"/demandes/envoyer-un-document/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Envoyer un document")


def test_the_menu_opens_and_closes_by_keyboard_and_holds_the_requests(phone, live_server, member):
    page = open_signed_in(phone, live_server, member.user, "/contrat/")
    page.wait_for_load_state("load")
    button = _menu_button(page)
    expect(button).to_have_attribute("aria-expanded", "false")
    menu = page.locator("#member-nav")
    expect(menu).to_be_hidden()

    for _ in range(5):  # skip link, brand, then the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    for name in ("Mon compte", "Mes données"):
        expect(page.locator("#header-nav").get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_label("Langue")).to_be_visible()
    requests = menu.get_by_role("list", name="Faire une demande")
    for name in (FIRST_ACTION, "Poser une question", "Déclarer un changement"):
        expect(requests.get_by_role("link", name=name)).to_be_visible()
    expect(menu.get_by_role("link", name="Mes remboursements santé")).to_be_visible()
    expect(menu.get_by_role("link", name="Mon contrat")).to_have_attribute("aria-current", "page")

    page.keyboard.press("Tab")  # into the menu: its first link
    expect(page.locator("#header-nav").get_by_role("link", name="Mon compte")).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(menu).to_be_hidden()

    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "true")
    assert_no_violation(page)  # axe-core on the open menu too
    requests.get_by_role("link", name="Poser une question").click()
    page.wait_for_url(re.compile(r"/demandes/poser-une-question/$"))
    expect(_menu_button(page)).to_have_attribute("aria-expanded", "false")  # folded again
    assert_fits_width(page)


def test_without_javascript_the_menu_stays_open(phone, live_server, member):
    without_script = lambda path: phone(path, java_script_enabled=False)  # noqa: E731
    page = open_signed_in(without_script, live_server, member.user, "/")
    assert not _menu_button(page).is_visible()
    assert page.locator("#member-nav").get_by_role("link", name="Poser une question").is_visible()
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    assert_fits_width(page)


# The advisor's button against the page's content, at every scroll position of the page.
_COVERED = """
() => {
  const toggle = Array.from(document.querySelectorAll('.advisor-toggle'))
    .find(element => element.getClientRects().length > 0);
  if (!toggle) { return ['no advisor button']; }
  const targets = Array.from(document.querySelectorAll(
    'main .error-summary, main input:not([type=hidden]), main select, main textarea, main button,'
    + ' main a, main label, main h1, main .errors'))
    .filter(element => element.getClientRects().length > 0);
  const hits = [];
  const step = Math.max(100, Math.floor(window.innerHeight / 2));
  for (let y = 0; y <= document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    const own = toggle.getBoundingClientRect();
    for (const target of targets) {
      const box = target.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) { continue; }
      const across = own.left < box.right && box.left < own.right;
      if (across && own.top < box.bottom && box.top < own.bottom) {
        hits.push(`at ${y}: ${target.tagName.toLowerCase()}#${target.id}.${target.className}`);
      }
    }
  }
  window.scrollTo(0, 0);
  return hits;
}
"""


def _menu_paths(page) -> list[str]:
    """The same-site pages the menus of this page lead to, the menu opened first."""
    button = _menu_button(page)
    if button.is_visible() and button.get_attribute("aria-expanded") == "false":
        button.click()
    hrefs = page.evaluate(
        "Array.from(document.querySelectorAll("
        "'#header-nav a, #member-nav a, .partner-bands a, nav.partner-menu a, .ods-card a'))"
        ".filter(a => a.origin === location.origin).map(a => a.pathname)"
    )
    return list(dict.fromkeys(hrefs))


def _assert_phone_ready(page, height: int, path: str) -> None:
    assert_fits_width(page)
    heading = page.locator("h1").first
    assert heading.is_visible(), path
    _first_screen_holds(page, heading, height, path)


def test_every_page_of_the_member_menus_fits_shows_its_title_first_and_nothing_covers_it(
    phone, live_server, member
):
    make_payment(member, lines=2)
    page = open_signed_in(phone, live_server, member.user, "/")
    paths = _menu_paths(page)
    assert "/demandes/poser-une-question/" in paths and "/remboursements/" in paths
    assert "/compte/mes-informations/" in paths and "/contact/" in paths
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        _assert_phone_ready(page, phone.height, path)
        assert page.evaluate(_COVERED) == [], path


@pytest.mark.parametrize("role", ["technician", "partner_manager"])
def test_every_page_of_the_partner_menus_fits_and_shows_its_title_first(
    phone, live_server, convention, role, request
):
    from tests.factories import make_partner_request

    technician = request.getfixturevalue("technician")
    person = request.getfixturevalue(role)
    make_partner_request(technician=technician, organism=convention.organism)
    page = open_partner_space(
        phone, live_server, person, convention.organism, "/partenaires/accueil/"
    )
    page.wait_for_load_state("load")
    header_end = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert header_end <= 0.2 * phone.height, header_end
    paths = _menu_paths(page)
    assert any(path.startswith("/partenaires/historique") for path in paths), paths
    if role == "partner_manager":
        assert any("technicien" in path for path in paths), paths
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        _assert_phone_ready(page, phone.height, path)


# -- The advisor's button: docked, never over the page ---------------------------------------
SCREENS = {
    "320x640": {"width": 320, "height": 640},
    "375x667": {"width": 375, "height": 667},
    # A 1280 x 900 window at 200 % zoom: 640 x 450 CSS pixels.
    "zoom-200": {"width": 640, "height": 450},
    "desktop": {"width": 1280, "height": 900},
    # Wide enough for the button to float in the margin beside the content.
    "wide": {"width": 1536, "height": 864},
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_advisor_button_never_covers_a_form_in_its_error_state(
    browser, live_server, member, screen, settings
):
    settings.SITE_URL = live_server.url

    def factory(path="/"):
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport=SCREENS[screen]
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(path)
        return page

    page = open_signed_in(factory, live_server, member.user, "/demandes/poser-une-question/")
    page.get_by_role("button", name="Vérifier le résumé").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    toggle = page.get_by_role("button", name="Une question ?")
    expect(toggle).to_be_visible()
    assert page.evaluate(_COVERED) == []
    # Still there to be used: it opens its panel, which fits the screen.
    toggle.click()
    panel = page.get_by_role("dialog", name="Votre conseiller virtuel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"], box
    assert_fits_width(page)
    page.context.close()
