"""The managers' queue of member requests in the admin (/gestion/): list, take, ask for a
complement, resolve."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from casework.lifecycle import case_type_of
from casework.models import CaseEvent, CaseMessage
from casework.services import case_move
from documents.models import StoredFile
from documents.rules import SEND_DOCUMENT
from documents.services import stored_file_create
from requests_app.models import MemberRequest, RequestKind, RequestStatus
from requests_app.services import member_request_submit
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


def _ask_url(request):
    return f"{QUEUE}{request.pk}/demander-un-complement/"


def _upload(user, name, content, rules=SEND_DOCUMENT):
    return stored_file_create(uploaded=SimpleUploadedFile(name, content), rules=rules, by=user)


def _submit(member, *, kind=RequestKind.QUESTION, days_ago=0, **fields):
    request = member_request_submit(member=member, kind=kind, by=member.user, **fields)
    if days_ago:
        sent = timezone.now() - timedelta(days=days_ago)
        MemberRequest.objects.filter(pk=request.pk).update(created_at=sent)
        request.refresh_from_db()
    return request


def _take(request, manager):
    return case_move(case=request, move="take", by=manager)


def _resolve(request, manager, text="Fait.", attachments=()):
    """ "Résoudre" (taken in charge first if it is new); returns the answer, the insurer
    message of the "resolve" event."""
    if request.status == RequestStatus.NEW:
        _take(request, manager)
    event = case_move(
        case=request, move="resolve", by=manager, text=text, attachments=list(attachments)
    )
    return event.message


def _events(request):
    """The request's journal, oldest first (without the "read" receipts)."""
    return CaseEvent.objects.filter(
        case_type=case_type_of(MemberRequest).content_type(), case_id=request.pk
    ).exclude(action="read")


def _messages_of(request):
    return CaseMessage.objects.filter(
        case_type=case_type_of(MemberRequest).content_type(), case_id=request.pk
    )


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
def test_the_queue_shows_only_open_requests_oldest_first_and_all_on_demand(
    manager_client, member, other_member, insurer_manager
):
    recent = _submit(member, days_ago=1)
    oldest = _submit(other_member, days_ago=9)
    resolved = _submit(member, days_ago=20)
    _resolve(resolved, insurer_manager, "Voici la réponse.")
    awaiting = _submit(member, days_ago=30)
    _take(awaiting, insurer_manager)
    case_move(case=awaiting, move="ask", by=insurer_manager, text="La facture, merci.")
    middle = _submit(member, days_ago=4)
    _take(middle, insurer_manager)

    assert _listed(manager_client) == [
        awaiting.reference,
        oldest.reference,
        middle.reference,
        recent.reference,
    ]
    assert _listed(manager_client, "?status__exact=all") == [
        awaiting.reference,
        resolved.reference,
        oldest.reference,
        middle.reference,
        recent.reference,
    ]


def test_each_row_shows_who_sent_what_and_how_long_it_has_waited(
    manager_client, member, insurer_manager
):
    lucas = member.beneficiaries.get(first_name="Lucas")
    request = _submit(member, kind=RequestKind.DOCUMENT, beneficiary=lucas, days_ago=3)
    _take(request, insurer_manager)
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
        _take(taken, insurer_manager)
    # A session's first page also records the session (SessionActivity) and makes the branding
    # row: what is counted is a page like every later one.
    manager_client.get(QUEUE)
    with django_assert_max_num_queries(20) as few:
        manager_client.get(QUEUE)
    for owner in (member, other_member) * 4:
        _submit(owner, beneficiary=owner.beneficiaries.first())
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(QUEUE)


def test_the_queue_filters_by_status_as_the_managers_word_it(
    manager_client, member, insurer_manager
):
    new = _submit(member)
    taken = _submit(member)
    _take(taken, insurer_manager)
    awaiting = _submit(member)
    _take(awaiting, insurer_manager)
    case_move(case=awaiting, move="ask", by=insurer_manager, text="La facture, merci.")
    resolved = _submit(member)
    _resolve(resolved, insurer_manager)

    assert _listed(manager_client, "?status__exact=new") == [new.reference]
    assert _listed(manager_client, "?status__exact=in_progress") == [taken.reference]
    assert _listed(manager_client, "?status__exact=awaiting") == [awaiting.reference]
    assert _listed(manager_client, "?status__exact=resolved") == [resolved.reference]
    page = _page(manager_client.get(QUEUE))
    assert "En attente de l'adhérent" in page
    assert "En attente de votre réponse" not in page


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
    _take(mine, insurer_manager)
    theirs = _submit(member)
    _take(theirs, colleague)

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


