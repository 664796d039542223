"""The conversation on a member request, as the member and the managers live it: a complement
asked in the admin and answered from the request page, messages added, a request re-opened or
cancelled, answers sent by email when the member wrote through "Contact", "Historique des
mails" and the unread badge."""

import datetime
import email
import email.policy
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from casework.lifecycle import case_type_of
from casework.models import CaseEvent, CaseMessage, Side
from casework.services import case_move
from documents.models import StoredFile
from documents.rules import SEND_DOCUMENT
from documents.services import stored_file_create, stored_files_purge_expired
from requests_app.models import MemberRequest, RequestKind, RequestStatus
from tests.helpers.casework import emails_so_far_sent
from tests.test_access_matrix import _sign_in
from tests.test_request_document import hidden_inputs, kept_file_ids
from tests.test_request_history import ask, page_text, resolve, submit, take
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

QUEUE = "/gestion/requests_app/memberrequest/"


def detail_url(request) -> str:
    return f"/demandes/{request.reference}/"


def cancel_url(request) -> str:
    return f"/demandes/{request.reference}/annuler/"


def change_url(request) -> str:
    return f"{QUEUE}{request.pk}/change/"


def a_pdf(name="complement.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def messages_of(request):
    """The messages of the request's thread, both sides, oldest first."""
    return CaseMessage.objects.filter(
        case_type=case_type_of(MemberRequest).content_type(), case_id=request.pk
    ).order_by("created_at", "pk")


def actions_of(request) -> list[str]:
    """The request's journal (without the "read" receipts), oldest first."""
    return list(
        CaseEvent.objects.filter(
            case_type=case_type_of(MemberRequest).content_type(), case_id=request.pk
        )
        .exclude(action="read")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def flash_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def status_badge(page: str) -> str:
    """The words of the status badge at the top of the request page (without its mark, a
    shape hidden from screen readers)."""
    heading = re.search(r'<div class="page-heading">.*?</div>', page, re.S).group(0)
    badge = heading.split("</h1>", 1)[1]
    badge = re.sub(r'<span class="badge-mark" aria-hidden="true">.*?</span>', "", badge)
    return re.sub(r"<[^>]+>|\s+", " ", badge).strip()


def thread_item(page: str, message) -> str:
    """The line of the thread showing `message` (up to its first file, if it has files)."""
    return re.search(rf'<li [^>]*id="message-{message.pk}".*?</li>', page, re.S).group(0)


def write(client, request, text, files=()):
    """The member fills the form of the request page (the token the page gave) and sends it."""
    token = hidden_inputs(client.get(detail_url(request)))["token"][0]
    data = {"text": text, "token": token}
    if files:
        data["files_files"] = list(files)
    return client.post(detail_url(request), data)


def resolved_days_ago(request, days: int) -> None:
    """Make the request resolved `days` days ago."""
    at = timezone.now() - datetime.timedelta(days=days)
    MemberRequest.objects.filter(pk=request.pk).update(resolved_at=at, status_changed_at=at)
    request.refresh_from_db()


def eml_attachments(message) -> list:
    parsed = email.message_from_bytes(message.path.read_bytes(), policy=email.policy.default)
    return list(parsed.iter_attachments())


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


@pytest.fixture
def manager_client(insurer_manager):
    browser = Client()
    _sign_in(browser, insurer_manager)
    return browser


# -- A complement asked, answered ----------------------------------------------------------------
def test_a_complement_asked_in_the_admin_emails_the_member_once_and_tops_the_request_page(
    member_client,
    manager_client,
    member,
    insurer_manager,
    outbox,
    django_capture_on_commit_callbacks,
):
    sent = submit(member, kind=RequestKind.DOCUMENT, topic="invoice", topic_label="Facture")
    take(sent, insurer_manager)  # its email is not part of this test (never committed)
    emails_so_far_sent(sent)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            f"{QUEUE}{sent.pk}/demander-un-complement/",
            {"text": "Merci de joindre la facture détaillée de la pharmacie."},
        )
    assert response.status_code == 302

    assert outbox.count("email") == 1
    mail = outbox.last("email")
    assert mail.to == member.email
    assert mail.subject == f"Votre demande {sent.reference} : un complément vous est demandé"
    assert sent.reference in mail.text and sent.reference in mail.html
    assert mail.link().endswith(detail_url(sent))
    page = page_text(member_client.get(detail_url(sent)))
    assert status_badge(page) == "En attente de votre réponse"
    callout = page.index("Nos gestionnaires ont besoin d'un complément")
    assert callout < page.index("Merci de joindre la facture détaillée de la pharmacie.")
    assert callout < page.index("Ce que vous avez envoyé")
    assert "Répondre à nos gestionnaires" in page
    assert 'name="text"' in page


def test_the_members_answer_with_a_file_puts_the_request_back_in_progress(
    member_client, member, insurer_manager
):
    sent = submit(member)
    ask(sent, insurer_manager, "Merci de joindre votre RIB.")

    response = write(member_client, sent, "Voici mon RIB.", files=[a_pdf("rib.pdf")])

    assert response.status_code == 302
    assert response["Location"] == detail_url(sent) + "#main"
    sent.refresh_from_db()
    assert sent.status == RequestStatus.IN_PROGRESS
    assert sent.awaiting_since is None
    reply = messages_of(sent).last()
    assert (reply.side, reply.action, reply.author) == (Side.REQUESTER, "reply", member.user)
    assert reply.text == "Voici mon RIB."
    assert [f.original_name for f in reply.attachments.all()] == ["rib.pdf"]
    shown = member_client.get(response["Location"])
    assert "Votre message a bien été envoyé." in flash_messages(shown)
    page = page_text(shown)
    assert status_badge(page) == "Pris en charge"
    assert "Nos gestionnaires ont besoin d'un complément" not in page
    thread = re.search(r'<ol class="thread">.*?</ol>', page, re.S).group(0)
    assert "Vous · Complément envoyé" in thread
    assert "Voici mon RIB." in thread
    assert "rib.pdf" in thread


def test_a_reply_is_marked_réponse_reçue_in_the_queue_until_a_manager_opens_it(
    member_client, manager_client, member, other_member, insurer_manager
):
    older = submit(other_member)
    MemberRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    sent = submit(member)
    ask(sent, insurer_manager)
    write(member_client, sent, "Voici le complément.")

    queue = manager_client.get(QUEUE)
    rows = [r.reference for r in queue.context["cl"].result_list]
    assert rows == [older.reference, sent.reference]  # oldest first
    assert page_text(queue).count("Réponse reçue") == 2  # the filter's choice and the badge
    replies = manager_client.get(QUEUE + "?status__exact=reply")
    assert [r.reference for r in replies.context["cl"].result_list] == [sent.reference]

    manager_client.get(change_url(sent))

    queue = manager_client.get(QUEUE)
    assert page_text(queue).count("Réponse reçue") == 1  # the filter's choice only
    replies = manager_client.get(QUEUE + "?status__exact=reply")
    assert list(replies.context["cl"].result_list) == []


def test_the_member_sees_when_a_manager_read_their_message(
    member_client, manager_client, member, insurer_manager
):
    sent = submit(member)
    ask(sent, insurer_manager)
    write(member_client, sent, "Voici le complément.")

    reply = messages_of(sent).last()
    before = thread_item(page_text(member_client.get(detail_url(sent))), reply)
    manager_client.get(change_url(sent))
    after = thread_item(page_text(member_client.get(detail_url(sent))), reply)

    assert "Pas encore lu" in before
    assert "Lu le" not in before
    reply.refresh_from_db()
    assert reply.read_by == insurer_manager
    with translation.override("fr"):
        read_on = date_format(timezone.localtime(reply.read_at), "DATETIME_FORMAT")
    assert f"Lu le {read_on}" in after
    assert "Pas encore lu" not in after


# -- Writing on an open or resolved request ------------------------------------------------------
@pytest.mark.parametrize("status", [RequestStatus.NEW, RequestStatus.IN_PROGRESS])
def test_the_member_adds_a_message_to_an_open_request_without_changing_its_status(
    member_client, member, insurer_manager, status
):
    sent = submit(member)
    if status == RequestStatus.IN_PROGRESS:
        take(sent, insurer_manager)
    page = page_text(member_client.get(detail_url(sent)))
    assert "Ajouter un message ou un document" in page

    response = write(member_client, sent, "J'oubliais : la séance était le 3 mars.")

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == status
    assert sent.reply_pending_since is not None  # the managers have something to read
    message = messages_of(sent).get()
    assert (message.side, message.action) == (Side.REQUESTER, "write")
    assert "Vous · Message ajouté" in page_text(member_client.get(detail_url(sent)))


def test_writing_on_a_request_resolved_10_days_ago_reopens_it(
    member_client, member, insurer_manager
):
    sent = submit(member)
    resolve(sent, insurer_manager, "Votre remboursement est parti.")
    resolved_days_ago(sent, 10)
    page = page_text(member_client.get(detail_url(sent)))
    assert "Écrire à nouveau" in page
    assert "la demande sera rouverte" in page

    response = write(member_client, sent, "Je n'ai rien reçu sur mon compte.")

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == RequestStatus.IN_PROGRESS
    assert sent.resolved_at is None
    assert actions_of(sent)[-1] == "reopen"
    page = page_text(member_client.get(detail_url(sent)))
    assert status_badge(page) == "Pris en charge"
    assert "Demande rouverte" in page


def test_a_request_resolved_31_days_ago_offers_a_new_message_citing_its_reference(
    member_client, member, insurer_manager
):
    sent = submit(member)
    resolve(sent, insurer_manager)
    resolved_days_ago(sent, 31)

    page = page_text(member_client.get(detail_url(sent)))

    assert 'name="text"' not in page
    text = f"Suite à la demande {sent.reference}"
    query = {"topic": "other", "subject": "other-follow-up", "message": text}
    link = "/messagerie/ecrire/?" + urlencode(query)
    assert re.search(rf'href="{re.escape(link)}"[^>]*>Écrire un nouveau message', page)
    form = page_text(member_client.get(link))
    assert '<option value="other" selected>Autre</option>' in form
    assert '<option value="other-follow-up" selected>Suite à une demande déjà envoyée' in form
    assert re.search(rf'name="message"[^>]*>\s*{re.escape(text)}</textarea>', form)

    refused = member_client.post(detail_url(sent), {"text": "Et alors ?"})
    assert refused.status_code == 200
    assert "résolue il y a plus de 30 jours" in page_text(refused)
    sent.refresh_from_db()
    assert sent.status == RequestStatus.RESOLVED
    assert [m.side for m in messages_of(sent)] == [Side.INSURER]


# -- Cancelling ----------------------------------------------------------------------------------
def test_the_member_cancels_a_new_request_with_a_reason_and_it_stays_in_the_history(
    member_client, member
):
    sent = submit(member)
    assert cancel_url(sent) in page_text(member_client.get(detail_url(sent)))
    assert "doublon" in page_text(member_client.get(cancel_url(sent)))

    response = member_client.post(cancel_url(sent), {"reason": "doublon"}, follow=True)

    assert response.redirect_chain[-1][0] == detail_url(sent)
    assert f"Votre demande {sent.reference} est annulée." in flash_messages(response)
    sent.refresh_from_db()
    assert (sent.status, sent.cancel_reason) == (RequestStatus.CANCELLED, "doublon")
    page = page_text(response)
    assert status_badge(page) == "Annulé"
    assert "J'ai envoyé cette demande en double" in page
    assert cancel_url(sent) not in page
    history = page_text(member_client.get("/demandes/"))
    row = re.search(rf"<tr [^>]*>(?:(?!</tr>).)*{sent.reference}.*?</tr>", history, re.S).group(0)
    assert "Annulé" in row


def test_cancelling_needs_a_reason(member_client, member):
    sent = submit(member)

    page = page_text(member_client.post(cancel_url(sent), {}))

    assert "Sélectionnez le motif de l'annulation." in page
    sent.refresh_from_db()
    assert sent.status == RequestStatus.NEW
    assert actions_of(sent) == ["submit"]


def test_a_request_taken_in_charge_can_no_longer_be_cancelled(
    member_client, member, insurer_manager
):
    sent = submit(member)
    take(sent, insurer_manager)
    refusal = (
        f"La demande {sent.reference} est « Pris en charge » : elle ne peut pas passer à "
        "« Annulé »."
    )
    assert cancel_url(sent) not in page_text(member_client.get(detail_url(sent)))

    shown = member_client.get(cancel_url(sent), follow=True)
    posted = member_client.post(cancel_url(sent), {"reason": "doublon"})

    assert shown.redirect_chain[-1][0] == detail_url(sent)
    assert refusal in flash_messages(shown)
    assert posted.status_code == 200
    assert refusal in page_text(posted)
    sent.refresh_from_db()
    assert (sent.status, sent.cancel_reason) == (RequestStatus.IN_PROGRESS, "")
    assert actions_of(sent) == ["submit", "take"]


def test_another_members_request_is_a_404_to_read_write_or_cancel(
    member_client, other_member, insurer_manager
):
    theirs = submit(other_member, message="Confidentiel")
    ask(theirs, insurer_manager, "Pour Jean seulement")

    for response in (
        member_client.get(detail_url(theirs)),
        member_client.post(detail_url(theirs), {"text": "Piraté"}),
        member_client.get(cancel_url(theirs)),
        member_client.post(cancel_url(theirs), {"reason": "doublon"}),
    ):
        assert response.status_code == 404
        assert "Confidentiel" not in response.content.decode()
        assert "Pour Jean seulement" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == RequestStatus.AWAITING
    assert [m.side for m in messages_of(theirs)] == [Side.INSURER]
    assert messages_of(theirs).get().read_at is None  # the stranger opened nothing


# -- The form ------------------------------------------------------------------------------------
def test_a_form_posted_twice_records_one_message(member_client, member, insurer_manager):
    sent = submit(member)
    ask(sent, insurer_manager)
    token = hidden_inputs(member_client.get(detail_url(sent)))["token"][0]

    first = member_client.post(detail_url(sent), {"text": "Voici.", "token": token})
    again = member_client.post(detail_url(sent), {"text": "Voici.", "token": token})

    assert first.status_code == again.status_code == 302
    assert [m.side for m in messages_of(sent)] == [Side.INSURER, Side.REQUESTER]
    assert actions_of(sent).count("reply") == 1


def test_a_message_without_text_is_refused_and_keeps_the_files(
    member_client, member, insurer_manager
):
    sent = submit(member)
    ask(sent, insurer_manager)

    response = write(member_client, sent, "  ", files=[a_pdf("facture.pdf")])

    assert response.status_code == 200
    page = page_text(response)
    assert "Écrivez votre message." in page
    kept = kept_file_ids(response)
    assert len(kept) == 1
    assert "facture.pdf" in page
    sent.refresh_from_db()
    assert sent.status == RequestStatus.AWAITING
    assert [m.side for m in messages_of(sent)] == [Side.INSURER]

    again = member_client.post(
        detail_url(sent),
        {"text": "La voici.", "files": kept, "token": hidden_inputs(response)["token"][0]},
    )

    assert again.status_code == 302
    reply = messages_of(sent).last()
    assert [str(f.pk) for f in reply.attachments.all()] == kept


# -- The answer by email (contact form) ----------------------------------------------------------
def test_a_contact_form_answer_goes_by_email_with_its_text_but_never_its_file(
    member_client,
    manager_client,
    member,
    insurer_manager,
    outbox,
    django_capture_on_commit_callbacks,
):
    member_client.post("/contact/", {"topic": "card", "message": "Ma carte est-elle à jour ?"})
    sent = MemberRequest.objects.get()
    take(sent, insurer_manager)
    emails_so_far_sent(sent)
    form = page_text(manager_client.get(f"{QUEUE}{sent.pk}/resoudre/"))
    box = re.search(r'<input [^>]*name="email_text"[^>]*>', form).group(0)
    assert "checked" in box
    assert "Envoyer aussi le texte de la réponse par email" in form
    sent_before = outbox.count("email")

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            f"{QUEUE}{sent.pk}/resoudre/",
            {
                "text": "Oui, votre carte est à jour jusqu'en décembre.",
                "email_text": "on",
                "attachments_files": SimpleUploadedFile("carte-tiers-payant.pdf", pdf_bytes()),
            },
        )

    assert outbox.count("email") == sent_before + 1
    mail = outbox.last("email", to=member.email)
    assert mail.subject == "Une réponse vous attend dans votre espace"
    for body in (mail.text, unescape(mail.html)):
        assert "Oui, votre carte est à jour jusqu'en décembre." in body
        assert "carte-tiers-payant" not in body
        assert "Un document accompagne cette réponse" in body
    assert eml_attachments(mail) == []
    assert messages_of(sent).get().email_text is True


