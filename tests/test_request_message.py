"""Écrire un message (guide 003, messagerie sécurisée)."""

import re

import pytest

from requests_app.models import MemberRequest, RequestKind
from tests.test_access_matrix import _sign_in
from tests.test_request_document import (
    a_pdf,
    field_errors,
    hidden_inputs,
    kept_file_ids,
    lucas,
    page_of,
)

pytestmark = pytest.mark.django_db

URL = "/messagerie/ecrire/"


def a_message(member, **changes):
    data = {
        "beneficiary": str(lucas(member).pk),
        "topic": "card",
        "subject": "card-beneficiary",
        "message": "Pouvez-vous ajouter Lucas sur ma carte de tiers payant ?",
    }
    return {**data, **changes}


def post(client, action, data, files=()):
    payload = {"_action": action, **data}
    if files:
        payload["files_files"] = list(files)
    return client.post(URL, payload)


def test_the_form_follows_the_guide(client, member):
    _sign_in(client, member.user)
    page = page_of(client.get(URL))
    assert "Écrire un message" in page
    assert '<option value="" selected>Sélectionnez le bénéficiaire concerné</option>' in page
    for category in (
        "Remboursements",
        "Contrat et garanties",
        "Carte de tiers payant",
        "Cotisations",
        "Informations personnelles",
        "Autre",
    ):
        assert f">{category}</option>" in page
    # The object too is chosen from a list ("grâce aux listes déroulantes"), grouped by category.
    assert re.search(r'<select name="subject"[^>]*id="id_subject"', page)
    assert '<option value="" selected>Sélectionnez l\'objet du message</option>' in page
    assert '<optgroup label="Carte de tiers payant">' in page
    assert '<option value="card-lost">Carte perdue ou volée</option>' in page
    assert 'src="/static/js/message_objects.js"' in page


def test_it_sends_a_message_without_a_file(client, member, django_capture_on_commit_callbacks):
    _sign_in(client, member.user)
    summary = post(client, "review", a_message(member))
    page = page_of(summary)
    assert "Vérifier le résumé" in page
    assert "Carte de tiers payant" in page and "Ajout d'un bénéficiaire sur la carte" in page
    assert "Envoyer le message" in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent["Location"] == f"/demandes/{request.reference}/envoyee/"
    assert request.kind == RequestKind.MESSAGE
    assert (request.topic, request.topic_label) == ("card", "Carte de tiers payant")
    assert request.subject == "Ajout d'un bénéficiaire sur la carte"
    assert request.message == "Pouvez-vous ajouter Lucas sur ma carte de tiers payant ?"
    assert request.beneficiary == lucas(member)
    assert request.attachments.count() == 0


def test_it_sends_a_message_with_a_document(client, member):
    _sign_in(client, member.user)
    summary = post(client, "review", a_message(member), [a_pdf("livret-de-famille.pdf")])
    assert "livret-de-famille.pdf" in page_of(summary)
    client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert [f.original_name for f in request.attachments.all()] == ["livret-de-famille.pdf"]


def test_back_from_the_summary_keeps_what_was_typed_and_the_files(client, member):
    _sign_in(client, member.user)
    summary = post(client, "review", a_message(member), [a_pdf("rib.pdf")])
    back = client.post(URL, {**hidden_inputs(summary), "_action": "back"})
    page = page_of(back)
    assert '<option value="card" selected>' in page
    assert '<option value="card-beneficiary" selected>' in page
    assert "Pouvez-vous ajouter Lucas" in page
    assert "rib.pdf" in page
    assert kept_file_ids(back) == kept_file_ids(summary) != []


def test_the_subject_and_the_text_are_required(client, member):
    _sign_in(client, member.user)
    response = post(client, "review", a_message(member, subject="", message=""))
    assert "Ce champ est obligatoire." in field_errors(response, "subject")
    assert "Ce champ est obligatoire." in field_errors(response, "message")
    assert not field_errors(response, "files")
    assert MemberRequest.objects.count() == 0


def test_the_beneficiary_and_the_category_are_required(client, member):
    _sign_in(client, member.user)
    response = post(client, "review", a_message(member, beneficiary="", topic=""))
    assert "Ce champ est obligatoire." in field_errors(response, "beneficiary")
    assert "Ce champ est obligatoire." in field_errors(response, "topic")


def test_a_file_sent_with_a_message_left_empty_is_kept(client, member):
    _sign_in(client, member.user)
    response = post(client, "review", a_message(member, message=""), [a_pdf("rib.pdf")])
    ids = kept_file_ids(response)
    assert len(ids) == 1 and "rib.pdf" in page_of(response)
    client.post(URL, {**a_message(member), "files": ids, "_action": "confirm"})
    assert [str(f.pk) for f in MemberRequest.objects.get().attachments.all()] == ids


def test_an_object_of_another_category_is_refused_next_to_the_field(client, member):
    _sign_in(client, member.user)
    response = post(client, "review", a_message(member, subject="reimbursement-missing"))
    assert "Choisissez un objet de la catégorie « Carte de tiers payant »." in field_errors(
        response, "subject"
    )
    assert "Pouvez-vous ajouter Lucas" in page_of(response)
    assert MemberRequest.objects.count() == 0


def test_an_object_typed_by_hand_is_refused(client, member):
    _sign_in(client, member.user)
    response = post(client, "review", a_message(member, subject="Carte de Lucas"))
    assert field_errors(response, "subject")
    assert MemberRequest.objects.count() == 0
