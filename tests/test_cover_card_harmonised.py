"""The tiers-payant card as professionals read it (issue 15): the harmonised inter-AMC block,
a DataMatrix with the routing data, each person's full NIR and birth rank and fund, the operator
and the professionals' line, "R" for a contrat responsable; a wallet-size PDF and an A4 sheet,
both titled and in French, and the same content as an accessible HTML page."""

import datetime
import io
import re
from html import unescape

import pypdf
import pytest
from PIL import Image as PILImage
from pylibdmtx.pylibdmtx import decode
from reportlab.lib.units import mm

from portal.models import Branding
from tests.factories import ContractFactory, ProductFactory
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

SHEET = "/carte/{key}/carte-tiers-payant.pdf"
WALLET = "/carte/{key}/carte-tiers-payant-format-carte.pdf"
HTML = "/carte/{key}/carte-tiers-payant/"


@pytest.fixture(autouse=True)
def branding(db):
    Branding.objects.update_or_create(
        pk=1,
        defaults={
            "insurer_name": "Mutuelle Étoile Santé",
            "amc_number": "784512369",
            "card_convention_type": "ST",
            "card_routing_criterion": "01",
            "card_operator": "Tiers Payant Exemple",
            "professional_phone": "05 56 00 11 22",
            "contact_phone": "05 56 00 00 00",
        },
    )


@pytest.fixture
def card_member(member):
    member.nir = "185057512345678"
    member.organism_code = "011331000"
    member.save()
    lucas = member.beneficiaries.get(first_name="Lucas")
    lucas.nir = "212037512345634"
    lucas.birth_rank = 2
    lucas.organism_code = "011331000"
    lucas.save()
    return member


@pytest.fixture
def contract(card_member):
    return ContractFactory(
        member=card_member,
        product=ProductFactory(name="Santé Sérénité", level="Niveau 3"),
        start_date=datetime.date(2023, 2, 1),
    )


@pytest.fixture
def member_client(client, card_member, contract):
    _sign_in(client, card_member.user)
    return client


def _reader(response) -> pypdf.PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def _text(reader: pypdf.PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _year():
    today = datetime.date.today()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


@pytest.mark.parametrize("url", [SHEET, WALLET])
def test_both_formats_carry_the_harmonised_block_and_the_people(member_client, card_member, url):
    first, last = _year()
    text = _text(_reader(member_client.get(url.format(key="adherent"))))
    # The standard block, validity first (top left), then the routing data.
    block = (
        f"Période de validité : du {first:%d/%m/%Y} au {last:%d/%m/%Y} N° AMC : 784512369 "
        f"Type de convention : ST Critère secondaire de routage : 01 "
        f"N° d'adhérent : {card_member.member_number}"
    )
    assert block in text
    # Each person with their full NIR and birth rank, birth date and fund.
    assert "Marie MARTIN 1 85 05 75 123 456 78 / 1 17/05/1980 01 133 1000" in text
    assert "Lucas MARTIN 2 12 03 75 123 456 34 / 2 01/03/2012 01 133 1000" in text
    # Care domains with their rate, or TP.
    assert "PHAR 100/100" in text and "OPTI TP" in text
    # A contrat responsable; the operator and the professionals' line on the back.
    assert " R " in text
    assert "Opérateur de tiers payant : Tiers Payant Exemple" in text
    assert "Professionnels de santé : 05 56 00 11 22" in text


def test_the_wallet_card_is_card_sized_front_and_back_with_room_for_cut_marks(member_client):
    reader = _reader(member_client.get(WALLET.format(key="adherent")))
    assert len(reader.pages) == 2  # front, back
    for page in reader.pages:
        trim = page.trimbox
        assert float(trim.width) == pytest.approx(85.6 * mm, abs=0.1)
        assert float(trim.height) == pytest.approx(54 * mm, abs=0.1)
        # The cut marks lie outside the card, on a larger page.
        assert float(page.mediabox.width) > float(trim.width) + 10 * mm


def test_the_datamatrix_carries_the_routing_data(member_client, card_member):
    first, last = _year()
    reader = _reader(member_client.get(WALLET.format(key="adherent")))
    images = reader.pages[0].images
    assert len(images) == 1
    code = images[0].image.convert("L")
    code = code.resize((code.width * 8, code.height * 8), PILImage.NEAREST)
    found = decode(code)
    assert len(found) == 1
    assert found[0].data.decode() == (
        f"TPH1|AMC 784512369|CONV ST|CSR 01|ADH {card_member.member_number}|"
        f"DEB {first:%d/%m/%Y}|FIN {last:%d/%m/%Y}|R 1"
    )


def test_no_r_without_a_contrat_responsable(member_client, contract):
    contract.product.responsible = False
    contract.product.save()
    text = _text(_reader(member_client.get(SHEET.format(key="adherent"))))
    assert " R " not in text and "responsable" not in text


@pytest.mark.parametrize("url", [SHEET, WALLET])
def test_every_card_pdf_has_a_title_and_a_language(member_client, url):
    reader = _reader(member_client.get(url.format(key="adherent")))
    assert reader.metadata.title == "Carte de tiers payant de Marie MARTIN"
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_the_a4_sheet_explains_the_card(member_client):
    reader = _reader(member_client.get(SHEET.format(key="adherent")))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(210 * mm, abs=0.5)
    text = _text(reader)
    assert "Recto" in text and "Verso" in text
    assert "Comment utiliser votre carte" in text
    assert "Découpez la carte le long des traits de coupe" in text
    assert "Page 1 / 1" in text


def test_the_card_page_links_both_pdfs_and_the_html_version(member_client):
    page = unescape(member_client.get("/carte/").content.decode())
    assert f'href="{SHEET.format(key="adherent")}"' in page
    assert f'href="{WALLET.format(key="adherent")}"' in page
    assert f'href="{HTML.format(key="adherent")}">Version HTML accessible de la carte</a>' in page


def test_the_html_version_says_what_the_pdf_says_with_the_nir_masked(member_client, card_member):
    first, last = _year()
    response = member_client.get(HTML.format(key="adherent"))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "<h1>Carte de tiers payant de Marie MARTIN</h1>" in page
    assert f"<dd>du {first:%d/%m/%Y} au {last:%d/%m/%Y}</dd>" in page
    for label, value in [
        ("N° AMC", "784512369"),
        ("Type de convention", "ST"),
        ("Critère secondaire de routage", "01"),
        ("N° d'adhérent", card_member.member_number),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page
    assert "1 85 05 •• ••• ••• ••" in page
    assert "123 456 78" not in page  # the screen never shows the whole NIR
    assert "<td>2</td>" in page  # Lucas's birth rank
    assert "Opérateur de tiers payant : Tiers Payant Exemple" in page
    assert "Découpez la carte le long des traits de coupe" in page
    assert 'title="contrat solidaire et responsable">R</abbr>' in page


def test_another_members_card_pages_are_not_found(client, other_member, contract):
    from tests.factories import BeneficiaryFactory

    ContractFactory(member=other_member)
    stranger = BeneficiaryFactory(member=other_member)
    _sign_in(client, contract.member.user)
    for url in (SHEET, WALLET, HTML):
        assert client.get(url.format(key=stranger.pk)).status_code == 404
