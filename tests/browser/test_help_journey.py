"""Issue 6 end to end, as a member does it, on a desktop and on a phone: find a dentist who
practises tiers payant in Bordeaux with "Mes outils" (the health-professional locator), and ask
the virtual advisor how to get the tiers-payant card, then follow its "Télécharger ma carte"
link to the card."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Specialty
from support.demo import demo_support_load
from tests.browser.conftest import VIEWPORTS, assert_fits_width, open_menu, open_signed_in
from tests.factories import ContractFactory
from tests.test_locator import _pro

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Comment obtenir ma carte de tiers payant ?"


@pytest.fixture(autouse=True)
def _patient_expect():
    """`expect` waits as long as the pages' own default timeout (conftest), then goes back to
    Playwright's default for whatever runs next."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def _names(page) -> list[str]:
    """The professionals listed, top to bottom."""
    return page.locator(".locator-row .pro-name").all_inner_texts()


def _row(page, name):
    return page.locator(".locator-row", has=page.locator(".pro-name", has_text=name))


def _mark(row) -> str:
    """The tiers-payant mark of a result, as read: a sign and words."""
    return " ".join(row.locator(".badge").inner_text().split())


def _search(page):
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(re.compile(r"/professionnels-de-sante/\?.*specialite=dentist"))


# -- (a) A dentist practising tiers payant near a postcode -----------------------------------
def test_a_member_finds_a_dentist_practising_tiers_payant_in_bordeaux(
    new_page, live_server, member, viewport
):
    _pro(
        "Dr Jeanne LEROY",
        "33000",
        "Bordeaux",
        address="12 cours de l'Intendance",
        phone="+33556123456",
        tiers_payant=True,
    )
    _pro("Dr Hugo BERNARD", "33000", "Bordeaux", address="3 rue Sainte-Catherine",
         tiers_payant=False)  # fmt: skip
    _pro("Dr Claire DUPUY", "33600", "Pessac", tiers_payant=True)  # another city
    _pro("Dr Marc GIRAUD", "33000", "Bordeaux", specialty=Specialty.GENERAL_PRACTITIONER)

    page = open_signed_in(new_page, live_server, member.user, "/")
    open_menu(page)
    page.locator("nav.member-nav").get_by_role("link", name="Mes outils").click()
    page.wait_for_url(re.compile(r"/professionnels-de-sante/$"))
    expect(
        page.get_by_role("heading", name="Localiser un professionnel de santé", level=1)
    ).to_be_visible()
    assert_fits_width(page)

    # Chirurgien-dentiste, 33000 typed, "Rechercher": the two dentists of Bordeaux.
    page.get_by_label("Spécialité").select_option(label="Chirurgien-dentiste")
    page.get_by_label("Code postal").press_sequentially("33000")
    tiers_payant_only = page.get_by_label(
        "Uniquement les professionnels pratiquant le tiers payant"
    )
    expect(tiers_payant_only).not_to_be_checked()
    _search(page)
    count = page.locator(".result-count")
    expect(count).to_contain_text("2 professionnels « Chirurgien-dentiste » à 33000 Bordeaux")
    assert sorted(_names(page)) == ["Dr Hugo BERNARD", "Dr Jeanne LEROY"]
    assert _mark(_row(page, "Dr Jeanne LEROY")) == "✓ Tiers payant"
    assert _mark(_row(page, "Dr Hugo BERNARD")) == "✗ Pas de tiers payant"
    assert_fits_width(page)

    # The filter ticked (the specialty and the postcode are still there): LEROY alone.
    expect(page.get_by_label("Spécialité")).to_have_value("dentist")
    expect(page.get_by_label("Code postal")).to_have_value("33000")
    tiers_payant_only.check()
    _search(page)
    expect(count).to_contain_text("1 professionnel « Chirurgien-dentiste » à 33000 Bordeaux")
    expect(tiers_payant_only).to_be_checked()
    assert _names(page) == ["Dr Jeanne LEROY"]
    leroy = _row(page, "Dr Jeanne LEROY")
    assert _mark(leroy) == "✓ Tiers payant"
    expect(leroy).to_contain_text("12 cours de l'Intendance")
    expect(leroy.get_by_role("link", name="05 56 12 34 56")).to_have_attribute(
        "href", "tel:+33556123456"
    )
    expect(leroy.locator(".distance")).to_have_text(re.compile(r"^\d+,\d km$"))
    results = page.locator(".locator-results")
    for absent in ("Dr Hugo BERNARD", "Dr Claire DUPUY", "Dr Marc GIRAUD", "Pessac"):
        expect(results.get_by_text(absent)).to_have_count(0)
    assert_fits_width(page)


# -- (b) The advisor asked how to get the card, its link followed -----------------------------
def test_a_member_asks_the_advisor_how_to_get_the_card_and_follows_its_link(
    new_page, live_server, member, viewport
):
    demo_support_load()  # the demo FAQ: several themes, three entries about the card
    contract = ContractFactory(member=member)

    page = open_signed_in(new_page, live_server, member.user, "/remboursements/")
    expect(page.get_by_role("heading", name="Mes remboursements santé", level=1)).to_be_visible()
    toggle = page.get_by_role("button", name="Une question ?")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    advisor = page.get_by_role("dialog", name="Votre conseiller virtuel")
    expect(advisor).to_be_hidden()

    # "Une question ?": the panel opens on the field, greeting the member.
    toggle.click()
    expect(advisor).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    question = advisor.get_by_label("Votre question")
    expect(question).to_be_focused()
    expect(
        advisor.get_by_text(re.compile(r"^Bonjour ! Je réponds à vos questions"))
    ).to_be_visible()
    box = advisor.bounding_box()
    width = VIEWPORTS[viewport]["viewport"]["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert_fits_width(page)

    # The question typed and sent: the answer from the FAQ, with the link to do it.
    question.press_sequentially(QUESTION)
    advisor.get_by_role("button", name="Envoyer").click()
    exchange = advisor.locator(".advisor-exchange").last
    expect(exchange.locator(".advisor-said-member")).to_contain_text(QUESTION)
    answer = exchange.locator(".advisor-said-advisor")
    expect(answer.locator(".advisor-topic")).to_have_text(QUESTION)
    expect(answer).to_contain_text("rubrique « Ma carte de tiers payant »")
    expect(answer.get_by_role("link", name="Voir dans la FAQ")).to_be_visible()
    expect(question).to_have_value("")
    assert page.url.endswith("/remboursements/")  # answered without leaving the page
    assert_fits_width(page)

    # "Télécharger ma carte": the card page, the member's own card shown.
    answer.get_by_role("link", name="Télécharger ma carte").click()
    page.wait_for_url(re.compile(r"/carte/$"))
    expect(page.get_by_role("heading", name="Ma carte de tiers payant", level=1)).to_be_visible()
    card = page.get_by_role("article", name="Carte de tiers payant")
    expect(card).to_be_visible()
    expect(card.locator(".tp-card-block")).to_contain_text(member.member_number)
    facts = card.locator(".tp-card-facts")
    expect(facts).to_contain_text("Marie MARTIN")
    expect(facts).to_contain_text(contract.number)
    expect(
        page.get_by_role("link", name=re.compile(r"^Télécharger la carte de Marie MARTIN"))
    ).to_be_visible()
    assert_fits_width(page)
