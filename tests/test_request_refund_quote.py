"""Demande de remboursement and Transmettre un devis (guide 003)."""

import re
from html import unescape

import pytest

from documents.models import StoredFile
from documents.rules import MB
from requests_app.models import MemberRequest, RequestKind
from tests.test_access_matrix import _sign_in
from tests.test_request_document import (
    a_pdf,
    a_png,
    field_errors,
    hidden_inputs,
    kept_file_ids,
    lucas,
    page_of,
)

pytestmark = pytest.mark.django_db

REFUND_URL = "/demandes/remboursement/"
QUOTE_URL = "/demandes/devis/"


def post(client, url, action, data, files=()):
    payload = {"_action": action, **data}
    if files:
        payload["files_files"] = list(files)
    return client.post(url, payload)


# -- Demande de remboursement -----------------------------------------------------------------
def test_the_refund_form_lists_the_documents_each_object_asks_for(client, member):
    _sign_in(client, member.user)
    page = page_of(client.get(REFUND_URL))
    assert '<option value="" selected>Choisissez l\'objet de votre remboursement</option>' in page
    for label in (
        "Soins courants",
        "Optique",
        "Dentaire",
        "Audioprothèse",
        "Hospitalisation",
        "Cure thermale",
        "Médecine douce",
        "Autre",
    ):
        assert f">{label}</option>" in page
    assert "La facture détaillée de l'opticien" in page
    assert "La prescription médicale (ordonnance)" in page
    assert "Le bulletin de situation (dates d'entrée et de sortie)" in page
    assert 'data-refund-documents="optical"' in page
    assert "Ajoutez un message si besoin" in page


