"""Médecine douce: "un formulaire à part", with its own practitioner, sessions and invoice."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from requests_app.models import MemberRequest, RequestKind
from tests.test_access_matrix import _sign_in
from tests.test_request_document import (
    WARNING,
    a_pdf,
    a_png,
    field_errors,
    hidden_inputs,
    kept_file_ids,
    lucas,
    page_of,
)

pytestmark = pytest.mark.django_db

URL = "/demandes/medecine-douce/"


def sessions(member, **changes):
    data = {
        "topic": "osteopath",
        "practitioner_name": "Claire DUBOIS",
        "practitioner_city": "Bordeaux",
        "beneficiary": str(lucas(member).pk),
        "sessions": "3",
        "last_session_date": "2026-02-10",
        "amount": "135,50",
        "message": "Trois séances pour un mal de dos.",
    }
    return {**data, **changes}


def review(client, data, files=()):
    payload = {"_action": "review", **data}
    if files:
        payload["files_files"] = list(files)
    return client.post(URL, payload)


def test_the_form_lists_the_practitioners_and_links_back_to_the_other_care(client, member):
    _sign_in(client, member.user)
    page = page_of(client.get(URL))
    assert "Le formulaire de médecine douce est un formulaire à part." in page
    assert 'href="/demandes/envoyer-un-document/"' in page
    for practitioner in (
        "Ostéopathe",
        "Chiropracteur",
        "Acupuncteur",
        "Étiopathe",
        "Pédicure-podologue",
        "Psychologue",
        "Diététicien",
        "Sophrologue",
        "Naturopathe",
    ):
        assert f">{practitioner}</option>" in page
    assert '<option value="" selected>' in page
    assert WARNING in page


def test_it_shows_the_summary_then_sends_the_sessions(
    client, member, django_capture_on_commit_callbacks
):
    _sign_in(client, member.user)
    summary = review(client, sessions(member), [a_pdf("note-honoraires.pdf")])
    page = page_of(summary)
    assert "Vérifier le résumé" in page
    for shown in ("Ostéopathe", "Claire DUBOIS", "Bordeaux", "Lucas MARTIN", "10/02/2026"):
        assert shown in page
    assert "135,50 €" in page
    assert "note-honoraires.pdf" in page

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent["Location"] == f"/demandes/{request.reference}/envoyee/"
    assert request.kind == RequestKind.SOFT_MEDICINE
    assert (request.topic, request.topic_label) == ("osteopath", "Ostéopathe")
    assert request.beneficiary == lucas(member)
    assert request.amount == Decimal("135.50")
    assert {"label": "Nombre de séances", "value": "3"} in request.details
    assert {"label": "Nom du praticien", "value": "Claire DUBOIS"} in request.details
    assert [f.original_name for f in request.attachments.all()] == ["note-honoraires.pdf"]


def test_back_from_the_summary_keeps_what_was_typed_and_the_files(client, member):
    _sign_in(client, member.user)
    summary = review(client, sessions(member, topic="psychologist"), [a_png("note.png")])
    back = client.post(URL, {**hidden_inputs(summary), "_action": "back"})
    page = page_of(back)
    assert '<option value="psychologist" selected>' in page
    assert 'value="Claire DUBOIS"' in page
    assert 'value="135,50"' in page
    assert 'value="2026-02-10"' in page
    assert "note.png" in page
    assert kept_file_ids(back) == kept_file_ids(summary)
    assert 'class="errors"' not in page


def test_it_asks_for_every_required_field_next_to_it(client, member):
    _sign_in(client, member.user)
    response = review(client, {})
    for name in (
        "topic",
        "practitioner_name",
        "practitioner_city",
        "beneficiary",
        "sessions",
        "last_session_date",
        "amount",
    ):
        assert "Ce champ est obligatoire." in field_errors(response, name), name
    assert "Joignez au moins un fichier." in field_errors(response, "files")
    assert not field_errors(response, "message")
    assert MemberRequest.objects.count() == 0


@pytest.mark.parametrize("count", ["0", "21", "-1"])
def test_it_takes_between_1_and_20_sessions(client, member, count):
    _sign_in(client, member.user)
    response = review(client, sessions(member, sessions=count), [a_pdf()])
    assert "Indiquez un nombre de séances entre 1 et 20." in field_errors(response, "sessions")


def test_it_refuses_an_invoice_above_150_euros_and_accepts_150(client, member):
    _sign_in(client, member.user)
    response = review(client, sessions(member, amount="151"), [a_pdf()])
    assert WARNING in field_errors(response, "amount")
    ids = kept_file_ids(response)
    assert len(ids) == 1

    summary = client.post(URL, {**sessions(member, amount="150,00"), "files": ids})
    assert "Vérifier le résumé" in page_of(summary)
    client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    assert MemberRequest.objects.get().amount == Decimal("150")


def test_it_refuses_a_last_session_in_the_future(client, member):
    _sign_in(client, member.user)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = review(client, sessions(member, last_session_date=tomorrow), [a_pdf()])
    assert "La date de la dernière séance ne peut pas être dans le futur." in field_errors(
        response, "last_session_date"
    )
