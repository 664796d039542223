""" "Ma carte de tiers payant" (guide 003): the card of the member or of a beneficiary, on the
page and as a PDF, offered only while the cover is valid."""

import datetime
import io
import re
from html import unescape

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from portal.models import Branding
from tests.factories import BeneficiaryFactory, ContractFactory, ProductFactory
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

CARD_URL = "/carte/"
NO_CONTRACT = "Aucun contrat ne vous couvre aujourd'hui"


def _today():
    return timezone.localdate()


def _text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def _pdf_url(key) -> str:
    return f"/carte/{key}/carte-tiers-payant.pdf"


@pytest.fixture(autouse=True)
def branding(db):
    Branding.objects.update_or_create(
        pk=1, defaults={"insurer_name": "Mutuelle Étoile Santé", "amc_number": "784512369"}
    )


@pytest.fixture
def contract(member):
    return ContractFactory(
        member=member,
        number="CT-2024001",
        product=ProductFactory(name="Santé Sérénité", level="Niveau 3"),
        start_date=datetime.date(2023, 2, 1),
    )


def _year():
    today = _today()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


# -- The page ---------------------------------------------------------------------------------
def test_the_member_chooses_whose_card_to_show(client, member, contract):
    _sign_in(client, member.user)
    page = _text(client.get(CARD_URL))
    assert "la vôtre ou celle d'un de vos bénéficiaires" in page
    assert '<select id="id_personne" name="personne">' in page
    assert '<option value="adherent" selected>Marie MARTIN (vous-même)</option>' in page
    for beneficiary in member.beneficiaries.all():
        assert f'<option value="{beneficiary.pk}">{beneficiary.full_name}</option>' in page
    assert ">Afficher</button>" in page
    assert '<a href="/carte/" aria-current="page">Ma carte de tiers payant</a>' in page


def test_the_members_card_shows_the_insurer_the_people_the_validity_and_the_codes(
    client, member, contract
):
    first, last = _year()
    _sign_in(client, member.user)
    page = _text(client.get(CARD_URL))
    assert "Mutuelle Étoile Santé" in page
    assert "<dt>N° AMC</dt><dd>784512369</dd>" in page
    assert f"<dt>N° d'adhérent</dt><dd>{member.member_number}</dd>" in page
    assert "Marie MARTIN" in page and "Lucas MARTIN" in page and "Paul MARTIN" in page
    assert f"<dt>Période de validité</dt><dd>du {first:%d/%m/%Y} au {last:%d/%m/%Y}</dd>" in page
    assert "<dt>PHAR</dt><dd>100/100</dd>" in page
    assert "<dt>OPTI</dt><dd>TP</dd>" in page  # "OUI" in the guarantee: tiers payant
    assert (
        "Cette carte de tiers payant a la même valeur que celle adressée par courrier par "
        "Mutuelle Étoile Santé."
    ) in page
    assert f'href="{_pdf_url("adherent")}"' in page


def test_a_beneficiarys_card_shows_that_beneficiary(client, member, contract):
    lucas = member.beneficiaries.get(first_name="Lucas")
    _sign_in(client, member.user)
    page = _text(client.get(CARD_URL, {"personne": lucas.pk}))
    assert f'<option value="{lucas.pk}" selected>Lucas MARTIN</option>' in page
    card = page[page.index('<article class="tp-card"') : page.index("</article>")]
    assert "Lucas MARTIN" in card
    assert "Paul MARTIN" not in card
    assert f'href="{_pdf_url(lucas.pk)}"' in page


def test_a_removed_beneficiary_is_not_on_the_members_card(client, member, contract):
    paul = member.beneficiaries.get(first_name="Paul")
    paul.cover_end = _today() - datetime.timedelta(days=1)
    paul.save()
    _sign_in(client, member.user)
    page = _text(client.get(CARD_URL))
    card = page[page.index('<article class="tp-card"') : page.index("</article>")]
    assert "Lucas MARTIN" in card
    assert "Paul MARTIN" not in card


def test_the_validity_stops_at_the_radiation_date_and_starts_at_the_entry_date(client, member):
    today = _today()
    start = max(today - datetime.timedelta(days=20), datetime.date(today.year, 1, 1))
    end = min(today + datetime.timedelta(days=20), datetime.date(today.year, 12, 31))
    ContractFactory(member=member, start_date=start, end_date=end)
    _sign_in(client, member.user)
    page = _text(client.get(CARD_URL))
    assert f"<dd>du {start:%d/%m/%Y} au {end:%d/%m/%Y}</dd>" in page


def test_no_card_without_a_current_contract(client, member):
    ContractFactory(member=member, end_date=_today() - datetime.timedelta(days=1))
    _sign_in(client, member.user)
    page = _text(client.get(CARD_URL))
    assert NO_CONTRACT in page
    assert "tp-card" not in page
    assert "carte-tiers-payant.pdf" not in page
    assert client.get(_pdf_url("adherent")).status_code == 404


