"""Contact (guides 002, 003): the phone line from the white-label settings, and an email form
whose message goes to the managers as a secure-messaging request."""

import re
from html import unescape

import pytest

from casework.services import case_move
from portal.models import Branding
from requests_app.models import MemberRequest, RequestKind
from tests.test_access_matrix import _sign_in
from tests.test_request_document import a_pdf, kept_file_ids
from tests.test_support_faq import page_of

pytestmark = pytest.mark.django_db

URL = "/contact/"
MESSAGE = "Bonjour,\r\nmon dernier remboursement de kinésithérapie n'est pas arrivé.\r\nMerci."


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


def field_errors(page: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="id_{name}_error">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def test_the_page_gives_the_phone_line_and_opening_hours_of_the_insurer(member_client):
    branding = Branding.current()
    branding.contact_phone = "01 44 20 97 80"
    branding.opening_hours = "du lundi au vendredi de 8h30 à 18h00"
    branding.save()
    page = page_of(member_client.get(URL))
    assert "Joignez-nous par e-mail ou par téléphone." in page
    assert '<a href="tel:0144209780">01 44 20 97 80</a>' in page
    assert "Nos conseillers vous accompagnent du lundi au vendredi de 8h30 à 18h00." in page
    assert (
        "Pour toute demande par e-mail, vous recevrez notre réponse directement dans votre "
        "boîte mail personnelle." in page
    )


def test_without_a_phone_line_the_page_says_to_write(member_client):
    page = page_of(member_client.get(URL))
    assert "Notre numéro de téléphone n'est pas encore indiqué : écrivez-nous par e-mail." in page


def test_the_message_becomes_a_request_in_the_members_history(
    member_client, member, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(URL, {"topic": "reimbursement", "message": MESSAGE})
    sent = MemberRequest.objects.get()
    assert response["Location"] == f"/contact/envoye/{sent.reference}/"
    assert sent.member == member and sent.submitted_by == member.user
    assert sent.kind == RequestKind.MESSAGE
    assert sent.contact_form  # its answer may go to the personal mailbox
    assert (sent.topic, sent.topic_label) == ("reimbursement", "Mes remboursements")
    assert sent.subject == "Contact : Mes remboursements"
    assert sent.message == MESSAGE.replace("\r\n", "\n")

    confirmation = page_of(member_client.get(response["Location"]))
    assert "Votre message a bien été envoyé." in confirmation
    assert sent.reference in confirmation
    assert "directement dans votre boîte mail personnelle" in confirmation
    assert member.user.email in confirmation

    history = page_of(member_client.get("/demandes/"))
    assert sent.reference in history
    mailbox = page_of(member_client.get("/messagerie/"))
    assert sent.reference in mailbox
    assert outbox.last("email", to=member.user.email).subject == (
        f"Nous avons bien reçu votre demande {sent.reference}"
    )


def test_the_managers_answer_reaches_the_personal_mailbox(
    member_client, member, insurer_manager, outbox, django_capture_on_commit_callbacks
):
    member_client.post(URL, {"topic": "card", "message": "Ma carte est-elle à jour ?"})
    sent = MemberRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        case_move(case=sent, move="take", by=insurer_manager)
        case_move(
            case=sent, move="resolve", by=insurer_manager, text="Oui, elle l'est.", email_text=True
        )
    email = outbox.last("email", to=member.user.email)
    assert email.subject == "Une réponse vous attend dans votre espace"
    assert "Oui, elle l'est." in email.text
    assert "Oui, elle l'est." in unescape(email.html)
    detail = page_of(member_client.get(f"/demandes/{sent.reference}/"))
    assert "Oui, elle l'est." in detail


def test_a_document_can_be_attached(member_client):
    response = member_client.post(
        URL,
        {"topic": "other", "message": "Voici mon justificatif.", "files_files": [a_pdf("rib.pdf")]},
    )
    assert response.status_code == 302
    sent = MemberRequest.objects.get()
    assert [f.original_name for f in sent.attachments.all()] == ["rib.pdf"]
    assert {"label": "Documents", "value": "rib.pdf"} in sent.details


def test_missing_fields_are_asked_for_next_to_each_one(member_client):
    page = page_of(member_client.post(URL, {"topic": "", "message": "  "}))
    assert "Le formulaire contient des erreurs" in page
    assert "Choisissez l'objet de votre message." in field_errors(page, "topic")
    assert "Écrivez votre message." in field_errors(page, "message")
    assert not MemberRequest.objects.exists()


def test_bad_input_keeps_what_was_typed_and_the_files(member_client):
    response = member_client.post(
        URL, {"topic": "", "message": MESSAGE, "files_files": [a_pdf("facture.pdf")]}
    )
    page = page_of(response)
    assert "Choisissez l'objet de votre message." in field_errors(page, "topic")
    assert "mon dernier remboursement de kinésithérapie n'est pas arrivé." in page
    assert len(kept_file_ids(response)) == 1
    assert "facture.pdf" in page
    # Sent again with the object chosen, the stored file goes with it.
    again = member_client.post(
        URL, {"topic": "reimbursement", "message": MESSAGE, "files": kept_file_ids(response)}
    )
    assert again.status_code == 302
    assert [f.original_name for f in MemberRequest.objects.get().attachments.all()] == [
        "facture.pdf"
    ]


def test_a_message_over_5000_characters_is_refused_and_kept(member_client):
    typed = "a" * 5001
    page = page_of(member_client.post(URL, {"topic": "other", "message": typed}))
    assert "Votre message ne peut pas dépasser 5000 caractères (il en compte 5001)." in (
        field_errors(page, "message")
    )
    assert typed in page
    assert not MemberRequest.objects.exists()


def test_line_breaks_count_as_one_character(member_client):
    typed = ("a" * 99 + "\r\n") * 50  # 5000 characters as the browser counts them
    response = member_client.post(URL, {"topic": "other", "message": typed})
    assert response.status_code == 302


def test_an_unknown_object_is_refused(member_client):
    page = page_of(member_client.post(URL, {"topic": "lottery", "message": "Bonjour"}))
    assert field_errors(page, "topic")
    assert not MemberRequest.objects.exists()


def test_the_confirmation_of_another_members_message_is_not_found(client, member, other_member):
    _sign_in(client, member.user)
    client.post(URL, {"topic": "other", "message": "Bonjour"})
    reference = MemberRequest.objects.get().reference
    client.logout()
    _sign_in(client, other_member.user)
    assert client.get(f"/contact/envoye/{reference}/").status_code == 404
