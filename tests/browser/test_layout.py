import pytest

from tests.browser.conftest import assert_fits_width, open_signed_in

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
    page.get_by_label("Langue").select_option("en")  # nothing happens until the button
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("button", name="Changer").click()
    page.locator("html[lang=en]").wait_for(state="attached")
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_every_page_of_the_member_requests_fits_a_320_px_screen(
    browser, live_server, member, insurer_manager
):
    from django.conf import settings
    from django.test import Client

    from casework.services import case_move
    from requests_app.services import member_request_submit
    from tests.test_access_matrix import _sign_in

    sent = member_request_submit(
        member=member, kind="question", by=member.user, topic="card",
        topic_label="Ma carte de tiers payant", message="Comment obtenir ma carte ? " * 20,
    )  # fmt: skip
    case_move(case=sent, move="take", by=insurer_manager)
    case_move(case=sent, move="resolve", by=insurer_manager, text="Depuis votre espace. " * 20)
    asked = member_request_submit(
        member=member, kind="question", by=member.user, topic="card",
        topic_label="Ma carte de tiers payant", message="Et pour mon fils ? " * 20,
    )  # fmt: skip
    case_move(case=asked, move="take", by=insurer_manager)
    case_move(case=asked, move="ask", by=insurer_manager, text="Son numéro de sécurité sociale ?")
    fresh = member_request_submit(member=member, kind="question", by=member.user, message="Merci")
    client = Client()
    _sign_in(client, member.user)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    for path in [
        "/",
        "/demandes/",
        f"/demandes/{sent.reference}/",
        f"/demandes/{asked.reference}/",
        f"/demandes/{fresh.reference}/annuler/",
        "/mes-documents/",
        "/mes-documents/historique-des-mails/",
        "/messagerie/",
        "/messagerie/ecrire/",
        "/demandes/envoyer-un-document/",
        "/demandes/medecine-douce/",
        "/demandes/poser-une-question/",
        "/demandes/remboursement/",
        "/demandes/devis/",
        "/demandes/declarer-un-changement/",
        "/demandes/declarer-un-changement/coordonnees-bancaires/",
        "/contrat/",
        "/carte/",
        "/beneficiaires/",
        "/remboursements/",
        "/remboursements/rib/",
        "/suivi/",
        "/aide/faq/",
        "/contact/",
        "/services/",
        "/professionnels-de-sante/",
    ]:
        page.goto(path)
        assert page.locator("h1").first.is_visible(), path
        assert_fits_width(page)
    # The summary page, from a question typed at 320 px.
    page.goto("/demandes/poser-une-question/")
    # In the page's form, not the virtual advisor's panel (its field has the same label).
    form = page.locator("main")
    form.get_by_label("Objet de la question").select_option(label="Mes remboursements")
    form.get_by_label("Votre question").fill("Quand serai-je remboursée ? " * 30)
    page.get_by_role("button", name="Vérifier le résumé").click()
    page.get_by_role("heading", name="Vérifier le résumé").wait_for()
    assert_fits_width(page)
    context.close()


def test_se_deconnecter_looks_like_the_other_header_links_on_a_desktop(
    new_page, live_server, member
):
    page = open_signed_in(new_page, live_server, member.user, "/")
    page.set_viewport_size({"width": 1280, "height": 800})
    header = page.locator(".site-header")
    decoration = "e => getComputedStyle(e).textDecorationLine"
    account = header.get_by_role("link", name="Mon compte").evaluate(decoration)
    logout = header.get_by_role("button", name="Se déconnecter").evaluate(decoration)
    assert account == logout == "none"
