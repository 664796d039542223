"""The attachments widget in a real browser: drop files, watch them upload, remove one, pick
another, come back from an error with every file still attached, send (guide 000, "Envoyer un
document": 5 files, 5 Mo each, JPEG, JPG, PNG, PDF)."""

import base64
import re

import pytest
from django.conf import settings
from django.test import Client

from documents.models import StoredFile
from requests_app.models import MemberRequest
from tests.browser.conftest import assert_fits_width, open_signed_in
from tests.test_access_matrix import _sign_in
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/demandes/envoyer-un-document/"
FILE_INPUT = "input[type=file][name=files_files]"

# Real drag-and-drop events, carrying real files, dispatched on the drop zone.
DROP = """([files]) => {
  const zone = document.querySelector("[data-dropzone]");
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name, {type: file.type}));
  }
  for (const type of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(
      new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: transfer})
    );
  }
}"""


def _drop(page, *files):
    # Once the script has set the zone up (on a busy machine the page's script may still be
    # starting when the test is ready to drop).
    page.locator(".uploader.is-enhanced [data-dropzone]").first.wait_for()
    payload = [
        {"name": name, "type": kind, "content": base64.b64encode(content).decode()}
        for name, kind, content in files
    ]
    page.evaluate(DROP, [payload])


def _open_signed_in(new_page, live_server, member, path=URL):
    return open_signed_in(new_page, live_server, member.user, path)


def _row(page, name):
    return page.locator(".upload-item", has=page.locator(".upload-name", has_text=name))


def _attached_ids(page):
    return page.eval_on_selector_all(
        "input[type=hidden][name=files]", "inputs => inputs.map((i) => i.value)"
    )


def test_a_member_drops_removes_picks_and_sends_files(new_page, live_server, member, viewport):
    page = _open_signed_in(new_page, live_server, member)
    # Nothing can be dropped on a phone: only "Parcourir…" is offered there (issue 16).
    drop = page.get_by_text("Glissez-déposez vos fichiers ici ou")
    assert drop.is_visible() == (viewport == "desktop")
    browse = page.get_by_role("button", name="Parcourir…")
    assert browse.is_visible()
    assert page.get_by_text("Aucune pièce jointe enregistrée.").is_visible()
    assert_fits_width(page)

    # Two files dropped on the zone: each uploads with its own progress bar.
    _drop(
        page,
        ("facture.pdf", "application/pdf", pdf_bytes(300_000)),
        ("ordonnance.png", "image/png", image_bytes("PNG")),
    )
    for name in ("facture.pdf", "ordonnance.png"):
        page.get_by_role("button", name=f"Retirer « {name} »").wait_for()
        progress = _row(page, name).locator("progress")
        assert progress.get_attribute("aria-label") == f"Envoi de « {name} »"
        assert progress.evaluate("p => p.value === p.max")
    assert len(_attached_ids(page)) == 2
    assert page.get_by_text("Aucune pièce jointe enregistrée.").is_hidden()
    assert_fits_width(page)
    # On a touch screen "Retirer" is a finger's target (44 x 44 CSS px at least).
    box = page.get_by_role("button", name="Retirer « facture.pdf »").bounding_box()
    if viewport == "phone":
        assert box["height"] >= 44 and box["width"] >= 44, box

    # Removing one takes it off the list and off the server.
    page.get_by_role("button", name="Retirer « ordonnance.png »").click()
    _row(page, "ordonnance.png").wait_for(state="detached")
    assert not StoredFile.objects.filter(original_name="ordonnance.png").exists()

    # Another through the file picker; the input is emptied so nothing is sent twice.
    page.set_input_files(
        FILE_INPUT,
        files=[
            {"name": "attestation.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")}
        ],
    )
    page.get_by_role("button", name="Retirer « attestation.jpg »").wait_for()
    assert page.eval_on_selector(FILE_INPUT, "input => input.files.length") == 0
    ids = _attached_ids(page)
    assert len(ids) == 2

    # The "eye" opens the file as stored, in a new tab.
    preview = page.get_by_role("link", name="Voir « facture.pdf »")
    assert re.fullmatch(r"/documents/[0-9a-f-]{36}/voir/", preview.get_attribute("href"))
    assert preview.get_attribute("target") == "_blank"
    assert page.get_by_role("link", name="Voir « attestation.jpg »").is_visible()

    # A required field left empty: the page comes back with the files still attached.
    page.get_by_label("Type de demande").select_option("proof")
    page.get_by_label("Bénéficiaire concerné").select_option("self")
    page.get_by_role("button", name="Vérifier le résumé").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Le formulaire contient des erreurs").is_visible()
    assert sorted(_attached_ids(page)) == sorted(ids)
    assert _row(page, "facture.pdf").is_visible()
    assert _row(page, "attestation.jpg").is_visible()
    assert page.get_by_role("button", name="Retirer « facture.pdf »").is_visible()

    page.get_by_label("Type de soins").select_option("pharmacy")
    page.get_by_role("button", name="Vérifier le résumé").click()
    assert page.get_by_role("heading", name="Vérifier le résumé").is_visible()
    assert page.get_by_text(re.compile("facture.pdf")).is_visible()
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url(re.compile(r"/envoyee/$"))

    sent = MemberRequest.objects.get(member=member)
    assert sorted(f.original_name for f in sent.attachments.all()) == [
        "attestation.jpg",
        "facture.pdf",
    ]
    assert sorted(str(f.pk) for f in sent.attachments.all()) == sorted(ids)
    assert StoredFile.objects.count() == 2


