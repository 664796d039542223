"""Guide 000 end to end: a member sends a document with two files dropped on the page, follows
it in "Échanger avec nous", a manager takes it and answers it in the admin with a file, and the
member reads the answer and downloads its file from "Mes documents" > "Historique des mails"."""

import re

import pytest

from requests_app.models import MemberRequest
from tests.browser.conftest import assert_fits_width, open_menu, open_signed_in
from tests.browser.test_upload_widget import _drop
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_document_sent_answered_in_the_admin_and_the_answer_downloaded(
    new_page, live_server, member, insurer_manager, outbox, viewport
):
    # The member sends an invoice for their child with two files dropped on the page.
    page = open_signed_in(new_page, live_server, member.user, "/")
    page.get_by_role("link", name=re.compile(r"^Envoyer un document")).click()
    page.get_by_label("Type de demande").select_option(label="Facture")
    page.get_by_label("Type de soins").select_option(label="Pharmacie")
    page.get_by_label("Bénéficiaire concerné").select_option(label="Lucas MARTIN")
    page.get_by_label("Date des soins").fill("02/11/2026")
    page.get_by_label("Montant de la facture (€)").fill("42,80")
    _drop(
        page,
        ("facture-pharmacie.pdf", "application/pdf", pdf_bytes()),
        ("ordonnance.jpg", "image/jpeg", image_bytes("JPEG")),
    )
    page.get_by_role("button", name="Retirer « facture-pharmacie.pdf »").wait_for()
    page.get_by_role("button", name="Retirer « ordonnance.jpg »").wait_for()
    assert_fits_width(page)
    page.get_by_role("button", name="Vérifier le résumé").click()

    page.get_by_role("heading", name="Vérifier le résumé").wait_for()
    assert page.get_by_text("42,80 €").is_visible()
    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_text("La demande a bien été envoyée ! Il n'y a rien de plus à faire.").wait_for()
    sent = MemberRequest.objects.get(member=member)
    assert sent.attachments.count() == 2

    # It is in the history, "Nouveau", about Lucas.
    open_menu(page)
    page.get_by_role("link", name="Échanger avec nous").first.click()
    row = page.locator(".request-row", has_text=sent.reference)
    row.wait_for()
    assert row.get_by_text("Nouveau").is_visible()
    assert row.get_by_text("Lucas MARTIN").is_visible()
    assert_fits_width(page)

    # A manager finds it in the queue, opens the files, answers with a letter.
    admin = open_signed_in(
        new_page, live_server, insurer_manager, "/gestion/requests_app/memberrequest/"
    )
    admin.get_by_role("link", name=sent.reference).click()
    admin.wait_for_url(re.compile(r"/change/$"))
    admin.get_by_role("link", name=re.compile("facture-pharmacie.pdf")).first.wait_for()
    admin.get_by_role("button", name="Prendre en charge").click()
    admin.get_by_text("est prise en charge par vous").wait_for()
    admin.get_by_role("link", name="Résoudre").first.click()
    admin.get_by_label("Réponse à l'adhérent").fill(
        "Bonjour, votre facture est remboursée. Le décompte est joint."
    )
    admin.set_input_files(
        "input[type=file]",
        files=[{"name": "decompte.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    admin.get_by_role("button", name="Retirer « decompte.pdf »").wait_for()
    admin.get_by_role("button", name="Envoyer la réponse et résoudre").click()
    admin.wait_for_url(re.compile(r"/change/$"))
    sent.refresh_from_db()
    assert sent.status == "resolved"

    # The member is told by email, without the answer, and reads it in their space.
    email = outbox.last("email", to=member.email)
    assert email.subject == "Une réponse vous attend dans votre espace"
    assert "remboursée" not in email.text
    page.goto(email.link())
    page.get_by_text("votre facture est remboursée").first.wait_for()

    open_menu(page)
    page.get_by_role("link", name=re.compile("^Mes documents")).first.click()
    page.get_by_role("link", name="Historique des mails").first.click()
    page.wait_for_url(re.compile(r"/historique-des-mails/$"))
    answer = page.locator(".answer-item").first
    assert answer.get_by_text(sent.reference).is_visible()
    with page.expect_download() as download_info:
        answer.get_by_role("link", name="Télécharger « decompte.pdf »").click()
    download = download_info.value
    assert download.suggested_filename == "decompte.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == pdf_bytes()
    assert_fits_width(page)


@pytest.mark.parametrize("viewport", ["phone"])
def test_on_a_small_phone_a_search_of_the_requests_opens_on_its_results(
    new_page, live_server, member
):
    """At 320 x 640 the search form fills the screen: after "Rechercher" the page comes back
    on the requests found, not on the form with the first of them below the fold."""
    from playwright.sync_api import expect

    from requests_app.services import member_request_submit

    for topic, label in (("card", "Ma carte de tiers payant"), ("contract", "Mon contrat")):
        member_request_submit(
            member=member, kind="question", by=member.user, topic=topic, topic_label=label,
            message=f"Une question sur {label.lower()}.",
        )  # fmt: skip
    page = open_signed_in(new_page, live_server, member.user, "/messagerie/")
    page.set_viewport_size({"width": 320, "height": 640})
    page.get_by_label("Rechercher dans vos messages").fill("carte")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(re.compile(r"recherche=carte"))
    page.wait_for_load_state("load")
    expect(page.locator(".result-count")).to_have_text("1 demande")
    expect(page.locator(".request-row").first).to_be_in_viewport()
    assert_fits_width(page)

    # The same in "Échanger avec nous", filtered with "Afficher".
    page.goto("/demandes/")
    page.get_by_label("Rechercher dans vos demandes").fill("contrat")
    page.get_by_role("button", name="Afficher", exact=True).click()
    page.wait_for_url(re.compile(r"recherche=contrat"))
    page.wait_for_load_state("load")
    expect(page.locator(".result-count")).to_have_text("1 demande")
    expect(page.locator(".request-row").first).to_be_in_viewport()
