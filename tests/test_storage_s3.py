"""Files on S3-compatible object storage (STORAGE_URL): a real SeaweedFS gateway.

Upload, download through the checked view, purge; and SeaweedFS stopped during an upload: the
person is told in French, nothing is half-stored, and the same upload works once it is back.
"""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reportlab.pdfgen import canvas

from documents.models import StoredFile
from documents.services import stored_files_purge_expired
from tests.conftest import use_object_storage

pytestmark = pytest.mark.django_db

UPLOAD = reverse("documents:upload", args=["envoi"])
FORM = "/demandes/envoyer-un-document/"
NOT_STORED = "n'a pas pu être enregistré pour le moment. Réessayez dans quelques minutes"


def _pdf(text: str = "Facture") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def on_seaweedfs(settings, seaweedfs):
    """This test's files on SeaweedFS, under a prefix of their own (returned)."""
    prefix = use_object_storage(settings, seaweedfs)
    yield prefix
    if seaweedfs.process is None:  # a test that stopped it leaves it running for the others
        seaweedfs.start()


def test_an_upload_is_stored_as_an_object_and_downloaded_through_the_checked_view(
    signed_in_member, other_member, seaweedfs, on_seaweedfs
):
    content = _pdf("Ordonnance")

    response = signed_in_member.post(UPLOAD, {"file": _upload("ordonnance.pdf", content)})

    assert response.status_code == 201
    stored = StoredFile.objects.get(pk=response.json()["id"])
    keys = seaweedfs.keys(on_seaweedfs)
    assert keys == [f"{on_seaweedfs}/{stored.file.name}"]
    assert "ordonnance" not in keys[0]  # stored under a random name
    # Another member learns nothing of it.
    stranger = Client()
    stranger.force_login(other_member.user)
    assert stranger.get(reverse("documents:download", args=[stored.pk])).status_code == 404
    download = signed_in_member.get(reverse("documents:download", args=[stored.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Length"] == str(len(content))
    assert b"".join(download.streaming_content) == content
    download.close()


def test_the_purge_deletes_the_object(signed_in_member, settings, seaweedfs, on_seaweedfs):
    response = signed_in_member.post(UPLOAD, {"file": _upload("devis.pdf", _pdf())})
    assert response.status_code == 201
    assert len(seaweedfs.keys(on_seaweedfs)) == 1

    later = timezone.now() + settings.UPLOAD_ORPHAN_DELAY + timezone.timedelta(minutes=1)
    assert stored_files_purge_expired(now=later) == {"expired": 0, "orphans": 1}

    assert seaweedfs.keys(on_seaweedfs) == []
    assert not StoredFile.objects.exists()


def test_health_reports_the_object_storage(client, seaweedfs, on_seaweedfs, settings):
    from portal import views

    views._memo.clear()
    assert client.get("/health/").json()["checks"]["storage"] == "ok"
    seaweedfs.stop()
    views._memo.clear()

    body = client.get("/health/").json()

    assert body["checks"]["storage"].startswith("error")
    seaweedfs.start()
    views._memo.clear()
    assert client.get("/health/").json()["checks"]["storage"] == "ok"


def _invoice(member, **extra):
    return {
        "topic": "invoice",
        "care": "pharmacy",
        "beneficiary": str(member.beneficiaries.get(first_name="Lucas").pk),
        "care_date": "15/01/2026",
        "amount": "12,50",
        "message": "Facture de la pharmacie du centre.",
        "_action": "review",
        **extra,
    }


def _kept_ids(page: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="files" value="([^"]+)"', page)


def test_seaweedfs_stopped_during_an_upload_then_back(
    signed_in_member, member, seaweedfs, on_seaweedfs
):
    # A first file is kept while the storage answers.
    first = signed_in_member.post(FORM, _invoice(member, files_files=[_upload("a.pdf", _pdf())]))
    kept = _kept_ids(first.content.decode())
    assert len(kept) == 1

    seaweedfs.stop()
    # The widget: a French message as JSON, nothing stored.
    widget = signed_in_member.post(UPLOAD, {"file": _upload("facture.pdf", _pdf("Facture"))})
    assert widget.status_code == 503
    assert NOT_STORED in widget.json()["error"]
    assert "facture.pdf" in widget.json()["error"]
    # The form without JavaScript: the message on the page, what was typed and the first
    # file kept.
    page = signed_in_member.post(
        FORM, _invoice(member, files=kept, files_files=[_upload("facture.pdf", _pdf("Facture"))])
    )
    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert NOT_STORED in text
    assert "Facture de la pharmacie du centre." in text
    assert _kept_ids(page.content.decode()) == kept
    assert StoredFile.objects.count() == 1

    seaweedfs.start()
    # Nothing half-stored: only the first file's object is there.
    assert seaweedfs.keys(on_seaweedfs) == [f"{on_seaweedfs}/{StoredFile.objects.get().file.name}"]
    # The same upload now works.
    again = signed_in_member.post(UPLOAD, {"file": _upload("facture.pdf", _pdf("Facture"))})
    assert again.status_code == 201
    assert len(seaweedfs.keys(on_seaweedfs)) == 2
    assert StoredFile.objects.count() == 2
