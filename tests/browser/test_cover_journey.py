"""Issue 5 end to end, as a member does it, on a desktop and on a phone: the "Focus
remboursements" of the home page and a recent payment opened from it, a period searched in
"Mes remboursements" and all its statements downloaded, and a beneficiary's tiers-payant card
shown and downloaded."""

import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cover.models import Payment
from cover.summary import twelve_months_before
from portal.models import Branding
from tests.browser.conftest import assert_fits_width, open_menu, open_signed_in
from tests.factories import ContractFactory, PaymentFactory, ReimbursementFactory, make_payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSURER = "Mutuelle Étoile Santé"


@pytest.fixture(autouse=True)
def _patient_expect():
    """`expect` waits as long as the pages' own default timeout (conftest), then goes back to
    Playwright's default for whatever runs next."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


@pytest.fixture(autouse=True)
def _branding(db):
    Branding.objects.update_or_create(
        pk=1, defaults={"insurer_name": INSURER, "amc_number": "784512369"}
    )


# -- Data and reading helpers --------------------------------------------------------------------
def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def jj(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _paid(member, days, *lines, payee=None):
    """A payment `days` ago made of `lines` (care type, real cost, SS share, insurer share,
    extra fields), its amount the sum of the insurer shares as the import leaves it; to a
    professional (tiers payant) when `payee` is given."""
    payment = PaymentFactory(
        member=member,
        payment_date=days_ago(days),
        payee_kind="professional" if payee else "member",
        payee_name=payee or member.full_name,
    )
    for care_type, real, ss, insurer, extra in lines:
        ReimbursementFactory(
            payment=payment,
            care_type=care_type,
            real_cost=Decimal(real),
            ss_base=Decimal(real),
            ss_share=Decimal(ss),
            insurer_share=Decimal(insurer),
            **extra,
        )
    Payment.objects.filter(pk=payment.pk).update(
        amount=sum(Decimal(insurer) for _c, _r, _s, insurer, _e in lines)
    )
    payment.refresh_from_db()
    return payment


def _cells(row) -> list[str]:
    """What a row of a table says, header cell first, each cell's text on one line."""
    return [" ".join(text.split()) for text in row.locator("th, td").all_inner_texts()]


