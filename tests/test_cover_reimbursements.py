"""Mes remboursements santé (guide 002): the search of payments ("Consultation"), the
"Remboursements aux tiers", a payment's detail, the statements download's refusals, and "RIB"."""

import datetime
import re
from decimal import Decimal
from html import unescape
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Beneficiary
from cover.forms import years_before
from cover.models import BankDetails, Payment
from tests.factories import BeneficiaryFactory, ReimbursementFactory, make_payment
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

URL = "/remboursements/"
THIRD_PARTY = "/remboursements/tiers/"
RIB = "/remboursements/rib/"
STATEMENTS = "/remboursements/releves.pdf"
IBAN = "FR7630006000011234567890189"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def jj(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def signed_in(client, member):
    _sign_in(client, member.user)
    return client


def page_text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def numbers_in(page: str) -> list[str]:
    """The payment numbers listed, in the order shown (each row has one "Voir le détail")."""
    return re.findall(r'href="/remboursements/paiements/([^/"]+)/[^"]*" aria-label', page)


def errors_of(page: str, field: str) -> str:
    """The messages shown under one field of the search."""
    match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


def lucas(member) -> Beneficiary:
    return member.beneficiaries.get(first_name="Lucas")


# -- The list ------------------------------------------------------------------------------
def test_it_lists_the_payments_of_the_last_12_months_newest_first(signed_in, member):
    older = make_payment(member, payment_date=days_ago(40))
    newer = make_payment(member, payment_date=days_ago(3))
    make_payment(member, payment_date=days_ago(400), number="PAI-ANCIEN")

    page = page_text(signed_in.get(URL))

    assert numbers_in(page) == [newer.number, older.number]
    assert f'value="{jj(days_ago(0))}"' in page  # "Au": today, written in the box
    assert "2 paiements du" in page


def test_each_row_shows_the_date_number_people_care_and_amount(signed_in, member):
    payment = make_payment(member, lines=0, payment_date=days_ago(10))
    ReimbursementFactory(payment=payment, insurer_share=Decimal("12.50"))
    ReimbursementFactory(
        payment=payment, beneficiary=lucas(member), care_type="pharmacy", insurer_share=Decimal("8")
    )
    payment.amount = Decimal("20.50")
    payment.save()

    page = page_text(signed_in.get(URL))

    row = re.search(r'<tr class="payment-row">(.*?)</tr>', page, re.S).group(1)
    assert jj(days_ago(10)) in row
    assert payment.number in row
    assert "Marie MARTIN" in row and "Lucas" in row
    assert "Consultations et visites" in row and "Pharmacie" in row
    assert "20,50 €" in row
    assert "Voir le détail" in row


def test_it_never_lists_another_members_payments(signed_in, member, other_member):
    mine = make_payment(member)
    make_payment(other_member, number="PAI-AUTRE")

    assert numbers_in(page_text(signed_in.get(URL))) == [mine.number]


def test_it_shows_twenty_payments_a_page(signed_in, member):
    for index in range(25):
        make_payment(member, payment_date=days_ago(index + 1))

    first = page_text(signed_in.get(URL))
    second = page_text(signed_in.get(URL, {"page": 2}))

    assert len(numbers_in(first)) == 20
    assert len(numbers_in(second)) == 5
    assert "Page 2 sur 2" in second
    # The detail's way back returns to page 2.
    assert re.search(r'href="/remboursements/paiements/[^/"]+/\?du=[^"]*&page=2"', second)
    assert not set(numbers_in(first)) & set(numbers_in(second))


def test_a_page_past_the_last_says_so_and_shows_the_last(signed_in, member):
    for index in range(25):
        make_payment(member, payment_date=days_ago(index + 1))

    page = page_text(signed_in.get(URL, {"page": 9}))

    assert "La page demandée n'existe pas : voici la page 2." in page
    assert "Page 2 sur 2" in page
    assert len(numbers_in(page)) == 5


def test_the_total_is_that_of_the_payments_found(signed_in, member):
    optics = make_payment(member, lines=0)
    ReimbursementFactory(payment=optics, care_type="optics", insurer_share=Decimal("80.00"))
    Payment.objects.filter(pk=optics.pk).update(amount=Decimal("80.00"))
    make_payment(member, lines=2)

    everything = page_text(signed_in.get(URL))
    only_optics = page_text(signed_in.get(URL, {"soins": "optics"}))

    assert "Montant total payé : 80,00 €" in only_optics
    assert "Montant total payé : 80,00 €" not in everything


def test_the_count_and_total_are_of_every_page_exact_to_the_cent(signed_in, member):
    # Amounts whose sum a binary float gets wrong (0.1 + 0.2): SQLite sums them as floats.
    for index, cents in enumerate([10, 20] * 11):
        payment = make_payment(member, lines=0, payment_date=days_ago(index + 1))
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal(cents) / 100)

    for page in (1, 2):
        shown = page_text(signed_in.get(URL, {"page": page}))
        assert re.search(r"22\s+paiements du", shown)
        assert "Montant total payé : 3,30 €" in shown
    assert "0,10 €" in shown and "0,20 €" in shown


