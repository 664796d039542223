"""Issue 14, collective contracts as a setting of the insurer: per kind of change, the member
makes it here or asks the employer, whose name and contact the page gives. Guide 002's profile
sends every change to the employer; guide 003's lets the member switch NOEMIE and add or remove
beneficiaries."""

import pytest
from django.urls import reverse

from cover.collective import collective_profile_apply
from cover.services import member_collective_flags_sync
from requests_app.models import MemberRequest
from tests.factories import ContractFactory
from tests.test_access_matrix import _sign_in
from tests.test_request_document import a_pdf, hidden_inputs, page_of

pytestmark = pytest.mark.django_db

EMPLOYER = "Transports Aquitains"
CONTACT = "Service des ressources humaines, 05 56 44 55 66"
GUIDE_002 = (
    "Attention pour nos adhérents ayant souscrit à un contrat collectif ! Merci de bien vouloir "
    "solliciter votre employeur pour toutes modifications de coordonnées et de contrat."
)
TELETRANSMISSION_URL = reverse("requests_app:change_step", args=["teletransmission"])


@pytest.fixture
def collective_member(member):
    ContractFactory(
        member=member,
        kind="collective",
        company_name=EMPLOYER,
        company_contact=CONTACT,
    )
    member_collective_flags_sync(member_ids={member.pk})
    member.refresh_from_db()
    assert member.collective_contract
    return member


@pytest.fixture
def guide_002(db):
    collective_profile_apply(profile="guide-002")


@pytest.fixture
def guide_003(db):
    collective_profile_apply(profile="guide-003")


def test_guide_002_a_collective_member_sees_his_employer_and_cannot_change_his_address(
    client, collective_member, guide_002
):
    _sign_in(client, collective_member.user)
    profile = page_of(client.get(reverse("accounts:profile")))
    assert GUIDE_002 in profile
    assert EMPLOYER in profile and CONTACT in profile
    assert "Modifier mon adresse<" not in profile

    before = (collective_member.address_line1, collective_member.city)
    page = page_of(client.get(reverse("accounts:profile_address")))
    assert EMPLOYER in page and 'name="address_line1"' not in page
    response = client.post(
        reverse("accounts:profile_address"),
        {"address_line1": "1 rue Neuve", "postcode": "33000", "city": "Bordeaux"},
    )
    assert EMPLOYER in page_of(response)
    collective_member.refresh_from_db()
    assert (collective_member.address_line1, collective_member.city) == before

    # "Déclarer un changement" offers nothing to send and names the employer.
    change = page_of(client.get(reverse("requests_app:change")))
    assert GUIDE_002 in change and EMPLOYER in change
    assert "Télétransmission NOEMIE" in page_of(client.get(TELETRANSMISSION_URL))
    assert EMPLOYER in page_of(client.get(TELETRANSMISSION_URL))
    beneficiaries = page_of(client.get(reverse("cover:beneficiaries")))
    assert "Activer la télétransmission" not in beneficiaries
    assert "Ajouter un bénéficiaire" not in beneficiaries


def test_guide_003_a_collective_member_switches_noemie_and_manages_beneficiaries(
    client, collective_member, guide_003
):
    lucas = collective_member.beneficiaries.get(first_name="Lucas")
    _sign_in(client, collective_member.user)
    beneficiaries = page_of(client.get(reverse("cover:beneficiaries")))
    assert "Activer la télétransmission" in beneficiaries
    assert "Ajouter un bénéficiaire" in beneficiaries
    assert "Supprimer ce bénéficiaire" in beneficiaries
    assert GUIDE_002 not in beneficiaries

    summary = client.post(
        TELETRANSMISSION_URL,
        {
            "_action": "review",
            "beneficiary": lucas.pk,
            "action": "activate",
            "documents_files": a_pdf("attestation.pdf"),
        },
    )
    assert "Vérifier le résumé" in page_of(summary)
    sent = client.post(TELETRANSMISSION_URL, {**hidden_inputs(summary), "_action": "confirm"})
    assert sent.status_code == 302
    assert MemberRequest.objects.filter(member=collective_member).count() == 1

    # The address stays the employer's in this profile, with his name and contact.
    profile = page_of(client.get(reverse("accounts:profile")))
    assert "Modifier mon adresse<" not in profile
    assert EMPLOYER in profile and CONTACT in profile
    assert GUIDE_002 not in profile
    choice = page_of(client.get(reverse("requests_app:change")))
    assert 'value="teletransmission"' in choice and 'value="ajout-beneficiaire"' in choice
    assert 'value="adresse"' not in choice and 'value="coordonnees-bancaires"' not in choice


def test_an_individual_member_changes_everything_himself(client, member, guide_002):
    _sign_in(client, member.user)
    profile = page_of(client.get(reverse("accounts:profile")))
    assert "Modifier mon adresse<" in profile
    assert "contrat collectif" not in profile
