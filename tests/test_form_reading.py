"""Forms that read well to everybody (issue 14, point 6): a <title> that says the state of the
page (errors, wizard step, number of results), error-summary links that lead to a control that
exists, `*` explained at the top of the form, date and phone formats said in the help text."""

import re
from html import unescape

import pytest
from django.urls import reverse

from cover.models import OptionalCover
from directory import communes
from directory.models import Professional, Specialty
from partners.catalogue import SERVICES, Service
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit
from tests.factories import ContractFactory, make_partner_request
from tests.helpers.reauth import reauthenticated
from tests.test_access_matrix import _sign_in
from tests.test_request_change import _change_data, _hidden, _pdf

pytestmark = pytest.mark.django_db

ADD = "/demandes/declarer-un-changement/ajout-beneficiaire/"
REQUIRED_NOTE = "Les champs marqués d'un astérisque (*) sont obligatoires."
DATE_HELP = "Au format jj/mm/aaaa, par exemple 17/05/2025."


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def _title(page: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", page, re.S).group(1).split())


def _summary_links(page: str) -> list[str]:
    summary = re.search(r"<div class=\"error-summary\".*?</div>", page, re.S).group(0)
    return re.findall(r'<a href="([^"]*)"', summary)


def _help(page: str, field_id: str) -> str:
    return re.search(rf'<p class="help" id="{field_id}_helptext">(.*?)</p>', page, re.S).group(1)


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


# -- Titles ---------------------------------------------------------------------------------------
def test_the_request_wizard_titles_say_the_step_and_the_errors(member_client, member):
    form = _page(member_client.get(ADD))
    assert _title(form).startswith("Étape 1 sur 3 – Ajout d'un bénéficiaire")

    refused = _page(member_client.post(ADD, {"_action": "review"}))
    assert _title(refused).startswith("Erreur – Étape 1 sur 3 – Ajout d'un bénéficiaire")

    data = _change_data(member, "ajout-beneficiaire")
    summary = _page(
        member_client.post(ADD, {"_action": "review", **data, "documents_files": [_pdf()]})
    )
    assert _title(summary).startswith("Étape 2 sur 3 – Vérifier le résumé")

    sent = member_client.post(ADD, {**_hidden(summary), "_action": "confirm"}, follow=True)
    assert MemberRequest.objects.count() == 1
    assert _title(_page(sent)).startswith("Étape 3 sur 3 – Demande envoyée")


def test_a_page_without_errors_has_no_error_title(member_client):
    assert not _title(_page(member_client.get(reverse("support:contact")))).startswith("Erreur")


def test_a_refused_sign_in_says_erreur_in_its_title(client, member):
    page = _page(client.post(reverse("accounts:login"), {"username": "x", "password": "y"}))
    assert _title(page).startswith("Erreur – Me connecter")


def test_the_member_history_title_counts_the_requests(member_client, member):
    assert _title(_page(member_client.get("/demandes/"))).startswith(
        "Aucun résultat – Échanger avec nous"
    )
    for _ in range(2):
        member_request_submit(
            member=member, kind=RequestKind.QUESTION, by=member.user, message="Bonjour."
        )
    assert _title(_page(member_client.get("/demandes/"))).startswith(
        "2 résultats – Échanger avec nous"
    )


def test_the_partner_history_title_counts_the_requests(partner_client, technician, organism):
    make_partner_request(technician=technician, organism=organism)
    page = _page(partner_client.get("/partenaires/historique/"))
    assert _title(page).startswith("1 résultat – Historique des demandes")


def test_the_locator_title_counts_the_professionals_once_searched(member_client):
    commune = next(c for c in communes.by_postcode("33000") if c.named("Bordeaux"))
    for name in ("Dr A", "Dr B", "Dr C"):
        Professional.objects.create(
            name=name, specialty=Specialty.DENTIST, postcode="33000", city="Bordeaux",
            insee_code=commune.insee, latitude=commune.latitude, longitude=commune.longitude,
            address="1 rue de la Paix", phone="+33556123456", tiers_payant=True,
        )  # fmt: skip
    url = "/professionnels-de-sante/"
    assert _title(_page(member_client.get(url))).startswith("Localiser")
    found = _page(member_client.get(url, {"specialite": "dentist", "code_postal": "33000"}))
    assert _title(found).startswith("3 résultats – Localiser un professionnel de santé")


# -- Error summary links --------------------------------------------------------------------------
def test_every_summary_link_leads_to_a_control_of_the_page(member_client):
    page = _page(member_client.post(ADD, {"_action": "review"}))
    links = _summary_links(page)
    assert "#" not in links
    # The radio group leads to its first radio, the files to the file input (which the
    # uploader's script stands in for with its "Parcourir…" button).
    assert "#id_civility_0" in links
    assert "#id_documents" in links
    assert re.search(r'<input type="file" name="documents_files" id="id_documents"', page)
    for link in links:
        assert f'id="{link[1:]}"' in page, link


@pytest.mark.parametrize(
    ("slug", "first_radio"),
    [
        ("ajout-beneficiaire", "#id_civility_0"),
        ("option-facultative", "#id_option_0"),
        ("teletransmission", "#id_action_0"),
    ],
)
def test_the_radio_groups_of_the_changes_are_linked_to_their_first_radio(
    member_client, member, slug, first_radio
):
    ContractFactory(member=member)
    OptionalCover.objects.create(code="DENT+", name="Renfort dentaire", monthly_price="12.50")
    page = _page(
        member_client.post(f"/demandes/declarer-un-changement/{slug}/", {"_action": "review"})
    )
    links = _summary_links(page)
    assert "#" not in links
    assert first_radio in links, links
    assert re.search(rf'<input type="radio"[^>]* id="{first_radio[1:]}"', page)


# -- `*` and formats ------------------------------------------------------------------------------
def test_a_form_with_stars_explains_them_at_its_top(member_client):
    page = _page(member_client.get(ADD))
    assert page.index(REQUIRED_NOTE) < page.index('<span class="required"')


def test_a_form_without_required_fields_does_not_explain_a_star(member_client):
    page = _page(member_client.get(reverse("support:faq")))
    assert REQUIRED_NOTE not in page


def test_the_technician_form_uses_the_partner_guide_wording(client, partner_manager, convention):
    _sign_in(client, partner_manager)
    page = _page(client.get(reverse("partners:technician_new")))
    assert "Les champs précédés d'un astérisque* sont obligatoires." in page
    assert REQUIRED_NOTE not in page


def test_the_date_formats_are_in_the_help_text(member_client):
    page = _page(member_client.get(ADD))
    assert _help(page, "id_effective_date").startswith("Au format jj/mm/aaaa, entre le ")
    document = _page(member_client.get("/demandes/envoyer-un-document/"))
    help_text = _help(document, "id_care_date")
    assert "Obligatoire pour une facture." in help_text and DATE_HELP in help_text


def test_the_phone_format_is_in_the_help_text(client, member):
    client.force_login(member.user)
    reauthenticated(client)
    page = _page(client.get(reverse("accounts:profile_phone")))
    assert "Format : 06 12 34 56 78." in _help(page, "id_mobile_phone")


def test_the_partner_phone_and_birth_date_formats_are_in_the_help_text(partner_client):
    page = _page(
        partner_client.get(reverse("partners:new", args=[SERVICES[Service.CASE_STUDY].slug]))
    )
    assert "par exemple 06.00.00.00.00" in _help(page, "id_phone")
    assert "Au format jj/mm/aaaa" in _help(page, "id_birth_date")