def test_the_list_reads_the_same_number_of_queries_for_3_or_20_payments(signed_in, member):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(URL).status_code == 200
        return len(captured)

    for _ in range(3):
        payment = make_payment(member, lines=2)
        ReimbursementFactory(payment=payment, beneficiary=lucas(member), care_type="optics")
    queries()  # the session's first page writes what later pages only read
    few = queries()
    for _ in range(17):
        payment = make_payment(member, lines=2)
        ReimbursementFactory(payment=payment, beneficiary=lucas(member), care_type="optics")
    assert queries() == few


def test_it_says_when_no_payment_matches(signed_in, member):
    make_payment(member, payment_date=days_ago(400))

    page = page_text(signed_in.get(URL))

    assert "Aucun remboursement sur cette période." in page
    assert "Télécharger tous les relevés de la période" not in page


# -- The search ----------------------------------------------------------------------------
def test_it_searches_the_period_typed(signed_in, member):
    inside = make_payment(member, payment_date=days_ago(400))
    make_payment(member, payment_date=days_ago(200))
    make_payment(member, payment_date=days_ago(600))

    page = page_text(signed_in.get(URL, {"du": jj(days_ago(500)), "au": jj(days_ago(300))}))

    assert numbers_in(page) == [inside.number]


def test_it_filters_by_beneficiary(signed_in, member):
    for_lucas = make_payment(member, lines=0)
    ReimbursementFactory(payment=for_lucas, beneficiary=lucas(member))
    for_marie = make_payment(member, lines=1)
    both = make_payment(member, lines=1)
    ReimbursementFactory(payment=both, beneficiary=lucas(member))

    lucas_page = page_text(signed_in.get(URL, {"beneficiaire": lucas(member).pk}))
    marie_page = page_text(signed_in.get(URL, {"beneficiaire": "adherent"}))

    assert numbers_in(lucas_page) == [both.number, for_lucas.number]
    assert numbers_in(marie_page) == [both.number, for_marie.number]
    assert f'<option value="{lucas(member).pk}" selected>' in lucas_page


def test_it_filters_by_type_of_care_listing_each_payment_once(signed_in, member):
    optics = make_payment(member, lines=0)
    ReimbursementFactory(payment=optics, care_type="optics")
    ReimbursementFactory(payment=optics, care_type="optics")
    make_payment(member, lines=2)  # consultations only

    page = page_text(signed_in.get(URL, {"soins": "optics"}))

    assert numbers_in(page) == [optics.number]
    assert "1 paiement du" in page


def test_a_filter_that_matches_nothing_says_so(signed_in, member):
    make_payment(member, lines=1)

    page = page_text(signed_in.get(URL, {"soins": "audio"}))

    assert numbers_in(page) == []
    assert "Aucun paiement ne correspond à votre recherche sur cette période." in page


def test_it_refuses_a_beneficiary_of_another_member(signed_in, member, other_member):
    stranger = BeneficiaryFactory(member=other_member, first_name="Inconnu")
    make_payment(member)

    page = page_text(signed_in.get(URL, {"beneficiaire": stranger.pk}))

    assert "Choisissez vous-même ou l'un de vos bénéficiaires" in errors_of(page, "beneficiaire")
    assert numbers_in(page) == []
    assert "Inconnu" not in page


