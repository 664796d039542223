import pytest

from tests.browser.conftest import assert_fits_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_welcome_page_fits_a_320_px_screen_and_shows_focus(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 640}, locale="en-US"
    )
    page = context.new_page()
    page.goto("/")
    # French even for a browser that prefers English, until the person switches.
    assert page.get_by_role("link", name="Me connecter").is_visible()
    assert_fits_width(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    context.close()


def test_the_person_can_switch_the_interface_to_english(new_page):
    page = new_page("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Langue").select_option("en")  # applied at once, no button needed
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("link", name="Sign in").is_visible()