def _pdf_text(download) -> str:
    """The text of every page of a downloaded PDF, runs of spaces made single spaces."""
    with open(download.path(), "rb") as downloaded:
        content = downloaded.read()
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# -- (a) The home page's summary of the last 12 months ------------------------------------------
def test_the_home_page_sums_up_the_last_twelve_months_and_opens_a_recent_payment(
    new_page, live_server, member, viewport
):
    lucas = member.beneficiaries.get(first_name="Lucas")
    paul = member.beneficiaries.get(first_name="Paul")
    _paid(member, 100, ("consultation", "30.00", "18.00", "10.00", {}))
    pharmacy = _paid(member, 60, ("pharmacy", "45.60", "29.64", "15.96", {"beneficiary": lucas}))
    crown = _paid(
        member,
        30,
        (
            "dental",
            "550.00",
            "64.50",
            "258.00",
            {
                "beneficiary": paul,
                "act": "Couronne céramique",
                "practitioner": "Dr Hélène FAURE",
            },
        ),
    )
    newest = _paid(
        member,
        10,
        ("consultation", "25.00", "15.00", "8.00", {"beneficiary": lucas}),
        payee="Cabinet médical Pey-Berland",
    )
    # More than twelve months ago: neither summed nor among the last payments.
    _paid(member, 400, ("optics", "999.00", "0.00", "100.00", {}))

    page = open_signed_in(new_page, live_server, member.user, "/")
    focus = page.get_by_role("region", name="Focus remboursements")
    expect(focus.get_by_role("heading", name="Focus remboursements")).to_be_visible()
    end = timezone.localdate()
    start = twelve_months_before(end)
    expect(
        focus.get_by_text(
            "La synthèse de vos remboursements et de ceux de vos bénéficiaires sur les "
            f"12 derniers mois, du {jj(start)} au {jj(end)}."
        )
    ).to_be_visible()

    # The three totals above the chart.
    totals = focus.locator(".rb-totals > div")
    assert [" ".join(text.split()) for text in totals.all_inner_texts()] == [
        "Frais réels 650,60 €",
        "Remboursé (Sécurité sociale et complémentaire) 419,10 €",
        "Reste à charge 231,50 €",
    ]

    # The chart: an image whose name says the totals, a bar per type of care.
    chart = focus.get_by_role("img", name=re.compile(r"^Graphique de vos remboursements"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile(r"Au total : frais réels 650,60 €"))
    assert chart.locator("text.rb-label").all_text_contents() == [
        "Consultations et visites",
        "Pharmacie",
        "Dentaire",
    ]
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    assert focus.get_by_text("Optique").count() == 0

    # The same figures in the table, a row per type of care, then the total.
    table = focus.get_by_role(
        "table", name="Synthèse de vos remboursements sur les 12 derniers mois"
    )
    expect(table).to_be_visible()
    assert _cells(table.locator("thead tr")) == [
        "Type de soins",
        "Frais réels",
        "Part Sécurité sociale",
        "Part complémentaire",
        "Reste à charge",
    ]
    assert [_cells(row) for row in table.locator("tbody tr").all()] == [
        ["Consultations et visites", "55,00 €", "33,00 €", "18,00 €", "4,00 €"],
        ["Pharmacie", "45,60 €", "29,64 €", "15,96 €", "0,00 €"],
        ["Dentaire", "550,00 €", "64,50 €", "258,00 €", "227,50 €"],
    ]
    assert _cells(table.locator("tfoot tr")) == [
        "Total",
        "650,60 €",
        "127,14 €",
        "291,96 €",
        "231,50 €",
    ]

    # The three last payments, newest first, the tiers payant said.
    payments = focus.get_by_role("list", name="Derniers remboursements").get_by_role("listitem")
    expect(payments).to_have_count(3)
    expected = [
        (newest, "8,00 €", "à Cabinet médical Pey-Berland (tiers payant)"),
        (crown, "258,00 €", "à Marie MARTIN"),
        (pharmacy, "15,96 €", "à Marie MARTIN"),
    ]
    for item, (payment, amount, payee) in zip(payments.all(), expected, strict=True):
        text = " ".join(item.inner_text().split())
        assert text.startswith(f"{amount} payé le {jj(payment.payment_date)} {payee}"), text
        assert "Voir le détail" in text
    assert_fits_width(page)

    # The crown for Paul, opened from the home page.
    focus.get_by_role("link", name=re.compile(rf"du paiement {crown.number}$")).click()
    page.wait_for_url(re.compile(rf"/remboursements/paiements/{crown.number}/$"))
    expect(page.get_by_role("heading", name=f"Paiement n° {crown.number}")).to_be_visible()
    summary = page.locator(".payment-detail .summary-row")
    assert [" ".join(text.split()) for text in summary.all_inner_texts()] == [
        f"Date de paiement {jj(crown.payment_date)}",
        "Payé à Marie MARTIN",
        "Montant payé 258,00 €",
    ]
    lines = page.locator(".payment-lines tbody tr")
    expect(lines).to_have_count(1)
    care_date = crown.lines.get().care_date
    assert _cells(lines.first) == [
        jj(care_date),
        "Dentaire Couronne céramique",
        "Dr Hélène FAURE",
        "Paul MARTIN",
        "550,00 €",
        "550,00 €",
        "64,50 €",
        "258,00 €",
        "227,50 €",
    ]
    assert_fits_width(page)


# -- (b) A period searched, and all its statements downloaded ----------------------------------
def test_a_member_searches_a_period_and_downloads_all_its_statements(
    new_page, live_server, member, viewport
):
    start, end = days_ago(180), days_ago(60)
    before = make_payment(member, payment_date=start - datetime.timedelta(days=1))
    first = make_payment(member, payment_date=start)
    middle = make_payment(member, lines=2, payment_date=days_ago(120))
    last = make_payment(member, payment_date=end)
    after = make_payment(member, payment_date=end + datetime.timedelta(days=1))
    # Paid to a professional within the period: in "Remboursements aux tiers", not this list.
    to_professional = make_payment(member, third_party=True, payment_date=days_ago(100))

    page = open_signed_in(new_page, live_server, member.user, "/")
    open_menu(page)
    page.locator("nav.member-nav").get_by_role("link", name="Mes remboursements").click()
    page.wait_for_url(re.compile(r"/remboursements/$"))
    expect(page.get_by_role("heading", name="Mes remboursements santé", level=1)).to_be_visible()
    rows = page.locator(".payment-row")
    # The last 12 months by default: the five payments to the member.
    expect(rows).to_have_count(5)
    assert_fits_width(page)

    # The period typed in "Du" and "Au", then "Rechercher".
    for label, day in (("Du", start), ("Au", end)):
        box = page.get_by_label(label, exact=True)
        box.clear()
        box.press_sequentially(jj(day))
        expect(box).to_have_value(jj(day))
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(re.compile(r"/remboursements/\?.*du="))

    expect(page.locator(".result-count")).to_contain_text(
        f"3 paiements du {jj(start)} au {jj(end)}"
    )
    expect(page.locator(".result-count")).to_contain_text("Montant total payé : 40,00 €")
    # On a phone too the page comes back on the results, not on the form searched with.
    expect(page.locator(".result-count")).to_be_in_viewport()
    expect(rows).to_have_count(3)
    assert [" ".join(text.split()) for text in rows.locator(".reference").all_inner_texts()] == [
        last.number,
        middle.number,
        first.number,
    ]
    # The boxes keep the period searched.
    expect(page.get_by_label("Du", exact=True)).to_have_value(jj(start))
    expect(page.get_by_label("Au", exact=True)).to_have_value(jj(end))
    assert_fits_width(page)

    # "Télécharger tous les relevés de la période": one PDF, the period's statements only.
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=re.compile(r"^Télécharger tous les relevés de la période")
        ).click()
    download = download_info.value
    assert download.suggested_filename == f"releves-{start:%Y-%m-%d}-{end:%Y-%m-%d}.pdf"
    text = _pdf_text(download)
    for inside in (first, middle, last):
        assert inside.number in text, inside.number
    for outside in (before, after, to_professional):
        assert outside.number not in text, outside.number
    assert member.member_number in text
    # The page stays on the list.
    expect(rows).to_have_count(3)
    assert_fits_width(page)