def test_it_refuses_an_inverted_period_keeping_what_was_typed(signed_in, member):
    make_payment(member)
    start, end = jj(days_ago(10)), jj(days_ago(60))

    page = page_text(signed_in.get(URL, {"du": start, "au": end}))

    assert "doit être postérieure ou égale à la date « Du »" in errors_of(page, "au")
    assert f'value="{start}"' in page and f'value="{end}"' in page
    assert "Le formulaire contient des erreurs" in page
    assert numbers_in(page) == []


def test_it_refuses_a_malformed_date_keeping_it(signed_in, member):
    page = page_text(signed_in.get(URL, {"du": "31/02/2025", "au": "hier"}))

    assert "Saisissez une date valide au format jj/mm/aaaa." in errors_of(page, "du")
    assert "Saisissez une date valide au format jj/mm/aaaa." in errors_of(page, "au")
    assert 'value="31/02/2025"' in page and 'value="hier"' in page


@pytest.mark.parametrize(
    "search",
    [
        {"du": "", "au": "01/01/0001"},
        {"du": "01/01/0001", "au": "01/01/0003"},
        {"du": "01/01/9999", "au": "31/12/9999"},
        {"du": "0001-01-01", "au": "x" * 500, "page": "-1"},
    ],
)
def test_dates_at_the_ends_of_the_calendar_never_fail(signed_in, member, search):
    assert signed_in.get(URL, search).status_code == 200
    assert signed_in.get(STATEMENTS, search, follow=True).status_code == 200


def test_it_refuses_a_period_over_five_years(signed_in, member):
    end = days_ago(1)
    start = end.replace(year=end.year - 6)

    page = page_text(signed_in.get(URL, {"du": jj(start), "au": jj(end)}))

    assert "La période ne peut pas dépasser 5 ans" in errors_of(page, "du")


def test_an_end_after_today_means_up_to_today(signed_in, member):
    """Issue 16, point 21: "Au" after today is clamped to today, not refused."""
    today = timezone.localdate()
    make_payment(member, lines=1, payment_date=today)

    page = page_text(signed_in.get(URL, {"au": jj(today + datetime.timedelta(days=40))}))

    assert not errors_of(page, "au")
    assert f'name="au" value="{jj(today)}"' in page
    assert len(numbers_in(page)) == 1


