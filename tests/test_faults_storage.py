"""Uploads while the upload folder cannot be written (issue 19): a French message in the
widget and on the page, what was typed and the files already kept stay, nothing half-saved."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen import canvas

from documents.models import StoredFile

pytestmark = pytest.mark.django_db

UPLOAD = reverse("documents:upload", args=["envoi"])
FORM = "/demandes/envoyer-un-document/"
NOT_STORED = "n'a pas pu être enregistré pour le moment. Réessayez dans quelques minutes"


def _pdf(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Facture")
    page.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def test_the_widget_gets_a_french_message_as_json_and_nothing_is_kept(
    signed_in_member, read_only_media
):
    response = signed_in_member.post(UPLOAD, {"file": _pdf("facture.pdf")})

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert NOT_STORED in response.json()["error"]
    assert "facture.pdf" in response.json()["error"]
    assert not StoredFile.objects.exists()
    assert list(read_only_media.iterdir()) == []


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


def test_the_form_says_so_and_keeps_what_was_typed_and_the_files_already_sent(
    signed_in_member, member, settings, request
):
    first = signed_in_member.post(FORM, _invoice(member, files_files=[_pdf("ordonnance.pdf")]))
    kept = _kept_ids(first.content.decode())
    assert len(kept) == 1
    request.getfixturevalue("read_only_media")

    response = signed_in_member.post(
        FORM, _invoice(member, files=kept, files_files=[_pdf("facture.pdf")])
    )

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert NOT_STORED in page
    assert "Facture de la pharmacie du centre." in page
    assert _kept_ids(response.content.decode()) == kept
    assert StoredFile.objects.count() == 1