def test_no_card_for_a_beneficiary_whose_cover_ended(client, member, contract):
    lucas = member.beneficiaries.get(first_name="Lucas")
    lucas.cover_end = _today() - datetime.timedelta(days=1)
    lucas.save()
    _sign_in(client, member.user)
    page = _text(client.get(CARD_URL, {"personne": lucas.pk}))
    assert (
        f'<option value="{lucas.pk}" selected>Lucas MARTIN (couverture terminée)</option>' in page
    )
    assert (
        f"Lucas MARTIN n'est plus couvert(e) par votre contrat depuis le "
        f"{lucas.cover_end:%d/%m/%Y}" in page
    )
    assert "carte-tiers-payant.pdf" not in page
    assert client.get(_pdf_url(lucas.pk)).status_code == 404
    # The member's own card is still offered.
    assert client.get(_pdf_url("adherent")).status_code == 200


def test_a_beneficiary_whose_cover_ends_later_has_a_card_until_then(client, member, contract):
    lucas = member.beneficiaries.get(first_name="Lucas")
    lucas.cover_end = _today()
    lucas.save()
    _sign_in(client, member.user)
    pdf = _pdf_text(client.get(_pdf_url(lucas.pk)))
    assert f"au {_today():%d/%m/%Y}" in pdf


# -- The PDF ----------------------------------------------------------------------------------
def test_the_members_card_pdf(client, member, contract):
    first, last = _year()
    _sign_in(client, member.user)
    pdf = _pdf_text(client.get(_pdf_url("adherent")))
    assert "Carte de tiers payant" in pdf
    assert "Mutuelle Étoile Santé" in pdf
    assert "N° AMC : 784512369" in pdf
    assert f"N° d'adhérent : {member.member_number}" in pdf
    assert "Marie MARTIN" in pdf
    assert "Lucas MARTIN — 01/03/2012" in pdf
    assert "Paul MARTIN — 01/03/2012" in pdf
    assert f"Période de validité : du {first:%d/%m/%Y} au {last:%d/%m/%Y}" in pdf
    for code in ("MED", "PHAR", "LABO", "DENT", "OPTI", "HOSP", "100/100"):
        assert code in pdf
    assert "a la même valeur que celle adressée par courrier par Mutuelle Étoile Santé" in pdf


def test_a_beneficiarys_card_pdf(client, member, contract):
    paul = member.beneficiaries.get(first_name="Paul")
    _sign_in(client, member.user)
    response = client.get(_pdf_url(paul.pk))
    assert "paul-martin" in response["Content-Disposition"]
    pdf = _pdf_text(response)
    assert "Paul MARTIN — 01/03/2012" in pdf
    assert "Lucas MARTIN" not in pdf
    assert f"N° d'adhérent : {member.member_number}" in pdf


# -- Access -----------------------------------------------------------------------------------
def test_another_members_beneficiary_has_no_card_here(client, member, other_member, contract):
    ContractFactory(member=other_member)
    stranger = BeneficiaryFactory(member=other_member, first_name="Zoé")
    _sign_in(client, member.user)
    assert client.get(_pdf_url(stranger.pk)).status_code == 404
    assert client.get(CARD_URL, {"personne": stranger.pk}).status_code == 404
    for key in ("99999", "n-importe-quoi"):
        assert client.get(_pdf_url(key)).status_code == 404
        assert client.get(CARD_URL, {"personne": key}).status_code == 404


def test_the_card_is_for_signed_in_members(client, contract):
    response = client.get(_pdf_url("adherent"))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


def test_the_card_pdf_carries_the_insurers_logo(client, member):
    """With a logo in the white-label settings, every document starts with it."""
    ContractFactory(member=member)
    picture = io.BytesIO()
    PILImage.new("RGB", (120, 40), "#0b5394").save(picture, "PNG")
    branding = Branding.current()
    branding.logo = SimpleUploadedFile("logo.png", picture.getvalue(), content_type="image/png")
    branding.save()
    _sign_in(client, member.user)

    response = client.get("/carte/adherent/carte-tiers-payant.pdf")

    assert response.status_code == 200
    page = pypdf.PdfReader(io.BytesIO(response.content)).pages[0]
    assert len(page.images) >= 1


# -- Issue 16, point 23: in English, the card stays French (it is for French professionals) --
def test_the_card_stays_french_for_a_member_reading_in_english(client, member, contract):
    from django.conf import settings

    _sign_in(client, member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pdf = _pdf_text(client.get(_pdf_url("adherent")))
    assert "Carte de tiers payant" in pdf
    assert "Période de validité" in pdf and "Comment utiliser votre carte" in pdf
    assert "Period of validity" not in pdf and "Child" not in pdf
    page = _text(client.get(CARD_URL))
    assert '<html lang="en"' in page
    card = page[page.index('class="tp-card"') :]
    card = card[: card.index("</article>")]
    assert "Carte de tiers payant" in card and "Période de validité" in card
    # The page around it is in English, and the next page too (the override ends).
    from django.utils import translation

    translation.activate("fr")  # the next tests read French
