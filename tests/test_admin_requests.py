"""The managers' queue of member requests in the admin (/gestion/): list, take, resolve."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from documents.models import StoredFile
from documents.rules import SEND_DOCUMENT
from documents.services import stored_file_create
from requests_app.models import (
    MemberRequest,
    RequestAnswer,
    RequestKind,
    RequestStatus,
    RequestStatusChange,
)
from requests_app.services import member_request_resolve, member_request_submit, member_request_take
from tests.factories import UserFactory
from tests.test_access_matrix import _sign_in
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

QUEUE = "/gestion/requests_app/memberrequest/"


def _change_url(request):
    return f"{QUEUE}{request.pk}/change/"


def _take_url(request):
    return f"{QUEUE}{request.pk}/prendre-en-charge/"


def _resolve_url(request):
    return f"{QUEUE}{request.pk}/resoudre/"


def _upload(user, name, content, rules=SEND_DOCUMENT):
    return stored_file_create(uploaded=SimpleUploadedFile(name, content), rules=rules, by=user)


def _submit(member, *, kind=RequestKind.QUESTION, days_ago=0, **fields):
    request = member_request_submit(member=member, kind=kind, by=member.user, **fields)
    if days_ago:
        sent = timezone.now() - timedelta(days=days_ago)
        MemberRequest.objects.filter(pk=request.pk).update(created_at=sent)
        request.refresh_from_db()
    return request


def _listed(client, query=""):
    response = client.get(f"{QUEUE}{query}")
    assert response.status_code == 200
    return [request.reference for request in response.context["cl"].result_list]


def _page(response) -> str:
    return unescape(response.content.decode())


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def manager_client(client, insurer_manager):
    _sign_in(client, insurer_manager)
    return client


# -- The queue -------------------------------------------------------------------------------
def test_the_queue_shows_open_requests_oldest_first_and_resolved_ones_last(
    manager_client, member, other_member, insurer_manager
):
    recent = _submit(member, days_ago=1)
    oldest = _submit(other_member, days_ago=9)
    resolved = _submit(member, days_ago=20)
    member_request_resolve(request=resolved, by=insurer_manager, text="Voici la réponse.")
    middle = _submit(member, days_ago=4)

    assert _listed(manager_client) == [
        oldest.reference,
        middle.reference,
        recent.reference,
        resolved.reference,
    ]


def test_each_row_shows_who_sent_what_and_how_long_it_has_waited(
    manager_client, member, insurer_manager
):
    lucas = member.beneficiaries.get(first_name="Lucas")
    request = _submit(member, kind=RequestKind.DOCUMENT, beneficiary=lucas, days_ago=3)
    member_request_take(request=request, by=insurer_manager)
    insurer_manager.first_name, insurer_manager.last_name = "Claire", "GESTION"
    insurer_manager.save()

    page = _page(manager_client.get(QUEUE))

    assert request.reference in page
    assert "Envoyer un document" in page
    assert "Pris en charge" in page
    assert f"{member.member_number} · Marie MARTIN" in page
    assert lucas.full_name in page
    assert "Claire GESTION" in page
    assert "3 j" in page


def test_the_queue_reads_each_page_in_a_fixed_number_of_queries(
    manager_client, member, other_member, insurer_manager, django_assert_max_num_queries
):
    for owner in (member, other_member, member, other_member):
        taken = _submit(owner, beneficiary=owner.beneficiaries.first())
        member_request_take(request=taken, by=insurer_manager)
    with django_assert_max_num_queries(20) as few:
        manager_client.get(QUEUE)
    for owner in (member, other_member) * 4:
        _submit(owner, beneficiary=owner.beneficiaries.first())
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(QUEUE)


def test_the_queue_filters_by_status(manager_client, member, insurer_manager):
    new = _submit(member)
    taken = _submit(member)
    member_request_take(request=taken, by=insurer_manager)
    resolved = _submit(member)
    member_request_resolve(request=resolved, by=insurer_manager, text="Fait.")

    assert _listed(manager_client, "?status__exact=new") == [new.reference]
    assert _listed(manager_client, "?status__exact=in_progress") == [taken.reference]
    assert _listed(manager_client, "?status__exact=resolved") == [resolved.reference]


def test_the_queue_filters_by_kind(manager_client, member):
    question = _submit(member, kind=RequestKind.QUESTION)
    document = _submit(member, kind=RequestKind.DOCUMENT)

    assert _listed(manager_client, "?kind__exact=question") == [question.reference]
    assert _listed(manager_client, "?kind__exact=document") == [document.reference]


def test_the_queue_filters_by_age(manager_client, member):
    today = _submit(member)
    five_days = _submit(member, days_ago=5)
    ten_days = _submit(member, days_ago=10)

    page = _page(manager_client.get(QUEUE))
    for label in ("Moins de 2 jours", "2 à 7 jours", "Plus de 7 jours"):
        assert label in page
    assert _listed(manager_client, "?age=lt2") == [today.reference]
    assert _listed(manager_client, "?age=2to7") == [five_days.reference]
    assert _listed(manager_client, "?age=gt7") == [ten_days.reference]


def test_the_queue_filters_by_assignee(manager_client, member, insurer_manager):
    colleague = UserFactory(
        first_name="Luc", last_name="COLLEGUE", role="insurer_manager", is_staff=True
    )
    unassigned = _submit(member)
    mine = _submit(member)
    member_request_take(request=mine, by=insurer_manager)
    theirs = _submit(member)
    member_request_take(request=theirs, by=colleague)

    page = _page(manager_client.get(QUEUE))
    assert "Non attribuée" in page
    assert "Moi" in page
    assert "Luc COLLEGUE" in page
    assert _listed(manager_client, "?assignee=none") == [unassigned.reference]
    assert _listed(manager_client, "?assignee=me") == [mine.reference]
    assert _listed(manager_client, f"?assignee={colleague.pk}") == [theirs.reference]
    assert _listed(manager_client, "?assignee=me&_facets=True") == [mine.reference]


def test_the_queue_finds_a_request_by_reference_member_number_or_name(
    manager_client, member, other_member
):
    mine = _submit(member)
    theirs = _submit(other_member)

    assert _listed(manager_client, f"?q={theirs.reference}") == [theirs.reference]
    assert _listed(manager_client, f"?q={member.member_number}") == [mine.reference]
    assert _listed(manager_client, "?q=dupont") == [theirs.reference]


def test_requests_are_never_added_edited_or_deleted_by_hand(manager_client, member):
    request = _submit(member, message="Bonjour")

    assert manager_client.get(f"{QUEUE}add/").status_code == 403
    response = manager_client.post(_change_url(request), {"message": "Autre chose"})
    assert response.status_code == 403
    assert manager_client.post(f"{QUEUE}{request.pk}/delete/").status_code == 403
    request.refresh_from_db()
    assert request.message == "Bonjour"
    assert 'name="message"' not in manager_client.get(_change_url(request)).content.decode()


# -- The change page -------------------------------------------------------------------------
def test_the_change_page_shows_everything_the_member_sent(manager_client, member):
    invoice = _upload(member.user, "facture.pdf", pdf_bytes())
    photo = _upload(member.user, "ordonnance.png", image_bytes())
    request = _submit(
        member,
        kind=RequestKind.DOCUMENT,
        topic="invoice",
        topic_label="Facture",
        message="Séance du 3 mars.",
        amount=Decimal("45.50"),
        details=[{"label": "Type de soins", "value": "Ostéopathie"}],
        attachments=[invoice, photo],
    )

    page = _page(manager_client.get(_change_url(request)))

    assert "Ce que l'adhérent a envoyé" in page
    assert "Facture" in page
    assert "Type de soins" in page
    assert "Ostéopathie" in page
    assert "Séance du 3 mars." in page
    assert "45,50" in page
    assert f'href="/documents/{invoice.pk}/"' in page
    assert f'href="/documents/{invoice.pk}/voir/"' in page
    assert f'href="/documents/{photo.pk}/"' in page
    download = manager_client.get(f"/documents/{invoice.pk}/")
    assert download.status_code == 200
    download.close()


def test_the_change_page_says_when_a_file_has_expired(manager_client, member):
    invoice = _upload(member.user, "facture.pdf", pdf_bytes())
    request = _submit(member, attachments=[invoice])
    StoredFile.objects.filter(pk=invoice.pk).update(expires_at=timezone.now() - timedelta(days=1))

    page = _page(manager_client.get(_change_url(request)))

    assert "facture.pdf" in page
    assert "Fichier expiré" in page
    assert f'href="/documents/{invoice.pk}/"' not in page


def test_the_change_page_shows_the_status_history_and_the_answers(
    manager_client, member, insurer_manager
):
    insurer_manager.first_name, insurer_manager.last_name = "Claire", "GESTION"
    insurer_manager.save()
    request = _submit(member)
    member_request_take(request=request, by=insurer_manager)
    letter = _upload(insurer_manager, "courrier.pdf", pdf_bytes())
    member_request_resolve(
        request=request, by=insurer_manager, text="Votre dossier est complet.", attachments=[letter]
    )

    page = _page(manager_client.get(_change_url(request)))

    assert "Historique des statuts" in page
    assert page.count("Claire GESTION") >= 3  # two status changes, one answer
    assert "Nouveau" in page
    assert "Pris en charge" in page
    assert "Résolu" in page
    assert "Votre dossier est complet." in page
    assert f'href="/documents/{letter.pk}/"' in page
    assert "pas encore lue" in page


def test_the_buttons_follow_the_status(manager_client, member, insurer_manager):
    request = _submit(member)
    page = manager_client.get(_change_url(request)).content.decode()
    assert _take_url(request) in page
    assert _resolve_url(request) in page

    member_request_take(request=request, by=insurer_manager)
    page = manager_client.get(_change_url(request)).content.decode()
    assert _take_url(request) not in page
    assert _resolve_url(request) in page

    member_request_resolve(request=request, by=insurer_manager, text="Fait.")
    page = manager_client.get(_change_url(request)).content.decode()
    assert _take_url(request) not in page
    assert _resolve_url(request) not in page


# -- Prendre en charge -----------------------------------------------------------------------
def test_the_take_action_assigns_the_selected_requests_and_records_who_did_it(
    manager_client, member, other_member, insurer_manager
):
    first = _submit(member)
    second = _submit(other_member)
    untouched = _submit(member)

    response = manager_client.post(
        QUEUE,
        {"action": "take_in_charge", "_selected_action": [first.pk, second.pk], "index": "0"},
        follow=True,
    )

    assert "2 demandes prises en charge" in " ".join(_messages(response))
    for request in (first, second):
        request.refresh_from_db()
        assert request.status == RequestStatus.IN_PROGRESS
        assert request.assignee == insurer_manager
        change = request.status_changes.last()
        assert change.by == insurer_manager
        assert change.from_status == RequestStatus.NEW
        assert change.to_status == RequestStatus.IN_PROGRESS
    untouched.refresh_from_db()
    assert untouched.status == RequestStatus.NEW


def test_the_take_action_explains_a_refusal_and_takes_the_others(
    manager_client, member, insurer_manager
):
    resolved = _submit(member)
    member_request_resolve(request=resolved, by=insurer_manager, text="Fait.")
    open_one = _submit(member)

    response = manager_client.post(
        QUEUE,
        {"action": "take_in_charge", "_selected_action": [resolved.pk, open_one.pk], "index": "0"},
        follow=True,
    )

    assert response.status_code == 200
    messages = " ".join(_messages(response))
    assert f"La demande {resolved.reference} est « Résolu »" in messages
    assert "1 demande prise en charge" in messages
    open_one.refresh_from_db()
    assert open_one.status == RequestStatus.IN_PROGRESS
    assert resolved.status_changes.count() == 2


def test_the_take_button_of_the_change_page_takes_the_request(
    manager_client, member, insurer_manager
):
    request = _submit(member)

    response = manager_client.post(_take_url(request))

    assert response.status_code == 302
    assert response["Location"] == _change_url(request)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.assignee == insurer_manager
    page = manager_client.get(response["Location"])
    assert f"La demande {request.reference} est prise en charge par vous." in _messages(page)


def test_taking_a_request_twice_is_refused_with_a_message(manager_client, member):
    request = _submit(member)
    manager_client.post(_take_url(request))

    response = manager_client.post(_take_url(request), follow=True)

    assert response.status_code == 200
    assert any("ne peut pas passer à « Pris en charge »" in m for m in _messages(response))
    assert request.status_changes.count() == 2


def test_the_take_url_does_nothing_on_a_get(manager_client, member):
    request = _submit(member)
    assert manager_client.get(_take_url(request)).status_code == 405
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW


# -- Résoudre --------------------------------------------------------------------------------
def test_resolving_with_a_text_and_a_pdf_answers_the_member(
    client, member, other_member, insurer_manager
):
    request = _submit(member)
    _sign_in(client, insurer_manager)
    form = client.get(_resolve_url(request))
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()

    response = client.post(
        _resolve_url(request),
        {
            "text": "Votre remboursement est en cours.",
            "attachments_files": SimpleUploadedFile("decompte.pdf", pdf_bytes()),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _change_url(request)
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED
    assert request.assignee == insurer_manager
    assert request.resolved_at is not None
    answer = RequestAnswer.objects.get(request=request)
    assert answer.author == insurer_manager
    assert answer.text == "Votre remboursement est en cours."
    letter = answer.attachments.get()
    assert letter.original_name == "decompte.pdf"
    assert letter.content_type == "application/pdf"
    change = request.status_changes.last()
    assert (change.by, change.from_status, change.to_status) == (
        insurer_manager,
        RequestStatus.NEW,
        RequestStatus.RESOLVED,
    )
    page = client.get(response["Location"])
    assert any(f"La demande {request.reference} est résolue" in m for m in _messages(page))

    stranger = Client()
    _sign_in(stranger, other_member.user)
    assert stranger.get(f"/documents/{letter.pk}/").status_code == 404
    assert stranger.get(f"/documents/{letter.pk}/voir/").status_code == 404
    owner = Client()
    _sign_in(owner, member.user)
    download = owner.get(f"/documents/{letter.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    download.close()  # last: closing a file response ends the request (and its connection)


def test_the_resolve_action_opens_the_answer_form_for_one_request(manager_client, member):
    request = _submit(member)
    _submit(member)

    response = manager_client.post(
        QUEUE, {"action": "resolve_selected", "_selected_action": [request.pk], "index": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == _resolve_url(request)

    response = manager_client.post(
        QUEUE,
        {
            "action": "resolve_selected",
            "_selected_action": list(MemberRequest.objects.values_list("pk", flat=True)),
            "index": "0",
        },
        follow=True,
    )
    assert "Sélectionnez une seule demande à résoudre." in _messages(response)


def test_resolving_twice_is_refused_with_a_message(manager_client, member, insurer_manager):
    request = _submit(member)
    manager_client.post(_resolve_url(request), {"text": "Première réponse."})

    response = manager_client.post(_resolve_url(request), {"text": "Seconde réponse."})

    assert response.status_code == 200
    assert any("ne peut pas passer à « Résolu »" in m for m in _messages(response))
    assert "Seconde réponse." in _page(response)  # what was typed is still there
    assert list(request.answers.values_list("text", flat=True)) == ["Première réponse."]
    assert request.status_changes.filter(to_status=RequestStatus.RESOLVED).count() == 1


def test_the_answer_form_of_a_resolved_request_leads_back_to_it(
    manager_client, member, insurer_manager
):
    request = _submit(member)
    member_request_resolve(request=request, by=insurer_manager, text="Fait.")

    response = manager_client.get(_resolve_url(request), follow=True)

    assert response.redirect_chain[-1][0] == _change_url(request)
    assert f"La demande {request.reference} est déjà résolue." in _messages(response)


def test_an_empty_answer_is_refused_next_to_the_field_and_the_file_is_kept(
    manager_client, member, insurer_manager
):
    request = _submit(member)

    response = manager_client.post(
        _resolve_url(request),
        {"text": "   ", "attachments_files": SimpleUploadedFile("courrier.pdf", pdf_bytes())},
    )

    assert response.status_code == 200
    page = _page(response)
    assert 'id="id_text_error"' in page
    assert "Écrivez la réponse à l'adhérent." in page
    kept = StoredFile.objects.get(original_name="courrier.pdf")
    assert kept.is_pending
    assert kept.uploaded_by == insurer_manager
    assert f'name="attachments" value="{kept.pk}"' in page
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW

    response = manager_client.post(
        _resolve_url(request), {"text": "Voici le courrier.", "attachments": [kept.pk]}
    )

    assert response.status_code == 302
    assert list(request.answers.get().attachments.all()) == [kept]


def test_a_refused_file_is_explained_next_to_the_field_and_the_text_is_kept(manager_client, member):
    request = _submit(member)

    response = manager_client.post(
        _resolve_url(request),
        {
            "text": "Voici le courrier.",
            "attachments_files": SimpleUploadedFile("script.pdf", b"#!/bin/sh\necho hi\n"),
        },
    )

    assert response.status_code == 200
    page = _page(response)
    assert 'id="id_attachments_error"' in page
    assert "Voici le courrier." in page
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    assert not RequestAnswer.objects.exists()


# -- Who may ---------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["member", "technician"])
def test_members_and_technicians_get_a_404_on_the_queue(client, request, persona, member):
    someone = request.getfixturevalue(persona)
    _sign_in(client, getattr(someone, "user", someone))
    target = _submit(member)

    for url in (QUEUE, _change_url(target), _resolve_url(target)):
        assert client.get(url, follow=True).status_code == 404
    for url in (_take_url(target), _resolve_url(target)):
        assert client.post(url, {"text": "Piraté"}, follow=True).status_code == 404
    target.refresh_from_db()
    assert target.status == RequestStatus.NEW
    assert target.status_changes.count() == 1
    assert not RequestStatusChange.objects.filter(to_status=RequestStatus.RESOLVED).exists()


def test_a_staff_account_without_the_manager_role_cannot_work_the_queue(client, member):
    reader = UserFactory(role="partner_manager", is_staff=True, is_superuser=True)
    _sign_in(client, reader)
    target = _submit(member)

    assert client.get(QUEUE).status_code == 200
    assert client.post(_take_url(target)).status_code == 404
    assert client.get(_resolve_url(target)).status_code == 404
    page = client.get(_change_url(target)).content.decode()
    assert _take_url(target) not in page
    target.refresh_from_db()
    assert target.status == RequestStatus.NEW
