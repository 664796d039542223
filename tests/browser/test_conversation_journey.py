"""The conversation between a requester and the insurer's managers, end to end in Chromium, on
a desktop and on a phone: a manager asks for a missing document, the requester is emailed,
answers with a file on the request's page, the manager resolves; the member reads and downloads
the answer 20 days later; the same loop for a technician on an ODS; a member cancels a new
request; a contact-form answer arrives as text in the email."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import CaseMessage
from casework.services import case_move
from documents.models import StoredFile
from documents.rules import SEND_DOCUMENT
from documents.services import stored_file_create, stored_files_purge_expired
from partners.catalogue import Service
from partners.models import PartnerRequest
from requests_app.models import MemberRequest
from requests_app.services import member_request_submit
from tests.browser.conftest import assert_fits_width, open_signed_in
from tests.factories import make_partner_request
from tests.test_uploads import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOOSE_LABEL = "Sélectionner l'organisme sur lequel vous souhaitez vous connecter."


def _admin_open(new_page, live_server, manager, queue, reference):
    admin = open_signed_in(new_page, live_server, manager, queue)
    admin.get_by_role("link", name=reference).click()
    admin.wait_for_url(re.compile(r"/change/$"))
    return admin


def _admin_move(admin, move, label, text, file_name=None):
    """A move with a message in the admin: its page, the text, maybe a file, sent."""
    admin.get_by_role("link", name=move).first.click()
    admin.get_by_label(label).fill(text)
    if file_name:
        admin.set_input_files(
            "input[type=file]",
            files=[{"name": file_name, "mimeType": "application/pdf", "buffer": pdf_bytes()}],
        )
        admin.get_by_role("button", name=f"Retirer « {file_name} »").wait_for()
    submit = (
        "Envoyer la réponse et résoudre"
        if move == "Résoudre"
        else ("Envoyer la demande de complément")
    )
    admin.get_by_role("button", name=submit).click()
    admin.wait_for_url(re.compile(r"/change/$"))


def _attach(page, file_name):
    page.set_input_files(
        "input[type=file]",
        files=[{"name": file_name, "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.get_by_role("button", name=f"Retirer « {file_name} »").wait_for()


def _twenty_days_pass():
    """Everything sent so far was sent 20 days ago; the purge job runs."""
    earlier = timedelta(days=20)
    for stored in StoredFile.objects.exclude(attached_at=None):
        StoredFile.objects.filter(pk=stored.pk).update(
            created_at=stored.created_at - earlier,
            attached_at=stored.attached_at - earlier,
            expires_at=stored.expires_at - earlier if stored.expires_at else None,
        )
    for message in CaseMessage.objects.all():
        CaseMessage.objects.filter(pk=message.pk).update(created_at=message.created_at - earlier)
    stored_files_purge_expired()


def test_a_member_answers_a_complement_asked_and_downloads_the_answer_20_days_later(
    new_page, live_server, member, insurer_manager, outbox, viewport
):
    invoice = stored_file_create(
        uploaded=SimpleUploadedFile("facture.pdf", pdf_bytes()), rules=SEND_DOCUMENT,
        by=member.user,
    )  # fmt: skip
    sent = member_request_submit(
        member=member, kind="document", by=member.user, topic="invoice", topic_label="Facture",
        message="Facture de kinésithérapie.", attachments=[invoice],
    )  # fmt: skip

    # The manager takes it and asks for the prescription.
    queue = "/gestion/requests_app/memberrequest/"
    admin = _admin_open(new_page, live_server, insurer_manager, queue, sent.reference)
    admin.get_by_role("button", name="Prendre en charge").click()
    admin.get_by_text("est prise en charge par vous").wait_for()
    _admin_move(
        admin, "Demander un complément", "Ce qu'il manque pour traiter la demande",
        "Merci de nous envoyer l'ordonnance de votre médecin.",
    )  # fmt: skip
    assert not admin.get_by_label("Envoyer aussi le texte de la réponse par email").count()

    # The member is emailed once, without the text, and opens the request from the link.
    email = outbox.last("email", to=member.email)
    assert email.subject == f"Votre demande {sent.reference} : un complément vous est demandé"
    assert "ordonnance" not in email.text
    page = open_signed_in(new_page, live_server, member.user, email.link())
    page.get_by_role("heading", name="Nos gestionnaires ont besoin d'un complément").wait_for()
    assert page.get_by_text(
        "Merci de nous envoyer l'ordonnance de votre médecin."
    ).first.is_visible()
    assert page.locator(".page-heading").get_by_text("En attente de votre réponse").is_visible()
    assert_fits_width(page)

    # The member answers with the prescription.
    page.get_by_role("link", name="Répondre").click()
    page.get_by_label("Votre réponse").fill("Voici l'ordonnance.")
    _attach(page, "ordonnance.pdf")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.get_by_text("Votre message a bien été envoyé.").wait_for()
    assert page.locator(".page-heading").get_by_text("Pris en charge").is_visible()
    reply = page.locator(".thread-requester", has_text="Voici l'ordonnance.")
    assert reply.get_by_text("Pas encore lu").is_visible()
    assert_fits_width(page)

    # In the queue it comes back first, marked; the manager reads it and resolves.
    admin.goto(queue)
    first_row = admin.locator("#result_list tbody tr").first
    assert first_row.get_by_text(sent.reference).is_visible()
    assert first_row.get_by_text("Réponse reçue").is_visible()
    admin.get_by_role("link", name=sent.reference).click()
    admin.get_by_text("Voici l'ordonnance.").wait_for()
    admin.get_by_role("link", name=re.compile("ordonnance.pdf")).first.wait_for()
    _admin_move(
        admin, "Résoudre", "Réponse à l'adhérent",
        "Votre séance est remboursée : le décompte est joint.", "decompte.pdf",
    )  # fmt: skip
    assert MemberRequest.objects.get(pk=sent.pk).status == "resolved"
    page.reload()
    assert reply.get_by_text(re.compile(r"^Lu le ")).is_visible()

    # 20 days later the answer and its file are still there.
    _twenty_days_pass()
    page.goto("/mes-documents/historique-des-mails/")
    answer = page.locator(".answer-item", has_text="Votre séance est remboursée").first
    answer.wait_for()
    assert page.locator(".answer-item", has_text="Merci de nous envoyer l'ordonnance").count()
    with page.expect_download() as download_info:
        answer.get_by_role("link", name="Télécharger « decompte.pdf »").click()
    assert download_info.value.suggested_filename == "decompte.pdf"
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read() == pdf_bytes()
    assert_fits_width(page)


def test_a_technician_answers_the_complement_an_organism_asks(
    new_page, live_server, technician, organism, convention, organism_manager, outbox, viewport
):
    sent = make_partner_request(
        technician=technician, organism=organism, service=Service.CASE_STUDY,
        motif="aide_financiere", comment="Demande de rééquilibrage budgétaire.",
    )  # fmt: skip
    queue = "/gestion/partners/partnerrequest/"
    admin = _admin_open(new_page, live_server, organism_manager, queue, sent.number)
    admin.get_by_role("button", name="Prendre en charge").click()
    admin.get_by_text("est prise en charge par vous").wait_for()
    _admin_move(
        admin, "Demander un complément", "Complément demandé au partenaire",
        "Merci de joindre l'avis d'imposition de l'assurée.",
    )  # fmt: skip

    email = outbox.last("email", to=technician.email)
    assert email.subject == (
        f"Votre demande {sent.number} : l'organisme vous demande un complément"
    )
    assert "avis d'imposition" not in email.text

    page = open_signed_in(new_page, live_server, technician, "/partenaires/")
    page.get_by_label(CHOOSE_LABEL).select_option(label="CPAM GIRONDE")
    page.get_by_role("button", name="Valider").click()
    page.locator(".ods-card").first.wait_for()
    page.goto(f"/partenaires/historique/{sent.number}/")
    page.get_by_role(
        "heading", name="L'organisme CPAM GIRONDE vous demande un complément"
    ).wait_for()
    assert page.get_by_text("Merci de joindre l'avis d'imposition de l'assurée.").first.is_visible()
    assert_fits_width(page)
    page.get_by_label("Votre complément").fill("Avis d'imposition joint.")
    _attach(page, "avis-imposition.pdf")
    page.get_by_role("button", name="Envoyer le complément").click()
    page.get_by_text("Votre complément a bien été envoyé à l'organisme.").wait_for()
    assert PartnerRequest.objects.get(pk=sent.pk).status == "in_progress"
    # The files sent stay names only, as the guide says.
    sent_files = page.locator(".ph-files").first
    assert sent_files.get_by_text("avis-imposition.pdf").is_visible()
    assert sent_files.get_by_role("link").count() == 0
    assert_fits_width(page)

    admin.reload()
    admin.get_by_text("Avis d'imposition joint.").wait_for()
    _admin_move(
        admin, "Résoudre", "Réponse au partenaire", "Les droits sont ouverts.", "attestation.pdf"
    )
    assert outbox.last("email", to=technician.email).subject == (
        f"Une réponse a été apportée à votre demande {sent.number}"
    )
    page.reload()
    page.get_by_text("Les droits sont ouverts.").first.wait_for()
    received = page.get_by_role("link", name="attestation.pdf", exact=True)
    assert received.is_visible()
    expiry = (timezone.localdate() + timedelta(days=15)).strftime("%d/%m/%Y")
    assert page.get_by_text(re.compile(f"jusqu'au {expiry}")).first.is_visible()
    assert_fits_width(page)


def test_the_confirmation_of_a_reply_is_on_screen_after_following_repondre(
    new_page, live_server, member, insurer_manager, viewport
):
    """ "Répondre" jumps to the form at the foot of the page (#repondre); once the reply is
    sent, the page must not come back there, on an empty form with the confirmation far above:
    the member would think nothing was sent and write again."""
    sent = member_request_submit(
        member=member, kind="question", by=member.user, topic="card",
        topic_label="Ma carte de tiers payant", message="Où est ma carte ?",
    )  # fmt: skip
    case_move(case=sent, move="take", by=insurer_manager)
    case_move(case=sent, move="ask", by=insurer_manager, text="Quel est votre numéro ?")
    page = open_signed_in(new_page, live_server, member.user, f"/demandes/{sent.reference}/")
    page.get_by_role("link", name="Répondre", exact=True).click()
    page.get_by_label("Votre réponse").fill("Le 100001.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    confirmation = page.get_by_text("Votre message a bien été envoyé.")
    confirmation.wait_for()
    expect(confirmation).to_be_in_viewport()
    expect(page.locator(".page-heading").get_by_text("Pris en charge")).to_be_in_viewport()


def test_a_member_cancels_a_new_request(new_page, live_server, member, viewport):
    sent = member_request_submit(
        member=member, kind="question", by=member.user, topic="card",
        topic_label="Ma carte de tiers payant", message="Je l'ai déjà retrouvée.",
    )  # fmt: skip
    page = open_signed_in(new_page, live_server, member.user, f"/demandes/{sent.reference}/")
    page.get_by_role("link", name="Annuler la demande").click()
    page.get_by_role("heading", name=f"Annuler la demande {sent.reference}").wait_for()
    page.get_by_role("button", name="Confirmer l'annulation").click()
    assert page.get_by_text("Sélectionnez le motif de l'annulation.").first.is_visible()
    page.get_by_label("Ma demande n'est plus utile").check()
    assert_fits_width(page)
    page.get_by_role("button", name="Confirmer l'annulation").click()
    page.get_by_text(f"Votre demande {sent.reference} est annulée.").wait_for()
    assert page.locator(".page-heading").get_by_text("Annulé").is_visible()
    assert page.get_by_text("Ma demande n'est plus utile").is_visible()
    assert page.get_by_role("link", name="Annuler la demande").count() == 0
    page.goto("/demandes/")
    row = page.locator(".request-row", has_text=sent.reference)
    assert row.get_by_text("Annulé").is_visible()
    assert_fits_width(page)


def test_a_contact_form_answer_arrives_as_text_in_the_mailbox(
    new_page, live_server, member, insurer_manager, outbox, viewport
):
    page = open_signed_in(new_page, live_server, member.user, "/contact/")
    page.get_by_label("Objet").select_option(index=1)
    page.get_by_label("Votre message").fill("Pouvez-vous me rappeler mon numéro de contrat ?")
    page.get_by_role("button", name=re.compile("^Envoyer")).click()
    page.wait_for_load_state()
    sent = MemberRequest.objects.get(member=member)
    assert sent.contact_form

    queue = "/gestion/requests_app/memberrequest/"
    admin = _admin_open(new_page, live_server, insurer_manager, queue, sent.reference)
    admin.get_by_role("button", name="Prendre en charge").click()
    admin.get_by_text("est prise en charge par vous").wait_for()
    admin.get_by_role("link", name="Résoudre").first.click()
    box = admin.get_by_label("Envoyer aussi le texte de la réponse par email")
    assert box.is_checked()
    assert admin.get_by_text("n'y écrivez aucune donnée de santé").is_visible()
    admin.get_by_label("Réponse à l'adhérent").fill("Votre contrat porte le numéro CT-2024001.")
    admin.get_by_role("button", name="Envoyer la réponse et résoudre").click()
    admin.wait_for_url(re.compile(r"/change/$"))

    email = outbox.last("email", to=member.email)
    assert "Votre contrat porte le numéro CT-2024001." in email.text
    assert "Votre contrat porte le numéro CT-2024001." in email.html
