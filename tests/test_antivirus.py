"""Uploads scanned by a real ClamAV daemon (clamav-daemon, started by the `clamd` fixture with
the EICAR test signature): EICAR refused in French, clean files accepted, and while clamd is
down or hung every upload is refused (fail closed), what was typed and the files already kept
staying, then accepted again once it is back."""

import io
import logging
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from reportlab.pdfgen import canvas

from documents.antivirus import scan
from documents.models import StoredFile
from documents.validation import UploadRejected
from tests.helpers.clamd import EICAR, SIGNATURE_NAME

pytestmark = [pytest.mark.django_db, pytest.mark.clamd]

UPLOAD = reverse("documents:upload", args=["envoi"])
FORM = "/demandes/envoyer-un-document/"
REFUSED = "Le fichier « {} » a été refusé par l'antivirus."
NOT_SCANNED = (
    "Le fichier « {} » n'a pas pu être vérifié par l'antivirus pour le moment. Réessayez dans "
    "quelques minutes : ce que vous avez saisi et vos autres fichiers sont conservés."
)
TYPED = "Facture de la pharmacie du centre."


def _pdf_bytes(text: str = "Facture") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def _pdf(name: str, *, infected: bool = False) -> SimpleUploadedFile:
    # A real PDF; the infected one carries the EICAR string after its end, as a dropper would.
    content = _pdf_bytes() + (b"\n" + EICAR + b"\n" if infected else b"")
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _invoice(member, **extra) -> dict:
    return {
        "topic": "invoice",
        "care": "pharmacy",
        "beneficiary": str(member.beneficiaries.get(first_name="Lucas").pk),
        "care_date": "15/01/2026",
        "amount": "12,50",
        "message": TYPED,
        "_action": "review",
        **extra,
    }


def _kept_ids(response) -> list[str]:
    return re.findall(
        r'<input type="hidden" name="files" value="([^"]+)"', response.content.decode()
    )


def _page(response) -> str:
    return unescape(response.content.decode())


def _stored_on_disk(settings) -> list[Path]:
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in location.rglob("*") if p.is_file()] if location.exists() else []


# -- Clean and infected files -----------------------------------------------------------------
def test_clean_files_are_accepted(signed_in_member, clamd, settings):
    for uploaded in (_pdf("facture.pdf"), _png("ordonnance.png")):
        response = signed_in_member.post(UPLOAD, {"file": uploaded})
        assert response.status_code == 201, response.content

    assert sorted(StoredFile.objects.values_list("original_name", flat=True)) == [
        "facture.pdf",
        "ordonnance.png",
    ]
    assert len(_stored_on_disk(settings)) == 2


def test_the_eicar_file_is_refused_in_french_and_nothing_is_kept(signed_in_member, clamd, settings):
    response = signed_in_member.post(UPLOAD, {"file": _pdf("facture été.pdf", infected=True)})

    assert response.status_code == 400
    assert response.json() == {"error": REFUSED.format("facture été.pdf")}
    assert not StoredFile.objects.exists()
    assert _stored_on_disk(settings) == []


def test_the_daemon_looks_inside_archives(clamd):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + EICAR + b"</w:document>")

    with pytest.raises(UploadRejected) as caught:
        scan(io.BytesIO(buffer.getvalue()), name="courrier.docx")
    assert caught.value.message == REFUSED.format("courrier.docx")


def test_the_form_refuses_the_infected_file_and_keeps_the_rest(signed_in_member, member, clamd):
    first = signed_in_member.post(FORM, _invoice(member, files_files=[_pdf("ordonnance.pdf")]))
    kept = _kept_ids(first)
    assert len(kept) == 1

    response = signed_in_member.post(
        FORM, _invoice(member, files=kept, files_files=[_pdf("facture.pdf", infected=True)])
    )

    assert response.status_code == 200
    page = _page(response)
    assert REFUSED.format("facture.pdf") in page
    assert TYPED in page
    assert _kept_ids(response) == kept
    assert list(StoredFile.objects.values_list("original_name", flat=True)) == ["ordonnance.pdf"]


def test_the_logs_name_the_signature_never_the_file(signed_in_member, clamd, caplog):
    with caplog.at_level(logging.INFO, logger="documents"):
        signed_in_member.post(UPLOAD, {"file": _pdf("Ordonnance MARTIN Marie.pdf", infected=True)})
        clamd.stop()
        signed_in_member.post(UPLOAD, {"file": _pdf("Ordonnance MARTIN Marie.pdf")})

    assert SIGNATURE_NAME in caplog.text
    assert "upload not scanned by clamd" in caplog.text
    assert "MARTIN" not in caplog.text


# -- Fail closed: clamd stopped, then back ----------------------------------------------------
def test_uploads_are_refused_while_clamd_is_stopped_and_accepted_once_it_is_back(
    signed_in_member, member, clamd, settings
):
    first = signed_in_member.post(FORM, _invoice(member, files_files=[_pdf("ordonnance.pdf")]))
    kept = _kept_ids(first)
    assert len(kept) == 1

    clamd.stop()
    widget = signed_in_member.post(UPLOAD, {"file": _pdf("facture.pdf")})
    assert widget.status_code == 503
    assert widget.json() == {"error": NOT_SCANNED.format("facture.pdf")}

    form = signed_in_member.post(
        FORM, _invoice(member, files=kept, files_files=[_pdf("facture.pdf")])
    )
    assert form.status_code == 200
    page = _page(form)
    assert NOT_SCANNED.format("facture.pdf") in page
    assert TYPED in page
    assert _kept_ids(form) == kept
    assert StoredFile.objects.count() == 1
    assert len(_stored_on_disk(settings)) == 1

    clamd.start()
    widget = signed_in_member.post(UPLOAD, {"file": _pdf("facture.pdf")})
    assert widget.status_code == 201
    summary = signed_in_member.post(
        FORM, _invoice(member, files=kept, files_files=[_pdf("devis.pdf")])
    )
    page = _page(summary)
    assert "Vérifier le résumé" in page
    assert "ordonnance.pdf" in page and "devis.pdf" in page


def test_a_hung_clamd_refuses_uploads_after_its_timeout(signed_in_member, clamd, settings):
    settings.CLAMD_TIMEOUT = 1
    clamd.freeze()

    response = signed_in_member.post(UPLOAD, {"file": _pdf("facture.pdf")})

    assert response.status_code == 503
    assert response.json() == {"error": NOT_SCANNED.format("facture.pdf")}
    assert not StoredFile.objects.exists()
    clamd.thaw()
    assert signed_in_member.post(UPLOAD, {"file": _pdf("facture.pdf")}).status_code == 201