def test_a_document_requests_answer_never_offers_nor_sends_its_text(
    member_client,
    manager_client,
    member,
    insurer_manager,
    outbox,
    django_capture_on_commit_callbacks,
):
    sent = submit(member, kind=RequestKind.DOCUMENT, topic="invoice", topic_label="Facture")
    take(sent, insurer_manager)
    emails_so_far_sent(sent)
    form = page_text(manager_client.get(f"{QUEUE}{sent.pk}/resoudre/"))
    assert 'name="email_text"' not in form
    assert "Envoyer aussi le texte de la réponse par email" not in form

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            f"{QUEUE}{sent.pk}/resoudre/",
            {"text": "Facture bien reçue, remboursement en cours.", "email_text": "on"},
        )

    assert outbox.count("email") == 1
    mail = outbox.last("email", to=member.email)
    for body in (mail.text, unescape(mail.html)):
        assert "Facture bien reçue" not in body
        assert "« Mes documents » > « Historique des mails »" in body
    assert messages_of(sent).get().email_text is False


# -- Historique des mails, files, unread badge ---------------------------------------------------
def test_historique_des_mails_lists_the_complement_asked_and_the_answer(
    member_client, manager_client, member, insurer_manager
):
    sent = submit(member)
    take(sent, insurer_manager)
    manager_client.post(f"{QUEUE}{sent.pk}/demander-un-complement/", {"text": "Votre RIB ?"})
    write(member_client, sent, "Le voici.", files=[a_pdf("releve-identite.pdf")])
    manager_client.post(
        f"{QUEUE}{sent.pk}/resoudre/",
        {
            "text": "RIB enregistré.",
            "attachments_files": SimpleUploadedFile("attestation-rib.pdf", pdf_bytes()),
        },
    )

    page = page_text(member_client.get("/mes-documents/historique-des-mails/"))

    items = re.findall(
        r'<li class="card answer-item.*?</li>\s*(?=<li class="card|</ul>)', page, re.S
    )
    assert len(items) == 2
    assert "Réponse du" in items[0] and "RIB enregistré." in items[0]
    assert "attestation-rib.pdf" in items[0]
    assert "Complément demandé le" in items[1] and "Votre RIB ?" in items[1]
    assert "Le voici." not in page  # the member's own messages are not mails received
    assert "releve-identite.pdf" not in page