def test_it_sends_a_refund_request_with_the_documents_of_its_object(
    client, member, django_capture_on_commit_callbacks
):
    _sign_in(client, member.user)
    data = {"topic": "optical", "beneficiary": str(lucas(member).pk), "message": ""}
    summary = post(client, REFUND_URL, "review", data, [a_pdf("facture-opticien.pdf"), a_png()])
    page = page_of(summary)
    assert "Vérifier le résumé" in page
    assert "Optique" in page and "Lucas MARTIN" in page
    # The documents the chosen object asks for, and only those.
    assert "La facture détaillée de l'opticien" in page
    assert "bulletin de situation" not in page
    assert "Transmettre ma demande de remboursement" in page

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(REFUND_URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent["Location"] == f"/demandes/{request.reference}/envoyee/"
    assert request.kind == RequestKind.REFUND
    assert (request.topic, request.topic_label) == ("optical", "Optique")
    assert request.beneficiary == lucas(member)
    assert request.message == ""
    assert sorted(f.original_name for f in request.attachments.all()) == [
        "facture-opticien.pdf",
        "ordonnance.png",
    ]


def test_a_hospital_refund_reminds_the_documents_of_a_hospital_stay(client, member):
    _sign_in(client, member.user)
    data = {"topic": "hospital", "beneficiary": "self", "message": "Séjour de trois jours."}
    page = page_of(post(client, REFUND_URL, "review", data, [a_pdf()]))
    assert "Le bulletin de situation (dates d'entrée et de sortie)" in page
    assert "La facture de l'établissement" in page
    assert "opticien" not in page


def test_back_from_the_refund_summary_keeps_everything(client, member):
    _sign_in(client, member.user)
    data = {"topic": "dental", "beneficiary": "self", "message": "Couronne."}
    summary = post(client, REFUND_URL, "review", data, [a_pdf("dentiste.pdf")])
    back = client.post(REFUND_URL, {**hidden_inputs(summary), "_action": "back"})
    page = page_of(back)
    assert '<option value="dental" selected>' in page
    assert '<option value="self" selected>' in page
    assert "Couronne." in page and "dentiste.pdf" in page
    assert kept_file_ids(back) == kept_file_ids(summary) != []


def test_the_refund_form_asks_for_the_object_and_the_beneficiary_files_are_optional(client, member):
    _sign_in(client, member.user)
    response = post(client, REFUND_URL, "review", {"topic": "", "beneficiary": ""})
    assert "Ce champ est obligatoire." in field_errors(response, "topic")
    assert "Ce champ est obligatoire." in field_errors(response, "beneficiary")
    # "Joignez les éventuels documents annexes demandés" (guide 003).
    assert not field_errors(response, "files")
    assert "Documents annexes (facultatif)" in page_of(response)
    assert not field_errors(response, "message")
    assert MemberRequest.objects.count() == 0


# -- Transmettre un devis -----------------------------------------------------------------------
def test_the_quote_form_offers_the_objects_of_the_guide(client, member):
    _sign_in(client, member.user)
    page = page_of(client.get(QUOTE_URL))
    options = [
        "Choisissez l'objet de votre demande de devis",
        "Optique",
        "Audio",
        "Appareillage",
        "Hospitalisation",
        "Dentaire",
    ]
    select = re.search(r'<select name="topic".*?</select>', page, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", select) == options
    assert "4 fichiers maximum, 3 Mo par fichier, en format JPEG, JPG, PNG, PDF." in page
    assert "Écrivez votre message" in page


def test_it_sends_a_quote(client, member, django_capture_on_commit_callbacks):
    _sign_in(client, member.user)
    data = {"topic": "hearing", "beneficiary": str(lucas(member).pk), "message": "Deux devis."}
    summary = post(client, QUOTE_URL, "review", data, [a_pdf("devis-1.pdf"), a_pdf("devis-2.pdf")])
    page = page_of(summary)
    assert "Audio" in page and "Lucas MARTIN" in page and "devis-2.pdf" in page
    assert "Transmettre ma demande de devis" in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(QUOTE_URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent["Location"] == f"/demandes/{request.reference}/envoyee/"
    assert request.kind == RequestKind.QUOTE
    assert (request.topic, request.topic_label) == ("hearing", "Audio")
    assert request.message == "Deux devis."
    assert request.attachments.count() == 2


def test_back_from_the_quote_summary_keeps_everything(client, member):
    _sign_in(client, member.user)
    data = {"topic": "equipment", "beneficiary": "self", "message": "Fauteuil."}
    summary = post(client, QUOTE_URL, "review", data, [a_pdf("devis.pdf")])
    page = page_of(client.post(QUOTE_URL, {**hidden_inputs(summary), "_action": "back"}))
    assert '<option value="equipment" selected>' in page
    assert "Fauteuil." in page and "devis.pdf" in page


def test_the_quote_form_asks_for_the_object_and_the_quotes(client, member):
    _sign_in(client, member.user)
    response = post(client, QUOTE_URL, "review", {"topic": "", "beneficiary": "self"})
    assert "Ce champ est obligatoire." in field_errors(response, "topic")
    assert "Joignez au moins un fichier." in field_errors(response, "files")


def test_it_refuses_a_fifth_quote(client, member):
    _sign_in(client, member.user)
    data = {"topic": "dental", "beneficiary": "self"}
    files = [a_pdf(f"devis-{i}.pdf") for i in range(1, 6)]
    response = post(client, QUOTE_URL, "review", data, files)
    assert (
        "Le fichier « devis-5.pdf » n'a pas été joint : vous pouvez joindre au maximum "
        "4 fichiers." in unescape(field_errors(response, "files"))
    )
    assert len(kept_file_ids(response)) == 4
    assert MemberRequest.objects.count() == 0


def test_it_refuses_a_quote_of_3_mb_and_one_byte(client, member):
    _sign_in(client, member.user)
    data = {"topic": "dental", "beneficiary": "self"}
    response = post(client, QUOTE_URL, "review", data, [a_pdf("devis.pdf", 3 * MB + 1)])
    assert "Le fichier « devis.pdf » dépasse la taille maximale de 3 Mo." in unescape(
        field_errors(response, "files")
    )
    assert StoredFile.objects.count() == 0


def test_a_refund_request_without_documents_is_sent(client, member):
    _sign_in(client, member.user)
    data = {"topic": "routine", "beneficiary": "self", "message": "Consultation du 2 mars."}
    summary = post(client, REFUND_URL, "review", data)
    assert summary.status_code == 200 and not field_errors(summary, "files")
    sent = client.post(REFUND_URL, {**hidden_inputs(summary), "_action": "confirm"})
    assert sent.status_code == 302
    assert MemberRequest.objects.get().attachments.count() == 0


def test_mes_remboursements_leads_to_the_refund_request(client, member):
    _sign_in(client, member.user)
    page = page_of(client.get("/remboursements/"))
    tabs = page[page.index('<nav class="tabs"') :]
    assert '<a href="/demandes/remboursement/">Demande de remboursement</a>' in tabs[:1200]
    refund = page_of(client.get(REFUND_URL))
    nav = refund[refund.index('<nav class="member-nav"') :]
    assert '<a href="/remboursements/" aria-current="page">Mes remboursements' in nav
