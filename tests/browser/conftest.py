"""Browser journeys: Debian's Chromium driven by Playwright, desktop and phone viewports."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API runs an event loop in this thread, and the ORM calls the tests make
    themselves (creating personas, reading results) are plain synchronous calls: Django is told
    so for the module's duration only, so that no later subprocess inherits the variable.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `apt-get install chromium` (make test does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        _watch_csp(browser)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# -- Content-Security-Policy: a violation in any page fails the test -------------------------
CSP_VIOLATIONS: list[str] = []
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.guichetCspViolation(
    location.pathname + ": " + event.effectiveDirective + " blocked " + (event.blockedURI || "-")
    + " (" + (event.sourceFile || "-") + ":" + event.lineNumber + ") " + (event.sample || "")
  );
}, true);
"""


def _watch_csp(browser) -> None:
    """Every context of this browser (made by `new_page` or by a test itself) reports what the
    page's CSP blocked: the page's securitypolicyviolation events, and Chromium's console
    lines about the policy (they also cover a page with JavaScript turned off)."""
    new_context = browser.new_context

    def watched_context(**options):
        context = new_context(**options)
        context.expose_binding(
            "guichetCspViolation", lambda _source, text: CSP_VIOLATIONS.append(text)
        )
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on(
            "console",
            lambda message: (
                CSP_VIOLATIONS.append(f"console: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return context

    browser.new_context = watched_context


@pytest.fixture(autouse=True)
def no_csp_violation():
    """Fails the test if a page it opened reported a CSP violation."""
    CSP_VIOLATIONS.clear()
    yield
    violations, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def new_page(browser, viewport, live_server, settings):
    """Open pages in fresh browser contexts (a context is one browser profile: its own cookies)."""
    settings.SITE_URL = live_server.url  # links in emails lead to this server
    contexts = []

    def factory(path: str = "/", context=None):
        if context is None:
            context = browser.new_context(
                base_url=live_server.url, locale="fr-FR", **VIEWPORTS[viewport]
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield factory
    for context in contexts:
        context.close()


def assert_fits_width(page):
    """Nothing forces horizontal scrolling: the page is usable at the viewport's width."""
    from playwright.sync_api import Error as PlaywrightError

    # After a click the next page may still be arriving (no document yet, or the old one going
    # away): measure once the page that is there has loaded.
    overflow = None
    for _attempt in range(5):
        page.wait_for_load_state()
        try:
            overflow = page.evaluate(
                "(() => { const root = document.documentElement;"
                " return root ? root.scrollWidth - root.clientWidth : null; })()"
            )
        except PlaywrightError:
            overflow = None
        if overflow is not None:
            break
        page.wait_for_timeout(100)
    assert overflow is not None, "the page never finished loading"
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def open_signed_in(new_page, live_server, user, path: str = "/"):
    """A browser of its own whose session already passed the second factor, on `path`.

    For journeys that are not about signing in (test_account_journeys is)."""
    from django.conf import settings
    from django.test import Client

    from tests.test_access_matrix import _sign_in

    client = Client()
    _sign_in(client, user)
    page = new_page("/compte/connexion/")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(path)
    return page


def open_partner_space(new_page, live_server, technician, organism, path: str = "/partenaires/"):
    """A technician's browser past the second factor with `organism` chosen, on `path`."""
    from django.conf import settings
    from django.test import Client

    from partners.selectors import SESSION_ORGANISM
    from tests.test_access_matrix import _sign_in

    client = Client()
    _sign_in(client, technician)
    session = client.session
    session[SESSION_ORGANISM] = organism.pk
    session.save()
    page = new_page("/compte/connexion/")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(path)
    return page


def open_menu(page) -> None:
    """On a narrow screen the header's links and the member's menu fold behind "Menu" (issue 14):
    open it, as a person on a phone does, before following one of them. Nothing on a wide one."""
    page.wait_for_load_state("load")  # guichet.js has folded the menu, or not
    button = page.get_by_role("button", name="Menu", exact=True)
    if button.is_visible() and button.get_attribute("aria-expanded") == "false":
        button.click()