def test_an_answer_file_is_still_downloadable_20_days_later(member_client, member, insurer_manager):
    answer = resolve(submit(member), insurer_manager, files=["decompte.pdf"])
    stored = answer.attachments.get()
    days_ago = timezone.now() - datetime.timedelta(days=20)
    CaseMessage.objects.filter(pk=answer.pk).update(created_at=days_ago)
    StoredFile.objects.filter(pk=stored.pk).update(created_at=days_ago, attached_at=days_ago)

    assert stored_files_purge_expired() == {"expired": 0, "orphans": 0}

    page = page_text(member_client.get("/mes-documents/historique-des-mails/"))
    assert f'href="/documents/{stored.pk}/"' in page
    download = member_client.get(f"/documents/{stored.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()  # read to its end: closed


def unread_badge(page: str) -> str:
    """The count next to "Mes documents" in the member space's navigation ("" if none)."""
    nav = re.search(r'<nav class="member-nav".*?</nav>', page, re.S).group(0)
    link = re.search(r'<a href="/mes-documents/".*?</a>', nav, re.S).group(0)
    badge = re.search(r'<span class="count-badge"><span aria-hidden="true">(\d+)</span>', link)
    return badge.group(1) if badge else ""


def test_the_unread_badge_counts_the_managers_messages_not_opened_yet(
    member_client, member, other_member, insurer_manager
):
    asked = submit(member)
    ask(asked, insurer_manager)
    answered = submit(member)
    resolve(answered, insurer_manager)
    resolve(submit(other_member), insurer_manager)  # someone else's
    assert unread_badge(page_text(member_client.get("/demandes/"))) == "2"

    member_client.get(detail_url(answered))
    page = page_text(member_client.get("/demandes/"))
    assert unread_badge(page) == "1"
    assert "(1 réponse non lue)" in page

    write(member_client, asked, "Voici le complément.")  # their own message counts for nothing
    member_client.get(detail_url(asked))
    assert unread_badge(page_text(member_client.get("/demandes/"))) == ""


# -- What the QA pass asked for ------------------------------------------------------------------
def test_a_resolved_request_shows_its_answer_first(client, member, insurer_manager):
    sent = submit(member)
    resolve(sent, insurer_manager, "Votre carte vous a été envoyée par courrier.")
    _sign_in(client, member.user)

    page = page_text(client.get(detail_url(sent)))

    answer_at = page.index("Réponse de nos gestionnaires")
    assert answer_at < page.index("Ce que vous avez envoyé")
    assert page.index("Votre carte vous a été envoyée par courrier.") < page.index(
        "Ce que vous avez envoyé"
    )


def test_a_request_with_its_twenty_files_says_so_and_still_takes_text(client, member):
    uploads = [
        stored_file_create(uploaded=a_pdf(f"piece-{n}.pdf"), rules=SEND_DOCUMENT, by=member.user)
        for n in range(5)
    ]
    sent = submit(member, attachments=uploads)
    for round_ in range(3):
        files = [
            stored_file_create(
                uploaded=a_pdf(f"suite-{round_}-{n}.pdf"), rules=SEND_DOCUMENT, by=member.user
            )
            for n in range(5)
        ]
        case_move(case=sent, move="write", by=member.user, text=f"Lot {round_}", attachments=files)
    _sign_in(client, member.user)

    page = page_text(client.get(detail_url(sent)))

    assert "Cette demande compte déjà 20 pièces jointes, le maximum" in page
    assert 'type="file"' not in page
    response = client.post(detail_url(sent), {"text": "Et une précision, sans fichier."})
    assert response.status_code == 302
    assert messages_of(sent).last().text == "Et une précision, sans fichier."


def test_the_answer_form_mentions_the_email_box_only_where_there_is_one(
    client, member, insurer_manager
):
    _sign_in(client, insurer_manager)
    document = submit(member, kind=RequestKind.DOCUMENT)
    take(document, insurer_manager)
    question = submit(member, kind=RequestKind.QUESTION)
    take(question, insurer_manager)

    on_document = page_text(client.get(f"{QUEUE}{document.pk}/resoudre/"))
    on_question = page_text(client.get(f"{QUEUE}{question.pk}/resoudre/"))
    on_ask = page_text(client.get(f"{QUEUE}{question.pk}/demander-un-complement/"))

    assert "cochez la case" not in on_document
    assert "ne contient jamais ce texte" in on_document
    assert "Envoyer aussi le texte" not in on_document
    assert "sauf si vous cochez la case ci-dessous" in on_question
    assert "Envoyer aussi le texte de la réponse par email" in on_question
    assert "Envoyer aussi le texte de la demande de complément par email" in on_ask
    assert "Fichiers envoyés par le demandeur" in on_question and "0 sur 20 au plus" in on_question
