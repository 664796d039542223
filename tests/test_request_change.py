"""Déclarer un changement: choose the change, its own steps and documents, the summary, sent.

Members with a collective contract are sent to their employer (guide 002).
"""

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import StoredFile
from requests_app.forms.change import EffectiveDateField, months_from
from requests_app.models import MemberRequest, RequestKind
from tests.factories import BeneficiaryFactory
from tests.test_access_matrix import _sign_in
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

CHOICE_URL = "/demandes/declarer-un-changement/"
COLLECTIVE_WARNING = (
    "Attention pour nos adhérents ayant souscrit à un contrat collectif ! Merci de bien vouloir "
    "solliciter votre employeur pour toutes modifications de coordonnées et de contrat."
)
GOOD_IBAN = "FR7630006000011234567890189"
GOOD_IBAN_GROUPED = "FR76 3000 6000 0112 3456 7890 189"
BAD_IBAN = "FR75 3000 6000 0112 3456 7890 189"  # wrong check digits


def _url(slug):
    return f"{CHOICE_URL}{slug}/"


def _day(delta_days=0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta_days)).strftime("%d/%m/%Y")


def _pdf(name="justificatif.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _png(name="photo.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def _text(response) -> str:
    return unescape(response.content.decode())


def _hidden(page: str) -> dict[str, list[str]]:
    """The hidden fields of the summary page, as a browser would post them back."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(unescape(value))
    return data


def _error(page: str, field: str) -> str:
    match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert match, f"no error next to {field}"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


# Each change: its slug, what a member types, the name of its files field, and what the
# summary and the stored request must show.
CHANGES = {
    "adresse": {
        "label": "Changement d'adresse",
        "data": {
            "address_line1": "1 quai des Chartrons",
            "address_line2": "Bâtiment B",
            "postcode": "33300",
            "city": "Bordeaux",
            "effective_date": _day(-10),
        },
        "files": "proof",
        "shown": ["1 quai des Chartrons", "Bâtiment B", "33300", "Bordeaux", _day(-10)],
    },
    "coordonnees-bancaires": {
        "label": "Changement de coordonnées bancaires (RIB)",
        "data": {
            "account_holder": "Marie MARTIN",
            "iban": "fr76 3000 6000 0112 3456 7890 189",
            "bic": "bnpafrpp",
            "effective_date": _day(0),
        },
        "files": "rib",
        "shown": ["Marie MARTIN", GOOD_IBAN_GROUPED, "BNPAFRPP", _day(0)],
    },
    "ajout-beneficiaire": {
        "label": "Ajout d'un bénéficiaire",
        "data": {
            "civility": "MME",
            "last_name": "MARTIN",
            "first_name": "Léa",
            "birth_date": _day(-30),
            "relationship": "child",
            "nir": "295109912611193",
            "effective_date": _day(-5),
        },
        "files": "documents",
        "shown": ["Madame", "Léa", "Enfant", _day(-30), "2 95 10 99 126 111 93"],
    },
    "retrait-beneficiaire": {
        "label": "Retrait d'un bénéficiaire",
        "data": {"reason": "other_contract", "effective_date": _day(20)},
        "files": "documents",
        "shown": ["Lucas MARTIN", "Couverture par un autre contrat", _day(20)],
    },
    "situation-familiale": {
        "label": "Changement de situation familiale",
        "data": {"situation": "civil_union", "effective_date": _day(-60)},
        "files": "documents",
        "shown": ["Pacsé(e)", _day(-60)],
    },
    "nom": {
        "label": "Changement de nom (mariage, divorce…)",
        "data": {
            "beneficiary": "self",
            "new_last_name": "DURAND",
            "reason": "marriage",
            "effective_date": _day(-3),
        },
        "files": "documents",
        "shown": ["Marie MARTIN", "DURAND", "Mariage", _day(-3)],
    },
    "caisse-assurance-maladie": {
        "label": "Changement de caisse d'assurance maladie (régime obligatoire)",
        "data": {
            "beneficiary": "self",
            "fund_name": "CPAM de la Gironde",
            "fund_code": "01 331 0000",
            "effective_date": _day(30),
        },
        "files": "attestation",
        "shown": ["CPAM de la Gironde", "013310000", _day(30)],
    },
}


def _change_data(member, slug):
    data = dict(CHANGES[slug]["data"])
    if slug == "retrait-beneficiaire":
        data["beneficiary"] = member.beneficiaries.get(first_name="Lucas").pk
    return data


# -- Step 1: the list of changes ------------------------------------------------------------
def test_the_choice_page_lists_every_change_in_a_drop_down_list(client, member):
    _sign_in(client, member.user)
    page = _text(client.get(CHOICE_URL))
    assert '<select name="change"' in page
    for slug, change in CHANGES.items():
        assert f'<option value="{slug}">{change["label"]}</option>' in page
    # Email and phone are changed in the profile, with a code.
    assert 'href="/compte/mes-informations/"' in page


def test_choosing_a_change_without_javascript_leads_to_its_steps(client, member):
    _sign_in(client, member.user)
    response = client.get(CHOICE_URL, {"change": "coordonnees-bancaires"})
    assert response.status_code == 302
    assert response["Location"] == _url("coordonnees-bancaires")


def test_the_choice_page_asks_to_pick_a_change(client, member):
    _sign_in(client, member.user)
    page = _text(client.get(CHOICE_URL, {"change": ""}))
    assert _error(page, "change") == "Sélectionnez le changement à déclarer dans la liste."


def test_an_unknown_change_is_not_found(client, member):
    _sign_in(client, member.user)
    assert client.get(_url("changement-de-sexe")).status_code == 404
    assert client.post(_url("changement-de-sexe"), {"_action": "confirm"}).status_code == 404
    assert MemberRequest.objects.count() == 0


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(_url("adresse"))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


# -- Step 2: each change, its summary, sent --------------------------------------------------
@pytest.mark.parametrize("slug", list(CHANGES))
def test_each_change_shows_its_summary_then_is_sent_with_its_documents(client, member, slug):
    change = CHANGES[slug]
    _sign_in(client, member.user)
    form_page = _text(client.get(_url(slug)))
    assert change["label"] in form_page

    data = _change_data(member, slug)
    summary = client.post(
        _url(slug),
        {"_action": "review", **data, f"{change['files']}_files": [_pdf(), _png()]},
    )
    page = _text(summary)
    assert "Vérifier le résumé" in page, page
    assert "Valider la demande" in page
    assert "Retour" in page
    for value in change["shown"]:
        assert value in page, value
    assert "justificatif.pdf" in page and "photo.png" in page
    assert MemberRequest.objects.count() == 0

    hidden = _hidden(page)
    assert len(hidden[change["files"]]) == 2
    sent = client.post(_url(slug), {**hidden, "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/demandes/{request.reference}/envoyee/"
    assert request.member == member
    assert request.kind == RequestKind.CHANGE
    assert request.topic == slug
    assert request.topic_label == change["label"]
    assert sorted(f.original_name for f in request.attachments.all()) == [
        "justificatif.pdf",
        "photo.png",
    ]
    stored_values = [item["value"] for item in request.details]
    for value in change["shown"]:
        assert any(value in stored for stored in stored_values), value


def test_the_bank_details_are_stored_with_the_iban_grouped_by_four(client, member):
    _sign_in(client, member.user)
    data = {**_change_data(member, "coordonnees-bancaires"), "rib_files": _pdf("rib.pdf")}
    page = _text(client.post(_url("coordonnees-bancaires"), {"_action": "review", **data}))
    client.post(_url("coordonnees-bancaires"), {**_hidden(page), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert {"label": "IBAN", "value": GOOD_IBAN_GROUPED} in request.details
    assert {"label": "BIC", "value": "BNPAFRPP"} in request.details
    assert request.attachments.get().original_name == "rib.pdf"


def test_a_bad_iban_is_refused_next_to_the_field_and_nothing_typed_is_lost(client, member):
    _sign_in(client, member.user)
    data = {
        "account_holder": "Marie MARTIN",
        "iban": BAD_IBAN,
        "bic": "BNPAFRPP",
        "effective_date": _day(0),
        "message": "Nouveau compte joint.",
    }
    response = client.post(
        _url("coordonnees-bancaires"), {"_action": "review", **data, "rib_files": _pdf("rib.pdf")}
    )
    page = _text(response)
    assert response.status_code == 200
    assert _error(page, "iban").startswith("Cet IBAN n'est pas valide : vérifiez-le.")
    assert f'value="{BAD_IBAN}"' in page
    assert 'value="Marie MARTIN"' in page
    assert 'value="BNPAFRPP"' in page
    assert f'value="{_day(0)}"' in page
    assert "Nouveau compte joint." in page
    # The RIB is kept: its id is in the form, nobody uploads it twice.
    assert "rib.pdf" in page
    kept = re.findall(r'<input type="hidden" name="rib" value="([^"]+)">', page)
    assert len(kept) == 1

    fixed = client.post(
        _url("coordonnees-bancaires"),
        {"_action": "review", **data, "iban": GOOD_IBAN, "rib": kept},
    )
    assert GOOD_IBAN_GROUPED in _text(fixed)
    assert "rib.pdf" in _text(fixed)
    assert MemberRequest.objects.count() == 0


def test_the_rib_is_required(client, member):
    _sign_in(client, member.user)
    data = {**_change_data(member, "coordonnees-bancaires"), "_action": "confirm"}
    page = _text(client.post(_url("coordonnees-bancaires"), data))
    assert _error(page, "rib") == "Joignez le relevé d'identité bancaire (RIB) du compte."
    assert MemberRequest.objects.count() == 0


def test_a_bad_bic_is_refused(client, member):
    _sign_in(client, member.user)
    data = {**_change_data(member, "coordonnees-bancaires"), "bic": "BNP"}
    page = _text(client.post(_url("coordonnees-bancaires"), {"_action": "review", **data}))
    assert _error(page, "bic").startswith("Ce BIC n'est pas valide")


def test_a_french_postcode_has_five_digits(client, member):
    _sign_in(client, member.user)
    data = {**_change_data(member, "adresse"), "postcode": "3300"}
    page = _text(client.post(_url("adresse"), {"_action": "review", **data}))
    assert (
        _error(page, "postcode") == "Le code postal doit comporter 5 chiffres, par exemple 33000."
    )


def test_the_proof_of_address_is_optional(client, member):
    _sign_in(client, member.user)
    page = _text(client.post(_url("adresse"), {"_action": "review", **CHANGES["adresse"]["data"]}))
    client.post(_url("adresse"), {**_hidden(page), "_action": "confirm"})
    assert MemberRequest.objects.get().attachments.count() == 0


# -- Dates ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("effective", "accepted"),
    [
        (lambda today: months_from(today, -12), True),
        (lambda today: months_from(today, -12) - datetime.timedelta(days=1), False),
        (lambda today: months_from(today, 3), True),
        (lambda today: months_from(today, 3) + datetime.timedelta(days=1), False),
    ],
    ids=["a-year-ago", "a-year-and-a-day-ago", "in-three-months", "three-months-and-a-day"],
)
def test_the_change_takes_effect_within_a_year_before_and_three_months_after_today(
    client, member, effective, accepted
):
    _sign_in(client, member.user)
    day = effective(timezone.localdate()).strftime("%d/%m/%Y")
    data = {**CHANGES["situation-familiale"]["data"], "effective_date": day}
    page = _text(client.post(_url("situation-familiale"), {"_action": "review", **data}))
    if accepted:
        assert 'id="id_effective_date_error"' not in page
    else:
        assert "La date ne peut pas être" in _error(page, "effective_date")
        assert f'value="{day}"' in page


def test_a_date_that_does_not_exist_is_refused_clearly(client, member):
    _sign_in(client, member.user)
    data = {**CHANGES["situation-familiale"]["data"], "effective_date": "31/02/2026"}
    page = _text(client.post(_url("situation-familiale"), {"_action": "review", **data}))
    assert _error(page, "effective_date") == "Saisissez une date valide au format jj/mm/aaaa."


def test_the_form_tells_the_date_limits_before_anything_is_typed(client, member):
    _sign_in(client, member.user)
    first, last = EffectiveDateField.bounds()
    page = _text(client.get(_url("adresse")))
    assert f"Au format jj/mm/aaaa, entre le {first:%d/%m/%Y} et le {last:%d/%m/%Y}." in page


def test_the_date_limits_follow_the_calendar():
    assert months_from(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert months_from(datetime.date(2024, 2, 29), -12) == datetime.date(2023, 2, 28)
    assert months_from(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert EffectiveDateField.bounds(datetime.date(2026, 5, 15)) == (
        datetime.date(2025, 5, 15),
        datetime.date(2026, 8, 15),
    )


# -- Beneficiaries --------------------------------------------------------------------------
def test_a_new_beneficiary_cannot_be_born_in_the_future(client, member):
    _sign_in(client, member.user)
    data = {**CHANGES["ajout-beneficiaire"]["data"], "birth_date": _day(1)}
    page = _text(client.post(_url("ajout-beneficiaire"), {"_action": "review", **data}))
    assert _error(page, "birth_date") == "La date de naissance ne peut pas être dans le futur."


def test_a_wrong_social_security_number_is_refused(client, member):
    _sign_in(client, member.user)
    data = {**CHANGES["ajout-beneficiaire"]["data"], "nir": "2 95 10 99 126 111 94"}
    page = _text(client.post(_url("ajout-beneficiaire"), {"_action": "review", **data}))
    assert _error(page, "nir").startswith("Ce numéro de sécurité sociale n'est pas valide")
    assert 'value="2 95 10 99 126 111 94"' in page


def test_adding_a_beneficiary_needs_a_supporting_document(client, member):
    _sign_in(client, member.user)
    data = {**CHANGES["ajout-beneficiaire"]["data"], "_action": "confirm"}
    page = _text(client.post(_url("ajout-beneficiaire"), data))
    assert _error(page, "documents") == "Joignez un justificatif (livret de famille, attestation…)."
    assert MemberRequest.objects.count() == 0


def test_only_the_members_own_beneficiaries_can_be_removed(client, member):
    _sign_in(client, member.user)
    page = _text(client.get(_url("retrait-beneficiaire")))
    assert "Lucas MARTIN (Enfant)" in page
    assert "Paul MARTIN (Conjoint)" in page


def test_removing_a_beneficiary_of_another_member_is_refused(client, member, other_member):
    stranger = BeneficiaryFactory(member=other_member, first_name="Zoé")
    _sign_in(client, member.user)
    data = {
        **CHANGES["retrait-beneficiaire"]["data"],
        "beneficiary": stranger.pk,
        "_action": "confirm",
    }
    response = client.post(_url("retrait-beneficiaire"), data)
    page = _text(response)
    assert response.status_code == 200
    assert _error(page, "beneficiary") == (
        "Cette personne ne figure pas parmi les bénéficiaires de votre contrat."
    )
    assert "Zoé" not in page
    assert MemberRequest.objects.count() == 0


def test_the_removal_request_names_the_beneficiary_concerned(client, member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    _sign_in(client, member.user)
    data = {**_change_data(member, "retrait-beneficiaire"), "_action": "confirm"}
    client.post(_url("retrait-beneficiaire"), data)
    assert MemberRequest.objects.get().beneficiary == lucas


def test_an_other_reason_for_removal_must_be_explained(client, member):
    _sign_in(client, member.user)
    data = {**_change_data(member, "retrait-beneficiaire"), "reason": "other"}
    page = _text(client.post(_url("retrait-beneficiaire"), {"_action": "review", **data}))
    assert _error(page, "message") == "Précisez le motif du retrait."


def test_a_member_without_beneficiaries_is_told_there_is_nobody_to_remove(client, other_member):
    _sign_in(client, other_member.user)
    for response in (
        client.get(_url("retrait-beneficiaire")),
        client.post(_url("retrait-beneficiaire"), {"_action": "confirm", "reason": "death"}),
    ):
        page = _text(response)
        assert response.status_code == 200
        assert "il n'y a personne à retirer" in page
        assert 'name="_action"' not in page
    assert MemberRequest.objects.count() == 0


def test_a_name_change_of_a_beneficiary_is_recorded_for_them(client, member):
    paul = member.beneficiaries.get(first_name="Paul")
    _sign_in(client, member.user)
    data = {**CHANGES["nom"]["data"], "beneficiary": paul.pk, "documents_files": _pdf()}
    page = _text(client.post(_url("nom"), {"_action": "review", **data}))
    client.post(_url("nom"), {**_hidden(page), "_action": "confirm"})
    assert MemberRequest.objects.get().beneficiary == paul


def test_the_health_fund_code_has_nine_digits(client, member):
    _sign_in(client, member.user)
    data = {**CHANGES["caisse-assurance-maladie"]["data"], "fund_code": "331"}
    page = _text(client.post(_url("caisse-assurance-maladie"), {"_action": "review", **data}))
    assert _error(page, "fund_code").startswith("Le code de la caisse comporte 9 chiffres")


# -- Retour ---------------------------------------------------------------------------------
def test_back_from_the_summary_keeps_every_value_and_file(client, member):
    _sign_in(client, member.user)
    data = {**_change_data(member, "ajout-beneficiaire"), "message": "Naissance de Léa."}
    summary = _text(
        client.post(
            _url("ajout-beneficiaire"),
            {"_action": "review", **data, "documents_files": _pdf("livret.pdf")},
        )
    )
    back = client.post(_url("ajout-beneficiaire"), {**_hidden(summary), "_action": "back"})
    page = _text(back)
    assert 'value="Léa"' in page
    assert f'value="{data["birth_date"]}"' in page
    assert '<option value="child" selected>' in page
    assert re.search(r'value="MME"[^>]*checked', page)
    assert 'value="295109912611193"' in page
    assert "Naissance de Léa." in page
    assert "livret.pdf" in page
    assert 'class="errors"' not in page
    assert MemberRequest.objects.count() == 0


# -- Collective contracts (guide 002) -------------------------------------------------------
@pytest.fixture
def collective_member(member):
    member.collective_contract = True
    member.save(update_fields=["collective_contract"])
    return member


def test_a_member_with_a_collective_contract_is_sent_to_their_employer(client, collective_member):
    _sign_in(client, collective_member.user)
    for url in (CHOICE_URL, _url("adresse"), _url("coordonnees-bancaires")):
        response = client.get(url)
        page = _text(response)
        assert response.status_code == 200
        assert COLLECTIVE_WARNING in page
        assert 'href="/demandes/poser-une-question/"' in page
        assert 'name="change"' not in page
        assert 'name="_action"' not in page


def test_a_member_with_a_collective_contract_cannot_send_a_change(client, collective_member):
    _sign_in(client, collective_member.user)
    choice = client.get(CHOICE_URL, {"change": "adresse"})
    assert choice.status_code == 200
    assert COLLECTIVE_WARNING in _text(choice)

    data = {**CHANGES["adresse"]["data"], "_action": "confirm", "proof_files": _pdf()}
    response = client.post(_url("adresse"), data)
    assert response.status_code == 200
    assert COLLECTIVE_WARNING in _text(response)
    assert MemberRequest.objects.count() == 0
    assert StoredFile.objects.count() == 0


# -- Issue 16, point 17 --------------------------------------------------------------------------
def test_choosing_another_change_keeps_what_was_typed_for_a_return(client, member):
    _sign_in(client, member.user)
    page = _text(client.get(_url("adresse")))
    assert 'form="request-form" name="_action" value="choose"' in page
    typed = {"address_line1": "1 quai des Chartrons", "postcode": "33300", "city": "Bord"}
    response = client.post(_url("adresse"), {**typed, "_action": "choose"})
    assert response.status_code == 302 and response["Location"] == CHOICE_URL
    # Back to the address change: as it was left, without error messages.
    page = _text(client.get(_url("adresse")))
    assert 'value="1 quai des Chartrons"' in page and 'value="Bord"' in page
    assert 'class="errors"' not in page.split("<main", 1)[1].split("</main>", 1)[0]
    # Once shown again, the draft is gone: a new visit starts empty.
    assert 'value="1 quai des Chartrons"' not in _text(client.get(_url("adresse")))
    assert MemberRequest.objects.count() == 0


def test_the_detail_names_the_form_once_and_the_type_of_request_once(client, member):
    from requests_app.services import member_request_submit

    _sign_in(client, member.user)
    sent = member_request_submit(
        member=member, kind=RequestKind.DOCUMENT, by=member.user, topic="invoice",
        topic_label="Facture", details=[{"label": "Type de demande", "value": "Facture"}],
    )  # fmt: skip
    page = _text(client.get(f"/demandes/{sent.reference}/"))
    assert page.count("<dt>Type de demande</dt>") == 1
    assert "<dt>Démarche</dt><dd>Envoyer un document" in page
