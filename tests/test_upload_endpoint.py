"""The widget's endpoints: upload one file (JSON), remove a pending one, view one inline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import StoredFile
from documents.rules import MB, PARTNER_REQUEST, SEND_DOCUMENT
from documents.services import stored_file_create
from requests_app.models import RequestKind
from requests_app.services import member_request_submit
from tests.helpers.storage import is_stored
from tests.test_access_matrix import _sign_in
from tests.test_uploads import image_bytes, office_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

UPLOAD = reverse("documents:upload", args=["envoi"])


def _upload(client, name, content, url=UPLOAD):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _stored(user, name="facture.pdf", content=None, rules=SEND_DOCUMENT):
    uploaded = SimpleUploadedFile(name, pdf_bytes() if content is None else content)
    return stored_file_create(uploaded=uploaded, rules=rules, by=user)


@pytest.fixture
def signed_in(client, member):
    _sign_in(client, member.user)
    return client


# -- Upload ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "previewable"),
    [
        ("ordonnance.png", image_bytes("PNG"), True),
        ("Facture été.pdf", pdf_bytes(), True),
    ],
)
def test_a_member_uploads_a_real_file_and_gets_its_description(
    signed_in, member, name, content, previewable
):
    response = _upload(signed_in, name, content)

    assert response.status_code == 201
    answer = response.json()
    stored = StoredFile.objects.get()
    assert answer["id"] == str(stored.pk)
    assert answer["name"] == name
    assert answer["size"] == len(content)
    assert answer["size_label"]
    assert answer["preview_url"] == reverse("documents:view", args=[stored.pk])
    assert answer["remove_url"] == reverse("documents:remove", args=[stored.pk])
    assert stored.uploaded_by == member.user
    assert stored.is_pending
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_file_the_browser_cannot_show_is_opened_as_a_download(client, technician):
    """ "Voir" for a .docx too (guide 001's list of attachments): the file is downloaded."""
    _sign_in(client, technician)
    url = reverse("documents:upload", args=[PARTNER_REQUEST.key])
    response = _upload(client, "convention.docx", office_bytes(), url=url)
    assert response.status_code == 201
    stored = StoredFile.objects.get()
    assert response.json()["preview_url"] == reverse("documents:view", args=[stored.pk])
    assert response.json()["previewable"] is False
    opened = client.get(response.json()["preview_url"])
    assert opened.status_code == 200
    assert opened["Content-Disposition"].startswith("attachment;")
    assert 'filename="convention.docx"' in opened["Content-Disposition"]
    assert b"".join(opened.streaming_content).startswith(b"PK")
    opened.close()


def test_a_docx_kept_in_a_form_sent_back_offers_voir(partner_client, technician):
    from partners.catalogue import Service
    from tests.test_partner_ods import url_of, valid

    url = reverse("documents:upload", args=[PARTNER_REQUEST.key])
    kept = _upload(partner_client, "PJ1.docx", office_bytes(), url=url).json()["id"]
    response = partner_client.post(
        url_of(Service.CASE_STUDY), {**valid(Service.CASE_STUDY, last_name="X1"), "files": [kept]}
    )
    page = response.content.decode()
    view = reverse("documents:view", args=[kept])
    assert f'<a class="upload-preview" href="{view}" target="_blank" rel="noopener" download>' in (
        page
    )


def test_an_executable_renamed_pdf_is_refused_with_a_french_message(signed_in):
    response = _upload(signed_in, "facture.pdf", b"MZ" + b"\x90\x00" * 2000)

    assert response.status_code == 400
    assert response.json() == {
        "error": "Le fichier « facture.pdf » n'est pas d'un type accepté (JPEG, JPG, PNG, PDF)."
    }
    assert not StoredFile.objects.exists()


def test_a_file_of_5_mb_and_one_byte_is_refused(signed_in):
    response = _upload(signed_in, "scan.pdf", pdf_bytes(5 * MB + 1))

    assert response.status_code == 400
    assert response.json()["error"] == "Le fichier « scan.pdf » dépasse la taille maximale de 5 Mo."
    assert not StoredFile.objects.exists()


def test_a_request_without_a_file_is_answered_in_french(signed_in):
    response = signed_in.post(UPLOAD, {})
    assert response.status_code == 400
    assert response.json()["error"] == "Aucun fichier n'a été reçu."


def test_an_unknown_rules_key_is_a_404(signed_in):
    url = reverse("documents:upload", args=["inconnu"])
    assert _upload(signed_in, "facture.pdf", pdf_bytes(), url=url).status_code == 404
    assert not StoredFile.objects.exists()


def test_only_managers_upload_with_the_rules_of_answers(signed_in, client, insurer_manager):
    url = reverse("documents:upload", args=["reponse"])
    assert _upload(signed_in, "lettre.pdf", pdf_bytes(), url=url).status_code == 404

    _sign_in(client, insurer_manager)
    assert _upload(client, "lettre.pdf", pdf_bytes(), url=url).status_code == 201


def test_an_anonymous_visitor_is_told_to_sign_in_again(client):
    # A JSON 401 (not a redirect to the sign-in page) lets the widget say the session ended
    # rather than "vérifiez votre connexion" (issue 14).
    response = _upload(client, "facture.pdf", pdf_bytes())
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert not StoredFile.objects.exists()


def test_the_upload_endpoint_only_takes_posts(signed_in):
    assert signed_in.get(UPLOAD).status_code == 405


def test_uploads_stop_at_the_pending_limit(signed_in, member, settings):
    settings.UPLOAD_PENDING_LIMIT = 8
    for number in range(8):
        assert _upload(signed_in, f"page{number}.pdf", pdf_bytes()).status_code == 201

    response = _upload(signed_in, "page9.pdf", pdf_bytes())

    assert response.status_code == 400
    assert response.json()["error"] == (
        "Le fichier « page9.pdf » n'a pas été joint : trop de fichiers sont en attente d'envoi. "
        "Envoyez ou abandonnez vos autres demandes."
    )
    assert StoredFile.objects.filter(uploaded_by=member.user).count() == 8


def test_files_sent_with_a_request_no_longer_count_as_pending(signed_in, member, settings):
    settings.UPLOAD_PENDING_LIMIT = 8
    files = [_stored(member.user, f"page{n}.pdf") for n in range(8)]
    member_request_submit(
        member=member, kind=RequestKind.DOCUMENT, by=member.user, attachments=files
    )
    assert _upload(signed_in, "suite.pdf", pdf_bytes()).status_code == 201


# -- Remove ----------------------------------------------------------------------------------
def _remove(client, stored):
    return client.post(reverse("documents:remove", args=[stored.pk]))


def test_a_member_removes_their_pending_file(signed_in, member):
    stored = _stored(member.user)
    path = stored.file.name

    response = _remove(signed_in, stored)

    assert response.status_code == 200
    assert response.json() == {"removed": str(stored.pk)}
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert not is_stored(path)


def test_a_member_cannot_remove_another_members_file(signed_in, other_member):
    theirs = _stored(other_member.user)

    assert _remove(signed_in, theirs).status_code == 404
    assert StoredFile.objects.filter(pk=theirs.pk).exists()
    assert is_stored(theirs.file.name)


def test_a_file_sent_with_a_request_cannot_be_removed(signed_in, member):
    stored = _stored(member.user)
    member_request_submit(
        member=member, kind=RequestKind.DOCUMENT, by=member.user, attachments=[stored]
    )

    assert _remove(signed_in, stored).status_code == 404
    stored.refresh_from_db()
    assert stored.deleted_at is None
    assert is_stored(stored.file.name)


def test_removing_needs_a_post_and_a_signed_in_person(client, member):
    stored = _stored(member.user)
    assert _remove(client, stored).status_code == 401
    _sign_in(client, member.user)
    assert client.get(reverse("documents:remove", args=[stored.pk])).status_code == 405
    assert StoredFile.objects.filter(pk=stored.pk).exists()


# -- View inline (the "eye") -------------------------------------------------------------------
def _view(client, stored):
    return client.get(reverse("documents:view", args=[stored.pk]))


def test_an_image_is_shown_inline_in_a_sandbox(signed_in, member):
    stored = _stored(member.user, "ordonnance.png", image_bytes("PNG"))

    response = _view(signed_in, stored)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes("PNG")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert response["Cache-Control"] == "private, no-store"


def test_a_pdf_is_shown_inline(signed_in, member):
    stored = _stored(member.user)
    response = _view(signed_in, stored)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_type_the_browser_cannot_show_is_downloaded(client, technician):
    stored = _stored(technician, "convention.docx", office_bytes(), rules=PARTNER_REQUEST)
    _sign_in(client, technician)

    response = _view(client, stored)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_nobody_else_views_a_file(signed_in, other_member):
    theirs = _stored(other_member.user, "ordonnance.png", image_bytes("PNG"))
    response = _view(signed_in, theirs)
    assert response.status_code == 404
    assert "ordonnance" not in response.content.decode()