def test_the_change_page_shows_the_thread_with_who_did_what(
    manager_client, member, insurer_manager
):
    insurer_manager.first_name, insurer_manager.last_name = "Claire", "GESTION"
    insurer_manager.save()
    request = _submit(member)
    _take(request, insurer_manager)
    letter = _upload(insurer_manager, "courrier.pdf", pdf_bytes())
    _resolve(request, insurer_manager, "Votre dossier est complet.", attachments=[letter])

    page = _page(manager_client.get(_change_url(request)))

    thread = page[page.index('<ol class="case-thread">') :]
    thread = thread[: thread.index("</ol>")]
    items = re.split(r'<li>\s*<p class="quiet">', thread)[1:]
    assert len(items) == 3
    assert "Demande envoyée" in items[0] and "statut « Nouveau »" in items[0]
    assert "Demande prise en charge" in items[1] and "par Claire GESTION" in items[1]
    assert "statut « Pris en charge »" in items[1]
    assert "Réponse apportée" in items[2] and "par Claire GESTION" in items[2]
    assert "statut « Résolu »" in items[2]
    assert "Votre dossier est complet." in items[2]
    assert f'href="/documents/{letter.pk}/"' in items[2]
    assert "Pas encore lu" in items[2]  # the member has not opened it yet


def test_the_buttons_follow_the_status(manager_client, member, insurer_manager):
    request = _submit(member)
    page = manager_client.get(_change_url(request)).content.decode()
    assert _take_url(request) in page
    assert _ask_url(request) not in page
    assert _resolve_url(request) not in page  # taken in charge first

    _take(request, insurer_manager)
    page = manager_client.get(_change_url(request)).content.decode()
    assert _take_url(request) not in page
    assert _ask_url(request) in page
    assert _resolve_url(request) in page

    case_move(case=request, move="ask", by=insurer_manager, text="La facture, merci.")
    page = manager_client.get(_change_url(request)).content.decode()
    assert _take_url(request) not in page
    assert _ask_url(request) not in page
    assert _resolve_url(request) in page

    _resolve(request, insurer_manager)
    page = manager_client.get(_change_url(request)).content.decode()
    for url in (_take_url(request), _ask_url(request), _resolve_url(request)):
        assert url not in page


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
        change = _events(request).last()
        assert change.action == "take"
        assert change.by == insurer_manager
        assert change.from_status == RequestStatus.NEW
        assert change.to_status == RequestStatus.IN_PROGRESS
    untouched.refresh_from_db()
    assert untouched.status == RequestStatus.NEW


def test_the_take_action_explains_a_refusal_and_takes_the_others(
    manager_client, member, insurer_manager
):
    resolved = _submit(member)
    _resolve(resolved, insurer_manager)
    open_one = _submit(member)

    response = manager_client.post(
        QUEUE + "?status__exact=all",
        {"action": "take_in_charge", "_selected_action": [resolved.pk, open_one.pk], "index": "0"},
        follow=True,
    )

    assert response.status_code == 200
    messages = " ".join(_messages(response))
    assert (
        f"La demande {resolved.reference} est « Résolu » : elle ne peut pas passer à "
        "« Pris en charge »." in messages
    )
    assert "1 demande prise en charge" in messages
    open_one.refresh_from_db()
    assert open_one.status == RequestStatus.IN_PROGRESS
    assert list(_events(resolved).values_list("action", flat=True)) == [
        "submit",
        "take",
        "resolve",
    ]


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


def test_taking_a_request_twice_records_it_once(manager_client, member):
    request = _submit(member)
    manager_client.post(_take_url(request))

    response = manager_client.post(_take_url(request), follow=True)  # a double click

    assert response.status_code == 200
    assert not any("ne peut pas passer" in m for m in _messages(response))
    assert list(_events(request).values_list("action", flat=True)) == ["submit", "take"]


