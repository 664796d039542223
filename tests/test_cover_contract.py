""" "Mes contrats" (guide 003) and "Mon contrat" (guide 002): the contract, its guarantees, its
documents as PDFs, the "Modalités de remboursement" and the request to add an optional cover."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pypdf
import pytest
from django.utils import timezone

from cover.models import OptionalCover
from portal.models import Branding
from requests_app.models import MemberRequest, RequestKind
from tests.factories import ContractFactory, ProductFactory
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

CONTRACT_URL = "/contrat/"
TERMS_URL = "/contrat/modalites-de-remboursement/"
OPTION_URL = "/demandes/declarer-un-changement/option-facultative/"
COLLECTIVE_WARNING = (
    "Attention pour nos adhérents ayant souscrit à un contrat collectif ! Merci de bien vouloir "
    "solliciter votre employeur pour toutes modifications de coordonnées et de contrat."
)


def _today():
    return timezone.localdate()


def _text(response) -> str:
    return unescape(response.content.decode())


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(value: str) -> str:
    """PDF text with its line breaks undone, to find a sentence wherever it wraps."""
    return re.sub(r"\s+", " ", value)


def _error(page: str, field: str) -> str:
    match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert match, f"no error next to {field}"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def _hidden(page: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(unescape(value))
    return data


@pytest.fixture
def branding(db):
    Branding.objects.update_or_create(
        pk=1, defaults={"insurer_name": "Mutuelle Étoile Santé", "amc_number": "784512369"}
    )
    return Branding.current()


@pytest.fixture
def contract(member):
    return ContractFactory(
        member=member,
        number="CT-2024001",
        product=ProductFactory(name="Santé Sérénité", level="Niveau 3"),
        start_date=datetime.date(2023, 2, 1),
    )


@pytest.fixture
def dental_option(db):
    return OptionalCover.objects.create(
        code="DENT+",
        name="Renfort dentaire",
        description="Implants et orthodontie adulte jusqu'à 600 € par an.",
        monthly_price=Decimal("12.50"),
    )


# -- The page ---------------------------------------------------------------------------------
def test_the_page_shows_the_contract_its_formule_its_entry_date_and_its_guarantees(
    client, member, contract
):
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert "Contrat n° CT-2024001" in page
    assert "Santé Sérénité" in page and "Niveau 3" in page
    assert "Individuel" in page
    assert re.search(r"Date d'entrée</dt><dd>01/02/2023<", page)
    assert "Date de radiation" not in page
    # The table of guarantees, on the page.
    assert "Médicaments remboursés par la Sécurité sociale" in page
    assert "Prothèses dentaires" in page and "300 % BR" in page
    assert "Lunettes (verres et monture)" in page and "250 € par an" in page
    # Its documents.
    assert 'href="/contrat/CT-2024001/tableau-des-garanties.pdf"' in page
    assert 'href="/contrat/CT-2024001/certificat-affiliation.pdf"' in page
    assert "Télécharger mon certificat de radiation" not in page
    assert 'href="/contrat/modalites-de-remboursement/"' in page


def test_the_three_sections_are_tabs(client, member, contract):
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert '<a href="/contrat/" aria-current="page">Mon contrat</a>' in page
    assert '<a href="/carte/">Ma carte de tiers payant</a>' in page
    assert '<a href="/beneficiaires/">Mes bénéficiaires</a>' in page


def test_a_radiated_contract_offers_its_certificate_of_radiation(client, member, contract):
    contract.end_date = _today() - datetime.timedelta(days=10)
    contract.save()
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert f"Radié le {contract.end_date:%d/%m/%Y}" in page
    assert re.search(rf"Date de radiation</dt><dd>{contract.end_date:%d/%m/%Y}<", page)
    assert 'href="/contrat/CT-2024001/certificat-radiation.pdf"' in page


def test_the_subscribed_options_are_listed_with_their_price(
    client, member, contract, dental_option
):
    contract.options.add(dental_option)
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert "Renfort dentaire" in page
    assert "12,50 € par mois" in page


def test_a_member_without_a_contract_is_told_so(client, member):
    _sign_in(client, member.user)
    response = client.get(CONTRACT_URL)
    assert response.status_code == 200
    assert "Aucun contrat n'est enregistré à votre nom." in _text(response)


def test_a_collective_contract_shows_the_company_and_sends_changes_to_the_employer(
    client, member, dental_option
):
    ContractFactory(
        member=member, number="COL-77", kind="collective", company_name="Hôtel des Vignes"
    )
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert "Collectif" in page
    assert "Hôtel des Vignes" in page
    assert COLLECTIVE_WARNING in page
    assert "option-facultative" not in page


def test_a_member_flagged_collective_sees_the_warning_and_no_option_link(
    client, member, contract, dental_option
):
    member.collective_contract = True
    member.save(update_fields=["collective_contract"])
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert COLLECTIVE_WARNING in page
    assert "option-facultative" not in page


def test_an_individual_member_may_ask_for_an_option(client, member, contract, dental_option):
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert COLLECTIVE_WARNING not in page
    assert f'href="{OPTION_URL}"' in page


def test_no_option_link_when_no_option_is_offered(client, member, contract, dental_option):
    dental_option.active = False
    dental_option.save()
    _sign_in(client, member.user)
    assert "option-facultative" not in _text(client.get(CONTRACT_URL))


def test_the_terms_page_says_how_each_type_of_care_is_reimbursed(client, member, contract):
    _sign_in(client, member.user)
    page = _text(client.get(TERMS_URL))
    assert "Modalités de remboursement" in page
    for care, label in [("Pharmacie", "Médicaments"), ("Optique", "Lunettes")]:
        assert f">{care}</h2>" in page
        assert label in page
    assert "Prothèses dentaires : remboursé à 300 % BR, en tiers payant chez le professionnel." in (
        page
    )


def test_the_terms_page_without_a_current_contract(client, member, contract):
    contract.end_date = _today() - datetime.timedelta(days=1)
    contract.save()
    _sign_in(client, member.user)
    assert "Aucun contrat ne vous couvre aujourd'hui." in _text(client.get(TERMS_URL))


# -- PDFs -------------------------------------------------------------------------------------
def test_the_table_of_guarantees_pdf(client, member, contract, branding, dental_option):
    contract.options.add(dental_option)
    _sign_in(client, member.user)
    response = client.get("/contrat/CT-2024001/tableau-des-garanties.pdf")
    assert "attachment" in response["Content-Disposition"]
    pdf = _flat(_pdf_text(response))
    assert "Mutuelle Étoile Santé" in pdf
    assert "Tableau des garanties" in pdf
    assert member.member_number in pdf
    assert "CT-2024001" in pdf
    assert "Santé Sérénité Niveau 3" in pdf
    assert "Médicaments remboursés par la Sécurité sociale" in pdf
    assert "Prothèses dentaires" in pdf and "300 % BR" in pdf
    assert "Renfort dentaire" in pdf and "12,50 €" in pdf


def test_the_certificate_of_affiliation_states_the_entry_date_and_who_is_covered(
    client, member, contract, branding
):
    lucas = member.beneficiaries.get(first_name="Lucas")
    lucas.cover_end = _today() - datetime.timedelta(days=30)
    lucas.save()
    _sign_in(client, member.user)
    pdf = _flat(_pdf_text(client.get("/contrat/CT-2024001/certificat-affiliation.pdf")))
    assert "Certificat d'affiliation" in pdf
    assert "Nous certifions que Madame Marie MARTIN" in pdf
    # Madame: the words agree (issue 15), never "adhérent(e)".
    assert f"adhérente n° {member.member_number}" in pdf
    assert "affiliée au contrat n° CT-2024001, formule Santé Sérénité Niveau 3" in pdf
    assert "(e)" not in pdf
    assert "depuis le 01/02/2023" in pdf
    assert "Mutuelle Étoile Santé" in pdf
    # The people covered: the member and the beneficiaries still on the contract.
    assert "Paul MARTIN" in pdf
    assert "Lucas MARTIN" not in pdf


def test_the_certificate_of_affiliation_of_a_past_contract_states_its_period(
    client, member, contract
):
    contract.end_date = datetime.date(2024, 12, 31)
    contract.save()
    _sign_in(client, member.user)
    pdf = _flat(_pdf_text(client.get("/contrat/CT-2024001/certificat-affiliation.pdf")))
    assert "a été affiliée au contrat n° CT-2024001" in pdf
    assert "du 01/02/2023 au 31/12/2024 inclus" in pdf


def test_the_certificate_of_radiation_states_the_end_date(client, member, contract, branding):
    contract.end_date = datetime.date(2025, 6, 30)
    contract.save()
    _sign_in(client, member.user)
    pdf = _flat(_pdf_text(client.get("/contrat/CT-2024001/certificat-radiation.pdf")))
    assert "Certificat de radiation" in pdf
    assert "a été radiée du contrat n° CT-2024001" in pdf
    assert "du 01/02/2023 au 30/06/2025 inclus, date de sa radiation" in pdf
    assert "Date de radiation" in pdf and "30/06/2025" in pdf
    assert "Mutuelle Étoile Santé" in pdf
    assert "(e)" not in pdf


def test_a_gentleman_s_certificate_agrees_and_is_signed(client, member, contract, branding):
    member.civility = "M"
    member.save()
    Branding.objects.filter(pk=1).update(
        signatory_name="Claire DURAND",
        signatory_role="Responsable du service adhérents",
        document_legal_mentions="Mutuelle régie par le livre II du Code de la mutualité.",
    )
    _sign_in(client, member.user)
    pdf = _flat(_pdf_text(client.get("/contrat/CT-2024001/certificat-affiliation.pdf")))
    assert f"Monsieur Marie MARTIN, adhérent n° {member.member_number}, est affilié au" in pdf
    assert "Pour Mutuelle Étoile Santé, Claire DURAND Responsable du service adhérents" in pdf
    assert "Mutuelle régie par le livre II du Code de la mutualité." in pdf


def test_there_is_no_certificate_of_radiation_without_a_radiation_date(client, member, contract):
    _sign_in(client, member.user)
    assert client.get("/contrat/CT-2024001/certificat-radiation.pdf").status_code == 404


@pytest.mark.parametrize(
    "document", ["tableau-des-garanties", "certificat-affiliation", "certificat-radiation"]
)
def test_another_members_contract_documents_are_not_found(client, member, other_member, document):
    ContractFactory(member=other_member, number="CT-OTHER", end_date=datetime.date(2025, 1, 31))
    _sign_in(client, member.user)
    assert client.get(f"/contrat/CT-OTHER/{document}.pdf").status_code == 404
    assert client.get(f"/contrat/CT-NOPE/{document}.pdf").status_code == 404


def test_the_contract_pages_are_for_signed_in_members(client, contract):
    response = client.get(CONTRACT_URL)
    assert response.status_code == 302
    assert "/compte/" in response["Location"]
    assert client.get("/contrat/CT-2024001/tableau-des-garanties.pdf").status_code == 302


# -- Ajout d'une option facultative -----------------------------------------------------------
def test_the_option_form_lists_the_offered_options_with_their_description_and_price(
    client, member, contract, dental_option
):
    OptionalCover.objects.create(
        code="OLD", name="Option retirée", monthly_price=Decimal("3.00"), active=False
    )
    _sign_in(client, member.user)
    page = _text(client.get(OPTION_URL))
    assert "Ajout d'une option facultative" in page
    assert f'type="radio" name="option" value="{dental_option.pk}"' in page
    assert "Renfort dentaire" in page
    assert "Implants et orthodontie adulte jusqu'à 600 € par an." in page
    assert "12,50 € par mois" in page
    assert "Option retirée" not in page


def test_an_option_is_requested_from_the_insurer(client, member, contract, dental_option):
    _sign_in(client, member.user)
    day = _today().strftime("%d/%m/%Y")
    summary = _text(
        client.post(
            OPTION_URL,
            {
                "_action": "review",
                "option": dental_option.pk,
                "effective_date": day,
                "message": "À partir du mois prochain si possible.",
            },
        )
    )
    assert "Vérifier le résumé" in summary
    assert "Renfort dentaire (12,50 € par mois)" in summary
    assert MemberRequest.objects.count() == 0

    sent = client.post(OPTION_URL, {**_hidden(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent.status_code == 302
    assert request.member == member
    assert request.kind == RequestKind.CHANGE
    assert request.topic == "option-facultative"
    assert request.topic_label == "Ajout d'une option facultative"
    assert {"label": "Option facultative", "value": "Renfort dentaire (12,50 € par mois)"} in (
        request.details
    )
    assert request.message == "À partir du mois prochain si possible."
    # A request, not a change of the contract.
    assert not contract.options.exists()


def test_an_option_no_longer_offered_is_refused(client, member, contract, dental_option):
    retired = OptionalCover.objects.create(
        code="OLD", name="Option retirée", monthly_price=Decimal("3.00"), active=False
    )
    _sign_in(client, member.user)
    data = {"option": retired.pk, "effective_date": _today().strftime("%d/%m/%Y")}
    page = _text(client.post(OPTION_URL, {"_action": "confirm", **data}))
    assert _error(page, "option") == (
        "Cette option n'est pas proposée : choisissez une option dans la liste."
    )
    assert MemberRequest.objects.count() == 0


def test_an_option_already_on_the_contract_is_not_offered_again(
    client, member, contract, dental_option
):
    contract.options.add(dental_option)
    _sign_in(client, member.user)
    page = _text(client.get(OPTION_URL))
    assert "Aucune option facultative ne peut être ajoutée à votre contrat" in page
    assert 'name="_action"' not in page


def test_the_option_form_needs_an_option_and_a_date(client, member, contract, dental_option):
    _sign_in(client, member.user)
    page = _text(client.post(OPTION_URL, {"_action": "review"}))
    assert _error(page, "option") == "Choisissez l'option à ajouter à votre contrat."
    assert _error(page, "effective_date") == "Saisissez la date du changement."


def test_without_any_option_offered_the_member_is_told_so(client, member, contract):
    _sign_in(client, member.user)
    for response in (client.get(OPTION_URL), client.post(OPTION_URL, {"_action": "confirm"})):
        page = _text(response)
        assert response.status_code == 200
        assert "Aucune option facultative ne peut être ajoutée à votre contrat" in page
        assert 'name="_action"' not in page
    assert MemberRequest.objects.count() == 0


def test_without_a_current_contract_no_option_can_be_asked(client, member, dental_option):
    _sign_in(client, member.user)
    page = _text(client.get(OPTION_URL))
    assert "Aucun contrat ne vous couvre aujourd'hui" in page
    assert 'name="_action"' not in page


def test_a_collective_contract_cannot_ask_for_an_option(client, member, dental_option):
    ContractFactory(member=member, kind="collective", company_name="Hôtel des Vignes")
    _sign_in(client, member.user)
    data = {"option": dental_option.pk, "effective_date": _today().strftime("%d/%m/%Y")}
    response = client.post(OPTION_URL, {"_action": "confirm", **data})
    assert COLLECTIVE_WARNING in _text(response)
    assert MemberRequest.objects.count() == 0


def test_an_option_cannot_start_in_the_past(client, member, contract, dental_option):
    """Issue 16, point 21: the optional-cover form refused a date a year back only."""
    import datetime

    _sign_in(client, member.user)
    for days_back in (1, 300):
        day = (_today() - datetime.timedelta(days=days_back)).strftime("%d/%m/%Y")
        page = _text(
            client.post(
                OPTION_URL,
                {"_action": "review", "option": dental_option.pk, "effective_date": day},
            )
        )
        assert (
            "La date d'effet ne peut pas être antérieure à aujourd'hui "
            f"({_today():%d/%m/%Y})." in page
        )
    assert MemberRequest.objects.count() == 0


def test_the_contract_page_is_named_like_the_menu_that_opens_it(client, member, contract):
    """Guide 002's "Mon contrat": the menu, the page's title and its tab say the same."""
    _sign_in(client, member.user)
    page = _text(client.get(CONTRACT_URL))
    assert re.search(
        r'<nav class="[^"]*"[^>]*>.*?<a href="/contrat/"[^>]*>Mon contrat</a>', page, re.S
    )
    assert "<title>Mon contrat" in page
    assert "<h1>Mon contrat</h1>" in page
    assert "Mes contrats" not in page
