"""Forms that read well to everybody (issue 14, point 6), in a real browser: the error
summary's link to a file field focuses the visible "Parcourir…" button, and the language list
does nothing until its button is pressed."""

import pytest

from tests.browser.conftest import open_menu, open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("viewport", ["desktop"], indirect=True),
]

URL = "/demandes/envoyer-un-document/"


def test_the_summary_link_of_a_file_field_focuses_its_browse_button(new_page, live_server, member):
    page = open_signed_in(new_page, live_server, member.user, URL)
    page.locator(".uploader.is-enhanced").wait_for()
    page.get_by_role("button", name="Vérifier le résumé").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.title().startswith("Erreur – Étape 1 sur 3 – ")

    page.locator(".uploader.is-enhanced").wait_for()
    summary.locator("a[href='#id_files']").click()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "id_files_browse"
    browse = page.locator("#id_files_browse")
    assert browse.is_visible()
    assert browse.inner_text().strip().startswith("Parcourir")


def test_the_language_list_waits_for_its_button(new_page, live_server, member):
    page = open_signed_in(new_page, live_server, member.user, "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.wait_for_load_state("load")  # guichet.js has run
    open_menu(page)  # on a phone the language list is in the menu
    select = page.locator("#lang-select")
    select.focus()
    page.keyboard.press("ArrowDown")
    assert select.input_value() == "en"
    page.wait_for_timeout(500)  # time enough for a page load the change would have started
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#lang-select").input_value() == "en"  # the same page: not reloaded

    page.get_by_role("button", name="Changer").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