def test_taking_a_request_a_colleague_took_is_refused_with_a_message(
    manager_client, member, insurer_manager
):
    colleague = UserFactory(
        first_name="Luc", last_name="COLLEGUE", role="insurer_manager", is_staff=True
    )
    request = _submit(member)
    _take(request, colleague)

    response = manager_client.post(_take_url(request), follow=True)

    assert (
        f"La demande {request.reference} est « Pris en charge » : « Prendre en charge » "
        "n'est plus possible." in _messages(response)
    )
    assert f"La demande {request.reference} est prise en charge par vous." not in (
        _messages(response)
    )
    request.refresh_from_db()
    assert request.assignee == colleague
    assert list(_events(request).values_list("action", flat=True)) == ["submit", "take"]


def test_the_take_url_does_nothing_on_a_get(manager_client, member):
    request = _submit(member)
    assert manager_client.get(_take_url(request)).status_code == 405
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW


# -- Demander un complément --------------------------------------------------------------------
def test_asking_a_complement_puts_the_request_in_wait_of_the_member(
    manager_client, member, insurer_manager
):
    request = _submit(member)
    _take(request, insurer_manager)
    form = manager_client.get(_ask_url(request))
    assert form.status_code == 200
    assert "Ce qu'il manque pour traiter la demande" in _page(form)

    response = manager_client.post(
        _ask_url(request), {"text": "Merci de joindre la facture détaillée."}, follow=True
    )

    assert response.redirect_chain[-1][0] == _change_url(request)
    assert (
        f"Le complément est demandé pour la demande {request.reference} : l'adhérent est "
        "prévenu par email, et la demande est « En attente de l'adhérent »." in _messages(response)
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING
    assert request.awaiting_since is not None
    asked = _events(request).last()
    assert (asked.action, asked.by, asked.from_status, asked.to_status) == (
        "ask",
        insurer_manager,
        RequestStatus.IN_PROGRESS,
        RequestStatus.AWAITING,
    )
    assert asked.message.text == "Merci de joindre la facture détaillée."
    assert asked.message.side == "insurer"


def test_a_complement_cannot_be_asked_of_a_new_request(manager_client, member):
    request = _submit(member)

    response = manager_client.post(_ask_url(request), {"text": "La facture, merci."})

    assert response.status_code == 200
    assert (
        f"La demande {request.reference} est « Nouveau » : elle ne peut pas passer à "
        "« En attente de l'adhérent »." in _messages(response)
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    assert not _messages_of(request).exists()
    assert list(_events(request).values_list("action", flat=True)) == ["submit"]


# -- Résoudre --------------------------------------------------------------------------------
def test_resolving_with_a_text_and_a_pdf_answers_the_member(
    client, member, other_member, insurer_manager
):
    request = _submit(member)
    _sign_in(client, insurer_manager)
    client.post(_take_url(request))
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
    change = _events(request).last()
    assert (change.action, change.by, change.from_status, change.to_status) == (
        "resolve",
        insurer_manager,
        RequestStatus.IN_PROGRESS,
        RequestStatus.RESOLVED,
    )
    answer = change.message
    assert answer.side == "insurer"
    assert answer.author == insurer_manager
    assert answer.text == "Votre remboursement est en cours."
    letter = answer.attachments.get()
    assert letter.original_name == "decompte.pdf"
    assert letter.content_type == "application/pdf"
    page = client.get(response["Location"])
    assert (
        f"La demande {request.reference} est résolue : l'adhérent est prévenu par email "
        "qu'une réponse l'attend." in _messages(page)
    )

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


def test_resolving_a_new_request_takes_it_in_charge_first_then_answers(
    manager_client, member, insurer_manager
):
    request = _submit(member)
    assert _resolve_url(request) not in _page(manager_client.get(_change_url(request)))

    shown = _page(manager_client.get(_resolve_url(request)))
    response = manager_client.post(
        _resolve_url(request),
        {
            "text": "Votre remboursement est en cours.",
            "attachments_files": SimpleUploadedFile("decompte.pdf", pdf_bytes()),
        },
    )

    assert "vous la prenez d'abord en charge" in shown
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.assignee) == (RequestStatus.RESOLVED, insurer_manager)
    assert list(_events(request).values_list("action", "notification")) == [
        ("submit", "received"),
        ("take", "taken"),
        ("resolve", "resolved"),
    ]
    answer = _messages_of(request).get()
    assert answer.text == "Votre remboursement est en cours."
    assert [f.original_name for f in answer.attachments.all()] == ["decompte.pdf"]


def test_the_resolve_action_opens_the_answer_form_for_one_request(
    manager_client, member, insurer_manager
):
    request = _submit(member)
    _take(request, insurer_manager)
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
    _take(request, insurer_manager)
    manager_client.post(_resolve_url(request), {"text": "Première réponse."})

    response = manager_client.post(_resolve_url(request), {"text": "Seconde réponse."})

    assert response.status_code == 200
    assert (
        f"La demande {request.reference} est « Résolu » : « Résoudre » n'est plus possible."
        in _messages(response)
    )
    assert "Seconde réponse." in _page(response)  # what was typed is still there
    assert list(_messages_of(request).values_list("text", flat=True)) == ["Première réponse."]
    assert _events(request).filter(to_status=RequestStatus.RESOLVED).count() == 1


def test_the_same_answer_form_posted_twice_answers_once(manager_client, member, insurer_manager):
    request = _submit(member)
    _take(request, insurer_manager)
    token = re.search(
        r'name="token" value="([^"]+)"', manager_client.get(_resolve_url(request)).content.decode()
    ).group(1)

    first = manager_client.post(_resolve_url(request), {"text": "Réponse.", "token": token})
    again = manager_client.post(_resolve_url(request), {"text": "Réponse.", "token": token})

    assert first.status_code == again.status_code == 302
    assert _messages_of(request).count() == 1
    assert _events(request).filter(action="resolve").count() == 1


def test_the_answer_form_of_a_resolved_request_leads_back_to_it(
    manager_client, member, insurer_manager
):
    request = _submit(member)
    _resolve(request, insurer_manager)

    response = manager_client.get(_resolve_url(request), follow=True)

    assert response.redirect_chain[-1][0] == _change_url(request)
    assert (
        f"La demande {request.reference} est « Résolu » : « Résoudre » n'est plus possible."
        in _messages(response)
    )


def test_an_empty_answer_is_refused_next_to_the_field_and_the_file_is_kept(
    manager_client, member, insurer_manager
):
    request = _submit(member)
    _take(request, insurer_manager)

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
    assert request.status == RequestStatus.IN_PROGRESS

    response = manager_client.post(
        _resolve_url(request), {"text": "Voici le courrier.", "attachments": [kept.pk]}
    )

    assert response.status_code == 302
    assert list(_messages_of(request).get().attachments.all()) == [kept]


def test_a_refused_file_is_explained_next_to_the_field_and_the_text_is_kept(
    manager_client, member, insurer_manager
):
    request = _submit(member)
    _take(request, insurer_manager)

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
    assert request.status == RequestStatus.IN_PROGRESS
    assert not CaseMessage.objects.exists()


# -- Who may ---------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["member", "technician"])
def test_members_and_technicians_get_a_404_on_the_queue(client, request, persona, member):
    someone = request.getfixturevalue(persona)
    _sign_in(client, getattr(someone, "user", someone))
    target = _submit(member)

    for url in (QUEUE, _change_url(target), _ask_url(target), _resolve_url(target)):
        assert client.get(url, follow=True).status_code == 404
    for url in (_take_url(target), _ask_url(target), _resolve_url(target)):
        assert client.post(url, {"text": "Piraté"}, follow=True).status_code == 404
    target.refresh_from_db()
    assert target.status == RequestStatus.NEW
    assert list(_events(target).values_list("action", flat=True)) == ["submit"]
    assert not CaseMessage.objects.exists()


def test_a_staff_account_without_the_manager_role_cannot_work_the_queue(client, member):
    reader = UserFactory(role="partner_manager", is_staff=True, is_superuser=True)
    _sign_in(client, reader)
    target = _submit(member)

    assert client.get(QUEUE).status_code == 200
    assert client.post(_take_url(target)).status_code == 404
    assert client.get(_ask_url(target)).status_code == 404
    assert client.get(_resolve_url(target)).status_code == 404
    page = client.get(_change_url(target)).content.decode()
    assert _take_url(target) not in page
    target.refresh_from_db()
    assert target.status == RequestStatus.NEW