def test_a_refused_file_is_named_in_a_french_message(new_page, live_server, member):
    page = _open_signed_in(new_page, live_server, member)

    # The browser passes it (a .pdf of the right size); the server reads its content.
    _drop(page, ("programme.pdf", "application/pdf", b"MZ" + b"\x90\x00" * 2000))
    errors = page.locator("[data-upload-errors]")
    errors.get_by_text("Le fichier « programme.pdf » n'est pas d'un type accepté").wait_for()
    assert errors.get_attribute("aria-live")
    assert _row(page, "programme.pdf").count() == 0
    assert not StoredFile.objects.exists()

    # Checked in the browser before any upload: the extension, the size.
    page.set_input_files(
        FILE_INPUT,
        files=[
            {"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ" * 10},
            {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(5 * 2**20 + 1)},
        ],
    )
    assert errors.get_by_text(
        "Le fichier « setup.exe » n'est pas d'un type accepté (JPEG, JPG, PNG, PDF)."
    ).is_visible()
    assert errors.get_by_text(
        "Le fichier « scan.pdf » dépasse la taille maximale de 5 Mo."
    ).is_visible()
    assert page.locator(".upload-item").count() == 0
    assert not StoredFile.objects.exists()
    assert_fits_width(page)


def test_the_form_waits_for_an_upload_in_progress(new_page, live_server, member):
    page = _open_signed_in(new_page, live_server, member)
    held = []  # the upload is held on its way until the test lets it through
    page.route("**/documents/televerser/**", lambda route: held.append(route))
    _drop(page, ("facture.pdf", "application/pdf", pdf_bytes()))
    while not held:
        page.wait_for_timeout(50)
    submit = page.get_by_role("button", name="Vérifier le résumé")
    assert submit.is_disabled()
    assert _row(page, "facture.pdf").locator("progress").is_visible()

    held[0].continue_()
    page.get_by_role("button", name="Retirer « facture.pdf »").wait_for()
    assert submit.is_enabled()


def test_the_widget_fits_a_320_pixel_screen_and_works_with_the_keyboard(
    new_page, live_server, member
):
    page = _open_signed_in(new_page, live_server, member)
    page.set_viewport_size({"width": 320, "height": 640})
    _drop(page, ("une facture au nom très long de pharmacie.pdf", "application/pdf", pdf_bytes()))
    page.get_by_role("button", name=re.compile("^Retirer")).wait_for()
    assert_fits_width(page)

    # The remove button is reached and used with the keyboard; focus then goes to "Parcourir…".
    remove = page.get_by_role("button", name=re.compile("^Retirer"))
    remove.focus()
    page.keyboard.press("Enter")
    page.locator(".upload-item").wait_for(state="detached")
    assert page.evaluate("document.activeElement.textContent") == "Parcourir…"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_without_javascript_the_files_go_with_the_form(browser, live_server, member):
    client = Client()
    _sign_in(client, member.user)
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        page = context.new_page()
        page.goto(URL)
        assert page.get_by_role("button", name="Parcourir…").count() == 0
        page.set_input_files(
            FILE_INPUT,
            files=[
                {"name": "facture.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
                {"name": "ordonnance.png", "mimeType": "image/png", "buffer": image_bytes("PNG")},
            ],
        )
        page.get_by_label("Type de demande").select_option("proof")
        page.get_by_role("button", name="Vérifier le résumé").click()

        # "Type de soins" was forgotten: both files are listed, ready to be sent or removed.
        assert page.get_by_role("heading", name="Le formulaire contient des erreurs").is_visible()
        assert len(_attached_ids(page)) == 2
        page.get_by_label("Retirer « ordonnance.png »").check()
        page.get_by_label("Type de soins").select_option("pharmacy")
        page.get_by_label("Bénéficiaire concerné").select_option("self")
        page.get_by_role("button", name="Vérifier le résumé").click()
        assert page.get_by_role("heading", name="Vérifier le résumé").is_visible()
        page.get_by_role("button", name="Envoyer la demande").click()
        page.wait_for_url(re.compile(r"/envoyee/$"))
    finally:
        context.close()

    sent = MemberRequest.objects.get(member=member)
    assert [f.original_name for f in sent.attachments.all()] == ["facture.pdf"]
    assert not StoredFile.objects.filter(original_name="ordonnance.png").exists()
