""" "Mes bénéficiaires" (guide 003): each person with their masked social-security number,
organism, details and NOEMIE state; teletransmission, adding and removing a beneficiary are
requests to the insurer."""

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from requests_app.models import MemberRequest, RequestKind
from tests.factories import BeneficiaryFactory, ContractFactory
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

URL = "/beneficiaires/"
TELETRANSMISSION_URL = "/demandes/declarer-un-changement/teletransmission/"
MEMBER_NIR = "180057512345629"  # 1 80 05 75 123 456 29
LUCAS_NIR = "295109912611193"  # 2 95 10 99 126 111 93
COLLECTIVE_WARNING = (
    "Attention pour nos adhérents ayant souscrit à un contrat collectif ! Merci de bien vouloir "
    "solliciter votre employeur pour toutes modifications de coordonnées et de contrat."
)


def _text(response) -> str:
    return unescape(response.content.decode())


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


def _attestation():
    return SimpleUploadedFile("attestation.pdf", pdf_bytes(), content_type="application/pdf")


def _card_of(page: str, name: str) -> str:
    """The part of the page about one person."""
    start = page.index(f">{name} <span")
    end = page.find('<li class="card person-card', start)
    return page[start : end if end != -1 else len(page)]


@pytest.fixture
def people(member):
    member.nir = MEMBER_NIR
    member.organism_code = "013310000"
    member.teletransmission = True
    member.save()
    lucas = member.beneficiaries.get(first_name="Lucas")
    lucas.nir = LUCAS_NIR
    lucas.organism_code = "013311000"
    lucas.email = "lucas@example.org"
    lucas.phone = "+33698765432"
    lucas.address_line1 = "3 allée des Pins"
    lucas.postcode = "33600"
    lucas.city = "Pessac"
    lucas.save()
    ContractFactory(member=member)
    return member


# -- The page ---------------------------------------------------------------------------------
def test_the_page_lists_the_member_then_each_beneficiary(client, people):
    _sign_in(client, people.user)
    page = _text(client.get(URL))
    assert page.index("Marie MARTIN") < page.index("Lucas MARTIN")
    assert "(Adhérent(e))" in page and "(Enfant)" in page and "(Conjoint)" in page
    assert '<a href="/beneficiaires/" aria-current="page">Mes bénéficiaires</a>' in page


def test_each_person_shows_their_details_and_teletransmission_state(client, people):
    _sign_in(client, people.user)
    page = _text(client.get(URL))
    marie = _card_of(page, "Marie MARTIN")
    assert "Télétransmission activée" in marie
    assert "013310000" in marie
    assert "17/05/1980" in marie
    assert people.email in marie
    assert "06 12 34 56 78" in marie
    assert "12 rue des Lilas" in marie and "33000 Bordeaux" in marie
    assert "Déconnecter la télétransmission" in marie
    assert "Supprimer ce bénéficiaire" not in marie

    lucas = _card_of(page, "Lucas MARTIN")
    assert "Télétransmission non activée" in lucas
    assert "013311000" in lucas
    assert "01/03/2012" in lucas
    assert "lucas@example.org" in lucas
    assert "06 98 76 54 32" in lucas
    assert "3 allée des Pins" in lucas and "33600 Pessac" in lucas
    assert "Activer la télétransmission" in lucas
    assert 'href="/demandes/declarer-un-changement/teletransmission/?beneficiary=' in lucas
    assert 'href="/demandes/declarer-un-changement/retrait-beneficiaire/?beneficiary=' in lucas
    assert "Supprimer ce bénéficiaire" in lucas

    paul = _card_of(page, "Paul MARTIN")
    assert "Non renseigné" in paul
    assert 'href="/demandes/declarer-un-changement/ajout-beneficiaire/"' in page
    assert "Ajouter un bénéficiaire" in page


def test_the_social_security_number_is_masked(client, people):
    _sign_in(client, people.user)
    page = _text(client.get(URL))
    assert "1 •• •• •• ••• ••• 29" in page
    assert "2 •• •• •• ••• ••• 93" in page
    for nir in (MEMBER_NIR, LUCAS_NIR):
        digits = re.sub(r"\D", "", page)
        assert nir not in digits
        assert nir[1:13] not in digits
    assert "1 80 05 75" not in page