def test_a_start_after_today_is_still_refused(signed_in, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    page = page_text(signed_in.get(URL, {"du": jj(tomorrow)}))

    assert "ne peut pas être postérieure à aujourd'hui" in errors_of(page, "du")


def test_dates_typed_with_a_two_digit_year_are_read(signed_in, member):
    """Issue 16, point 21: "1/2/26" is 01/02/2026."""
    inside = make_payment(member, lines=1, payment_date=datetime.date(2025, 3, 1))
    make_payment(member, lines=1, payment_date=datetime.date(2025, 5, 1))

    page = page_text(signed_in.get(URL, {"du": "1/2/25", "au": "3/4/25"}))

    assert not errors_of(page, "du") and not errors_of(page, "au")
    assert numbers_in(page) == [inside.number]


def test_the_download_link_carries_the_search(signed_in, member):
    make_payment(member, lines=1)

    page = page_text(signed_in.get(URL, {"soins": "consultation"}))

    link = re.search(r'href="(/remboursements/releves\.pdf\?[^"]+)"', page).group(1)
    assert "Télécharger tous les relevés de la période" in page
    assert "soins=consultation" in link
    today = timezone.localdate()
    assert "du=" + quote(jj(years_before(today, 1)), safe="") in link  # the default period
    assert "au=" + quote(jj(today), safe="") in link


# -- Remboursements aux tiers ---------------------------------------------------------------
def test_third_party_lists_only_the_payments_to_professionals(signed_in, member):
    to_member = make_payment(member)
    to_pharmacy = make_payment(member, third_party=True)

    third_party = page_text(signed_in.get(THIRD_PARTY))
    consultation = page_text(signed_in.get(URL))

    assert numbers_in(third_party) == [to_pharmacy.number]
    assert "Pharmacie du Centre" in third_party
    assert numbers_in(consultation) == [to_member.number]


def test_third_party_searches_the_same_way(signed_in, member):
    make_payment(member, third_party=True, payment_date=days_ago(100))

    page = page_text(signed_in.get(THIRD_PARTY, {"du": jj(days_ago(50))}))
    refused = page_text(signed_in.get(THIRD_PARTY, {"du": jj(days_ago(5)), "au": jj(days_ago(9))}))

    assert "Aucun remboursement aux professionnels de santé sur cette période." in page
    assert "doit être postérieure ou égale" in errors_of(refused, "au")


def test_the_three_tabs_are_on_the_three_pages(signed_in, member):
    for url, current in ((URL, "Consultation"), (THIRD_PARTY, "Remboursements aux tiers"),
                         (RIB, "RIB")):  # fmt: skip
        page = page_text(signed_in.get(url))
        tabs = re.search(r'<nav class="tabs".*?</nav>', page, re.S).group(0)
        assert ">Consultation<" in tabs
        assert ">Remboursements aux tiers<" in tabs
        assert ">RIB<" in tabs
        assert re.search(rf'aria-current="page">{current}<', tabs)


# -- The detail of a payment -----------------------------------------------------------------
def test_the_detail_shows_each_line_and_the_totals(signed_in, member):
    payment = make_payment(member, lines=0, payment_date=days_ago(8))
    ReimbursementFactory(payment=payment, care_date=days_ago(20))
    ReimbursementFactory(
        payment=payment,
        beneficiary=lucas(member),
        care_date=days_ago(15),
        care_type="optics",
        act="Verres progressifs",
        practitioner="Optique Lumière",
        real_cost=Decimal("1250.00"),
        ss_base=Decimal("60.00"),
        ss_share=Decimal("36.00"),
        insurer_share=Decimal("900.00"),
    )

    page = page_text(signed_in.get(f"/remboursements/paiements/{payment.number}/"))

    assert payment.number in page
    assert jj(days_ago(8)) in page  # payment date
    assert "Marie MARTIN" in page  # paid to the member
    for value in (jj(days_ago(20)), jj(days_ago(15)), "Optique", "Verres progressifs",
                  "Optique Lumière", "Lucas", "Dr Jeanne LEROY", "1 250,00 €", "60,00 €",
                  "36,00 €", "900,00 €", "314,00 €"):  # fmt: skip
        assert value in page
    total = re.search(r'<tr class="total-row">(.*?)</tr>', page, re.S).group(1)
    for value in ("1 280,00 €", "90,00 €", "54,00 €", "910,00 €", "316,00 €"):
        assert value in total
    assert f'href="/remboursements/paiements/{payment.number}/releve.pdf"' in page
    assert "Imprimer ce paiement" in page
    assert "Retourner à l'écran de recherche" in page


def test_the_way_back_returns_to_the_search(signed_in, member):
    payment = make_payment(member, lines=1, payment_date=days_ago(100))
    search = {"du": jj(days_ago(200)), "au": jj(days_ago(50)), "soins": "consultation"}

    listing = page_text(signed_in.get(URL, search))
    detail_url = re.search(rf'href="(/remboursements/paiements/{payment.number}/\?[^"]+)"', listing)
    detail = page_text(signed_in.get(detail_url.group(1).replace("&amp;", "&")))
    back = re.search(r'href="([^"]+)">Retourner à l\'écran de recherche', detail).group(1)
    again = page_text(signed_in.get(back.replace("&amp;", "&")))

    assert back.startswith(URL + "?")
    assert numbers_in(again) == [payment.number]
    assert f'value="{search["du"]}"' in again


def test_a_payment_to_a_professional_opens_the_same_detail(signed_in, member):
    payment = make_payment(member, third_party=True)

    page = page_text(signed_in.get(f"/remboursements/paiements/{payment.number}/"))

    assert "Pharmacie du Centre" in page
    assert 'href="/remboursements/tiers/">Retourner' in page


def test_another_members_payment_is_not_found(signed_in, other_member):
    payment = make_payment(other_member)

    assert signed_in.get(f"/remboursements/paiements/{payment.number}/").status_code == 404
    assert signed_in.get(f"/remboursements/paiements/{payment.number}/releve.pdf").status_code == (
        404
    )
    assert signed_in.get("/remboursements/paiements/PAI-INCONNU/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [URL, THIRD_PARTY, RIB, STATEMENTS, "/remboursements/paiements/PAI-1/"],
)
def test_the_pages_are_for_members_only(client, insurer_manager, url):
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    _sign_in(client, insurer_manager)
    assert client.get(url).status_code == 404


# -- Downloading the statements of the period: the refusals -----------------------------------
def test_a_wrong_period_goes_back_to_the_search_with_its_errors(signed_in, member):
    make_payment(member)
    start, end = jj(days_ago(5)), jj(days_ago(30))

    response = signed_in.get(STATEMENTS, {"du": start, "au": end}, follow=True)

    page = page_text(response)
    assert response.redirect_chain[-1][0].startswith(URL + "?")
    assert "Les relevés n'ont pas pu être téléchargés" in page
    assert "doit être postérieure ou égale" in errors_of(page, "au")
    assert f'value="{start}"' in page


def test_a_malformed_date_never_fails_the_download(signed_in, member):
    response = signed_in.get(STATEMENTS, {"du": "99/99/9999", "beneficiaire": "x"}, follow=True)

    page = page_text(response)
    assert "Saisissez une date valide" in errors_of(page, "du")
    assert "Choisissez vous-même" in errors_of(page, "beneficiaire")


def test_an_empty_period_goes_back_to_the_search_with_a_message(signed_in, member):
    make_payment(member, payment_date=days_ago(400))

    response = signed_in.get(STATEMENTS, follow=True)

    assert response["Content-Type"].startswith("text/html")
    assert "il n'y a pas de relevé à télécharger" in page_text(response)


def test_too_many_payments_ask_for_a_shorter_period(signed_in, member, monkeypatch):
    monkeypatch.setattr("cover.views.reimbursements.MAX_STATEMENTS", 2)
    for _ in range(3):
        make_payment(member)

    response = signed_in.get(STATEMENTS, follow=True)

    assert "Cette période compte 3 paiements" in page_text(response)
    assert "Choisissez une période plus courte." in page_text(response)


def test_a_refused_third_party_download_goes_back_to_third_party(signed_in, member):
    response = signed_in.get(STATEMENTS, {"liste": "tiers"}, follow=True)

    assert response.redirect_chain[-1][0].startswith(THIRD_PARTY)


# -- RIB ------------------------------------------------------------------------------------
def test_rib_shows_the_iban_masked_never_whole(signed_in, member):
    BankDetails.objects.create(member=member, holder="Marie MARTIN", iban=IBAN, bic="AGRIFRPP")

    page = page_text(signed_in.get(RIB))

    assert "Marie MARTIN" in page and "AGRIFRPP" in page
    assert "FR76 •••• •••• •••• •••• ••90 189" in page
    compact = re.sub(r"\s", "", page)
    assert IBAN not in compact
    assert "30006000011234567890" not in compact
    assert "Modifier mes coordonnées bancaires" in page
    assert 'href="/demandes/declarer-un-changement/coordonnees-bancaires/"' in page


def test_rib_says_when_no_bank_details_are_known(signed_in, member):
    page = page_text(signed_in.get(RIB))

    assert "Nous ne connaissons pas encore vos coordonnées bancaires." in page
    assert "Modifier mes coordonnées bancaires" in page


def test_rib_sends_collective_contract_members_to_their_employer(signed_in, member):
    member.collective_contract = True
    member.save()
    BankDetails.objects.create(member=member, holder="Marie MARTIN", iban=IBAN)

    page = page_text(signed_in.get(RIB))

    assert "Attention pour nos adhérents ayant souscrit à un contrat collectif !" in page
    assert "solliciter votre employeur" in page
    assert "Modifier mes coordonnées bancaires" not in page
