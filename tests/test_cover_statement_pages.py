"""Statements and certificates as a reader of the printed pages needs them (issue 15): a payment
continued on the next page keeps its title and column heads, a total never starts a page alone,
every page says "Page N / M", and every PDF has a title and a language."""

import datetime
import io
import re

import pypdf
import pytest
from django.utils import timezone

from portal.models import Branding
from tests.factories import ContractFactory, ReimbursementFactory, make_payment
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db


def jj(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def signed_in(client, member):
    Branding.objects.update_or_create(pk=1, defaults={"insurer_name": "Mutuelle Générale du Sud"})
    _sign_in(client, member.user)
    return client


def _reader(response) -> pypdf.PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def _pages(reader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _long_payment(member, date, lines=45):
    payment = make_payment(member, payment_date=date, lines=0)
    for _ in range(lines):
        ReimbursementFactory(payment=payment)
    return payment


def test_a_payment_continued_on_the_next_page_keeps_its_title_and_heads(signed_in, member):
    day = timezone.localdate() - datetime.timedelta(days=10)
    payment = _long_payment(member, day)
    reader = _reader(signed_in.get(f"/remboursements/paiements/{payment.number}/releve.pdf"))
    pages = _pages(reader)
    assert len(pages) >= 2
    title = f"Paiement n° {payment.number} du {jj(day)}"
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} / {len(pages)}" in text
    for text in pages[1:]:
        # The footer is drawn first; the page's content opens with the title and the heads.
        content = text[text.index("Paiement n°") :]
        assert content.startswith(f"{title} (suite) Date des soins Bénéficiaire")
    # The total closes the table with at least one line above it on its page.
    last = pages[-1]
    assert "Total" in last
    assert last.index("Total") > last.index("Reste à charge") + len("Reste à charge ") + 10


def test_the_period_statements_repeat_each_payments_title(signed_in, member):
    start = timezone.localdate() - datetime.timedelta(days=60)
    first = _long_payment(member, start + datetime.timedelta(days=1), lines=30)
    second = _long_payment(member, start + datetime.timedelta(days=2), lines=30)
    reader = _reader(
        signed_in.get(
            "/remboursements/releves.pdf",
            {"du": jj(start), "au": jj(timezone.localdate())},
        )
    )
    text = " ".join(_pages(reader))
    continued = [f"Paiement n° {p.number} du {jj(p.payment_date)} (suite)" for p in (first, second)]
    assert any(title in text for title in continued)
    assert f"Page {len(reader.pages)} / {len(reader.pages)}" in text


@pytest.mark.parametrize(
    "path",
    [
        "/contrat/{contract}/tableau-des-garanties.pdf",
        "/contrat/{contract}/certificat-affiliation.pdf",
        "/remboursements/paiements/{payment}/releve.pdf",
    ],
)
def test_every_document_has_a_title_and_a_language(signed_in, member, path):
    contract = ContractFactory(member=member)
    payment = make_payment(member, payment_date=timezone.localdate())
    reader = _reader(signed_in.get(path.format(contract=contract.number, payment=payment.number)))
    assert reader.metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    assert "Page 1 / " in reader.pages[0].extract_text()


def test_a_statement_names_the_member_their_address_and_the_account_credited(signed_in, member):
    from cover.models import BankDetails

    BankDetails.objects.create(
        member=member, holder="Marie MARTIN", iban="FR7630006000011234567890189"
    )
    member.nir = "285057512345678"
    member.organism_code = "011331000"
    member.save()
    payment = make_payment(member, payment_date=timezone.localdate())
    text = " ".join(
        _pages(_reader(signed_in.get(f"/remboursements/paiements/{payment.number}/releve.pdf")))
    )
    assert "Adhérent Madame Marie MARTIN" in text
    assert f"Adresse 12 rue des Lilas, {member.postcode} {member.city}" in text
    # Masked as on every screen (the hidden digits print as bullets).
    assert "N° de sécurité sociale 2 85 05" in text
    assert "123 456 78" not in text
    assert "Caisse d'assurance maladie 011331000" in text
    assert "Compte crédité FR76" in text and "90 189" in text
    assert "30006000011234567" not in text.replace(" ", "")
    # The insurer's identity once: the header, not the foot of each page.
    assert text.count("Mutuelle Générale du Sud") == 1


def test_a_filtered_period_statement_says_its_filter(signed_in, member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    payment = make_payment(member, lines=0)
    ReimbursementFactory(payment=payment, beneficiary=lucas, care_type="optics")
    reader = _reader(
        signed_in.get("/remboursements/releves.pdf", {"beneficiaire": lucas.pk, "soins": "optics"})
    )
    text = " ".join(_pages(reader))
    assert "Bénéficiaire Lucas MARTIN Type de soins Optique" in text


def test_the_third_party_statement_says_it_lists_payments_to_professionals(signed_in, member):
    make_payment(member, third_party=True)
    reader = _reader(signed_in.get("/remboursements/releves.pdf", {"liste": "tiers"}))
    assert reader.metadata.title.startswith("Paiements aux professionnels de santé du ")
    text = " ".join(_pages(reader))
    assert "versés directement aux professionnels de santé (tiers payant)" in text


def test_each_document_has_an_html_page_with_the_same_content(signed_in, member):
    ContractFactory(member=member, number="CT-2024001")
    payment = make_payment(member, payment_date=timezone.localdate())
    contracts_page = signed_in.get("/contrat/").content.decode()
    assert 'href="/contrat/CT-2024001/certificat-affiliation/"' in contracts_page
    assert 'href="/contrat/CT-2024001/tableau-des-garanties/"' in contracts_page
    detail = signed_in.get(f"/remboursements/paiements/{payment.number}/").content.decode()
    assert f'href="/remboursements/paiements/{payment.number}/releve/"' in detail
    for html, pdf in [
        (
            "/contrat/CT-2024001/certificat-affiliation/",
            "/contrat/CT-2024001/certificat-affiliation.pdf",
        ),
        (
            "/contrat/CT-2024001/tableau-des-garanties/",
            "/contrat/CT-2024001/tableau-des-garanties.pdf",
        ),
        (
            f"/remboursements/paiements/{payment.number}/releve/",
            f"/remboursements/paiements/{payment.number}/releve.pdf",
        ),
    ]:
        from html import unescape

        page = unescape(signed_in.get(html).content.decode())
        reader = _reader(signed_in.get(pdf))
        assert f"<h1>{reader.metadata.title}</h1>" in page
        pdf_text = " ".join(_pages(reader))
        # Every value of the PDF's facts and tables is on the page.
        for value in re.findall(r"<(?:dd|td)>([^<]+)</(?:dd|td)>", page):
            assert " ".join(value.split()) in pdf_text, (html, value)
        assert f'href="{pdf}"' in page
    assert signed_in.get("/contrat/CT-2024001/certificat-radiation/").status_code == 404


def test_the_period_statements_have_an_html_page(signed_in, member):
    start = timezone.localdate() - datetime.timedelta(days=60)
    payment = make_payment(member, payment_date=start + datetime.timedelta(days=1))
    query = {"du": jj(start), "au": jj(timezone.localdate())}
    listing = signed_in.get("/remboursements/", query).content.decode()
    assert 'href="/remboursements/releves/?' in listing
    page = signed_in.get("/remboursements/releves/", query).content.decode()
    assert f"Paiement n° {payment.number} du {jj(payment.payment_date)}" in page
    assert "<dt>Nombre de paiements</dt><dd>1</dd>" in page
    # A period with nothing to show goes back to the search.
    empty = {
        "du": jj(start - datetime.timedelta(days=300)),
        "au": jj(start - datetime.timedelta(days=200)),
    }
    assert signed_in.get("/remboursements/releves/", empty).status_code == 302