def test_a_removed_beneficiary_is_shown_as_no_longer_covered(client, people):
    paul = people.beneficiaries.get(first_name="Paul")
    paul.cover_end = timezone.localdate() - datetime.timedelta(days=3)
    paul.save()
    _sign_in(client, people.user)
    card = _card_of(_text(client.get(URL)), "Paul MARTIN")
    assert f"Couverture terminée le {paul.cover_end:%d/%m/%Y}." in card
    assert "Supprimer ce bénéficiaire" not in card


def test_another_members_beneficiaries_are_not_shown(client, people, other_member):
    BeneficiaryFactory(member=other_member, first_name="Zoé")
    _sign_in(client, people.user)
    assert "Zoé" not in _text(client.get(URL))


def test_a_collective_member_is_sent_to_their_employer(client, people):
    people.collective_contract = True
    people.save(update_fields=["collective_contract"])
    _sign_in(client, people.user)
    page = _text(client.get(URL))
    assert COLLECTIVE_WARNING in page
    # The page offers no change of beneficiaries (the menu's "Faire une demande" still lists
    # "Déclarer un changement", whose own page says who does what).
    main = page[page.index('<main id="main"') : page.index("</main>")]
    assert "declarer-un-changement" not in main


def test_the_page_is_for_signed_in_members(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


# -- Télétransmission NOEMIE: a request --------------------------------------------------------
def test_activating_teletransmission_is_a_request_with_the_attestation(client, people):
    lucas = people.beneficiaries.get(first_name="Lucas")
    _sign_in(client, people.user)
    form = _text(client.get(TELETRANSMISSION_URL))
    assert "Télétransmission NOEMIE" in form
    assert "Attestation de droits de l'Assurance Maladie" in form
    summary = _text(
        client.post(
            TELETRANSMISSION_URL,
            {
                "_action": "review",
                "beneficiary": lucas.pk,
                "action": "activate",
                "documents_files": _attestation(),
            },
        )
    )
    assert "Vérifier le résumé" in summary
    assert "Lucas MARTIN" in summary and "Activer la télétransmission" in summary
    assert "attestation.pdf" in summary
    assert MemberRequest.objects.count() == 0

    sent = client.post(TELETRANSMISSION_URL, {**_hidden(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent.status_code == 302
    assert request.kind == RequestKind.CHANGE
    assert request.topic == "teletransmission"
    assert request.topic_label == "Télétransmission NOEMIE"
    assert request.beneficiary == lucas
    assert {"label": "Votre demande", "value": "Activer la télétransmission"} in request.details
    assert [f.original_name for f in request.attachments.all()] == ["attestation.pdf"]
    # A request, not an instant change.
    lucas.refresh_from_db()
    assert lucas.teletransmission is False


def test_activating_teletransmission_needs_the_attestation(client, people):
    lucas = people.beneficiaries.get(first_name="Lucas")
    _sign_in(client, people.user)
    data = {"_action": "confirm", "beneficiary": lucas.pk, "action": "activate"}
    page = _text(client.post(TELETRANSMISSION_URL, data))
    assert _error(page, "documents") == (
        "Joignez l'attestation de droits de l'Assurance Maladie : elle est nécessaire pour "
        "activer la télétransmission."
    )
    assert MemberRequest.objects.count() == 0


def test_disconnecting_teletransmission_needs_no_document(client, people):
    _sign_in(client, people.user)
    data = {"_action": "confirm", "beneficiary": "self", "action": "disconnect"}
    response = client.post(TELETRANSMISSION_URL, data)
    assert response.status_code == 302
    request = MemberRequest.objects.get()
    assert request.beneficiary is None
    assert {"label": "Personne concernée", "value": "Marie MARTIN"} in request.details
    assert {"label": "Votre demande", "value": "Déconnecter la télétransmission"} in (
        request.details
    )


def test_teletransmission_cannot_be_asked_in_the_state_it_already_is(client, people):
    lucas = people.beneficiaries.get(first_name="Lucas")
    _sign_in(client, people.user)
    already_on = {"_action": "review", "beneficiary": "self", "action": "activate"}
    page = _text(
        client.post(TELETRANSMISSION_URL, {**already_on, "documents_files": _attestation()})
    )
    assert _error(page, "action") == "La télétransmission est déjà activée pour Marie MARTIN."
    already_off = {"_action": "review", "beneficiary": lucas.pk, "action": "disconnect"}
    page = _text(client.post(TELETRANSMISSION_URL, already_off))
    assert _error(page, "action") == (
        "La télétransmission n'est pas activée pour Lucas MARTIN : il n'y a rien à déconnecter."
    )
    assert MemberRequest.objects.count() == 0


def test_teletransmission_needs_a_person_and_an_action(client, people):
    _sign_in(client, people.user)
    page = _text(client.post(TELETRANSMISSION_URL, {"_action": "review"}))
    assert _error(page, "beneficiary") == "Sélectionnez la personne concernée."
    assert _error(page, "action") == (
        "Indiquez s'il faut activer ou déconnecter la télétransmission."
    )


def test_teletransmission_for_another_members_beneficiary_is_refused(client, people, other_member):
    stranger = BeneficiaryFactory(member=other_member, first_name="Zoé")
    _sign_in(client, people.user)
    data = {"_action": "confirm", "beneficiary": stranger.pk, "action": "disconnect"}
    page = _text(client.post(TELETRANSMISSION_URL, data))
    assert _error(page, "beneficiary") == (
        "Cette personne ne figure pas parmi les bénéficiaires de votre contrat."
    )
    assert "Zoé" not in page
    assert MemberRequest.objects.count() == 0


def test_the_teletransmission_link_preselects_the_person_and_the_action(client, member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    _sign_in(client, member.user)
    page = client.get("/beneficiaires/").content.decode()
    link = unescape(
        re.search(rf'href="([^"]*teletransmission/\?beneficiary={lucas.pk}[^"]*)"', page).group(1)
    )
    assert "action=activate" in link

    form_page = client.get(link).content.decode()

    assert re.search(rf'<option value="{lucas.pk}" selected>', form_page)
    assert re.search(r'value="activate"[^>]*checked|checked[^>]*value="activate"', form_page)


def test_the_removal_link_preselects_the_beneficiary(client, member):
    paul = member.beneficiaries.get(first_name="Paul")
    _sign_in(client, member.user)

    form_page = client.get(
        f"/demandes/declarer-un-changement/retrait-beneficiaire/?beneficiary={paul.pk}"
    ).content.decode()

    assert re.search(rf'<option value="{paul.pk}" selected>', form_page)


# -- Issue 16, point 21: a change asked for is recalled on the page it concerns ----------------
def test_the_rib_and_beneficiaries_pages_show_a_change_in_progress(client, member):
    from casework.services import case_move
    from requests_app.models import RequestKind
    from requests_app.services import member_request_submit
    from tests.test_access_matrix import _sign_in as sign_in

    sign_in(client, member.user)
    assert "en cours de traitement" not in client.get("/remboursements/rib/").content.decode()
    rib = member_request_submit(
        member=member, kind=RequestKind.CHANGE, by=member.user,
        topic="coordonnees-bancaires", topic_label="Changement de coordonnées bancaires",
    )  # fmt: skip
    added = member_request_submit(
        member=member, kind=RequestKind.CHANGE, by=member.user,
        topic="ajout-beneficiaire", topic_label="Ajout d'un bénéficiaire",
    )  # fmt: skip
    page = unescape(client.get("/remboursements/rib/").content.decode())
    assert "Une demande de modification est en cours de traitement" in page
    assert f'href="/demandes/{rib.reference}/"' in page and added.reference not in page
    page = unescape(client.get("/beneficiaires/").content.decode())
    assert f'href="/demandes/{added.reference}/"' in page and rib.reference not in page
    # Once resolved, it is no longer "in progress".
    from tests.factories import UserFactory

    manager = UserFactory(role="insurer_manager", is_staff=True)
    case_move(case=rib, move="take", by=manager)
    case_move(case=rib, move="resolve", by=manager, text="C'est fait.")
    assert "en cours de traitement" not in client.get("/remboursements/rib/").content.decode()