def test_the_statements_of_a_period_longer_than_a_year_are_prepared_then_downloaded(
    new_page, live_server, member, viewport
):
    start, end = days_ago(700), days_ago(5)
    old = make_payment(member, payment_date=days_ago(650))
    recent = make_payment(member, lines=2, payment_date=days_ago(30))
    before = make_payment(member, payment_date=days_ago(720))

    page = open_signed_in(new_page, live_server, member.user, "/remboursements/")
    # A date that is not one keeps what was typed and says why next to the box.
    box = page.get_by_label("Du", exact=True)
    box.clear()
    box.press_sequentially("31/02/2025")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_label("Du", exact=True)).to_have_value("31/02/2025")
    expect(page.get_by_label("Du", exact=True)).to_have_attribute("aria-invalid", "true")
    # In the summary at the top and under the box.
    expect(page.get_by_text("Saisissez une date valide au format jj/mm/aaaa.")).to_have_count(2)

    for label, day in (("Du", start), ("Au", end)):
        box = page.get_by_label(label, exact=True)
        box.clear()
        box.press_sequentially(jj(day))
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(re.compile(r"/remboursements/\?.*du="))
    page.get_by_role(
        "link", name=re.compile(r"^Télécharger tous les relevés de la période")
    ).click()

    # Longer than a year: its own page, which says the file is kept 24 hours and not emailed,
    # then offers it once ready.
    page.wait_for_url(re.compile(r"/remboursements/releves/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", name=f"Relevés du {jj(start)} au {jj(end)}")).to_be_visible()
    expect(page.get_by_text("ils ne sont pas envoyés par email")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Vos relevés sont prêts : 2 paiements.")
    assert_fits_width(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mes relevés (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"releves-{start:%Y-%m-%d}-{end:%Y-%m-%d}.pdf"
    text = _pdf_text(download)
    assert old.number in text and recent.number in text
    assert before.number not in text

    # Back to the list, the period kept.
    page.get_by_role("link", name="Revenir à mes remboursements").click()
    expect(page.get_by_label("Du", exact=True)).to_have_value(jj(start))
    expect(page.get_by_label("Au", exact=True)).to_have_value(jj(end))


# -- (c) A beneficiary's tiers-payant card -------------------------------------------------------
def test_a_member_shows_and_downloads_the_tiers_payant_card_of_a_beneficiary(
    new_page, live_server, member, viewport
):
    contract = ContractFactory(member=member)
    page = open_signed_in(new_page, live_server, member.user, "/")
    page.get_by_role("link", name=re.compile(r"^Ma carte de tiers payant")).click()
    page.wait_for_url(re.compile(r"/carte/$"))
    expect(page.get_by_role("heading", name="Ma carte de tiers payant", level=1)).to_be_visible()

    # The member's own card first, with everyone it covers.
    choice = page.get_by_label(
        "Carte de tiers payant à afficher (la vôtre ou celle d'un de vos bénéficiaires)"
    )
    assert choice.locator("option").all_inner_texts() == [
        "Marie MARTIN (vous-même)",
        "Lucas MARTIN",
        "Paul MARTIN",
    ]
    card = page.get_by_role("article", name="Carte de tiers payant")
    expect(card.locator(".tp-card-people tbody tr")).to_have_count(3)
    assert_fits_width(page)

    # Lucas chosen, "Afficher": Lucas's card, Lucas alone on it.
    choice.select_option(label="Lucas MARTIN")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"/carte/\?personne="))
    assert choice.evaluate("select => select.selectedOptions[0].text") == "Lucas MARTIN"
    expect(card).to_be_visible()
    people = card.locator(".tp-card-people tbody tr")
    expect(people).to_have_count(1)
    expect(people).to_contain_text("Lucas MARTIN")
    expect(card.get_by_text("Paul MARTIN")).to_have_count(0)
    facts = card.locator(".tp-card-facts")
    expect(facts).to_contain_text("Marie MARTIN")
    expect(facts).to_contain_text(contract.number)
    block = card.locator(".tp-card-block")
    expect(block).to_contain_text("784512369")
    expect(block).to_contain_text(member.member_number)
    assert_fits_width(page)

    # "Télécharger la carte de Lucas MARTIN (PDF)".
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Télécharger la carte de Lucas MARTIN")).click()
    download = download_info.value
    assert download.suggested_filename == "carte-tiers-payant-lucas-martin.pdf"
    text = _pdf_text(download)
    assert "Carte de tiers payant de Lucas MARTIN" in text
    assert "Lucas MARTIN" in text and "01/03/2012" in text
    assert f"N° d'adhérent : {member.member_number}" in text
    assert "Comment utiliser votre carte" in text
    assert "Paul MARTIN" not in text
    assert_fits_width(page)

    # The wallet card (85.6 x 54 mm, front and back), then its accessible HTML version.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Format carte de Lucas MARTIN")).click()
    download = download_info.value
    assert download.suggested_filename == "carte-tiers-payant-lucas-martin-format-carte.pdf"
    with open(download.path(), "rb") as downloaded:
        wallet = pypdf.PdfReader(io.BytesIO(downloaded.read()))
    assert len(wallet.pages) == 2
    trim = wallet.pages[0].trimbox
    assert (round(float(trim.width) / 72 * 25.4, 1), round(float(trim.height) / 72 * 25.4, 1)) == (
        85.6,
        54.0,
    )
    assert "Lucas MARTIN" in wallet.pages[0].extract_text()
    page.get_by_role("link", name="Version HTML accessible de la carte").click()
    page.wait_for_url(re.compile(r"/carte/\d+/carte-tiers-payant/$"))
    expect(
        page.get_by_role("heading", name="Carte de tiers payant de Lucas MARTIN", level=1)
    ).to_be_visible()
    html_card = page.get_by_role("article", name="Carte de tiers payant")
    expect(html_card.locator(".tp-card-block")).to_contain_text("784512369")
    expect(html_card.locator(".tp-card-people tbody tr")).to_have_count(1)
    expect(page.get_by_role("heading", name="Comment utiliser votre carte")).to_be_visible()
    assert_fits_width(page)


def test_on_a_small_phone_the_cards_table_says_it_scrolls_sideways(new_page, live_server, member):
    """At 320 px the people's table is wider than the card: a hint says so (its rank, birth date
    and fund columns would otherwise look cut off); on a desktop, where it fits, no hint."""
    ContractFactory(member=member)
    page = open_signed_in(new_page, live_server, member.user, "/carte/")
    hint = page.get_by_text("Le tableau défile sur le côté")
    table = page.get_by_role("region", name="Bénéficiaires de la carte")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(hint).to_be_hidden()
    page.set_viewport_size({"width": 320, "height": 640})
    expect(hint).to_be_visible()
    assert table.evaluate("box => box.scrollWidth > box.clientWidth")
    assert table.get_attribute("aria-describedby") == hint.get_attribute("id")
    assert_fits_width(page)


def test_on_a_small_phone_pdf_follows_its_label_inside_the_download_button(
    new_page, live_server, member
):
    """ "(PDF)" read as a column of its own beside "Télécharger tous les relevés de la
    période" at 320 px; it follows the label's last word."""
    make_payment(member, payment_date=timezone.localdate() - datetime.timedelta(days=3))
    page = open_signed_in(new_page, live_server, member.user, "/remboursements/")
    page.set_viewport_size({"width": 320, "height": 640})
    button = page.get_by_role("link", name=re.compile(r"^Télécharger tous les relevés"))
    lines = button.evaluate(
        """a => {
            const label = [...a.querySelectorAll("*"), a].flatMap(e => [...e.childNodes])
                .find(n => n.nodeType === 3 && n.data.includes("Télécharger"));
            const range = document.createRange();
            range.selectNodeContents(label);
            const tops = [...range.getClientRects()].map(r => r.top);
            const pdf = [...a.querySelectorAll(".muted")].find(e => e.textContent === "(PDF)");
            return {labelLast: Math.max(...tops), pdf: pdf.getBoundingClientRect().top};
        }"""
    )
    assert lines["pdf"] >= lines["labelLast"] - 2, lines
