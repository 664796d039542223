"""The upload pipeline: rules, type from content, Office/image checks, antivirus, storage."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from documents.antivirus import scan
from documents.models import StoredFile
from documents.rules import MB, PARTNER_REQUEST, QUOTE_REQUEST, SEND_DOCUMENT
from documents.services import stored_file_create
from documents.validation import UploadRejected, validate_batch, validate_upload
from tests.helpers.storage import stored_content, stored_names


# -- Real files, built here ----------------------------------------------------------------
def pdf_bytes(size: int | None = None) -> bytes:
    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    if size is not None:
        content += b"%" + b" " * (size - len(content) - 2) + b"\n"
        assert len(content) == size
    return content


def image_bytes(fmt: str = "PNG", size=(20, 10), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode == "RGB" else 1).save(buffer, fmt)
    return buffer.getvalue()


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def office_bytes(main=WORD_MAIN, part="word/document.xml", extra=(), content_types=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        if content_types:
            package.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{part}" ContentType="{main}"/></Types>',
            )
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        package.writestr(part, '<?xml version="1.0"?><document>Bonjour</document>')
        for name, data in extra:
            package.writestr(name, data)
    return buffer.getvalue()


def check(name: str, content: bytes, rules=SEND_DOCUMENT):
    return validate_upload(name=name, file=io.BytesIO(content), size=len(content), rules=rules)


def refusal(name: str, content: bytes, rules=SEND_DOCUMENT) -> str:
    with pytest.raises(UploadRejected) as caught:
        check(name, content, rules)
    return caught.value.message


# -- Rules ---------------------------------------------------------------------------------
def test_the_rules_follow_the_guides():
    assert (SEND_DOCUMENT.max_files, SEND_DOCUMENT.max_bytes) == (5, 5 * 1024 * 1024)
    assert (QUOTE_REQUEST.max_files, QUOTE_REQUEST.max_bytes) == (4, 3 * 1024 * 1024)
    assert (PARTNER_REQUEST.max_files, PARTNER_REQUEST.max_bytes) == (8, 5 * 1024 * 1024)
    assert SEND_DOCUMENT.extensions_label == "JPEG, JPG, PNG, PDF"
    assert set(PARTNER_REQUEST.allowed) == {
        *("pdf", "doc", "docx", "xls", "xlsx", "csv", "tiff", "tif", "png", "jpeg", "jpg")
    }


def test_it_refuses_a_sixth_file():
    validate_batch(count_existing=3, count_new=2, rules=SEND_DOCUMENT)
    with pytest.raises(UploadRejected) as caught:
        validate_batch(count_existing=5, count_new=1, rules=SEND_DOCUMENT)
    assert caught.value.message == "Vous pouvez joindre au maximum 5 fichiers."


def test_it_refuses_a_fifth_file_on_a_quote_request():
    with pytest.raises(UploadRejected, match="au maximum 4 fichiers"):
        validate_batch(count_existing=0, count_new=5, rules=QUOTE_REQUEST)


# -- Accepted files ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("facture.pdf", pdf_bytes(), "application/pdf"),
        ("ordonnance.PNG", image_bytes("PNG"), "image/png"),
        ("photo.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("photo.jpeg", image_bytes("JPEG"), "image/jpeg"),
    ],
)
def test_it_accepts_the_files_a_member_sends(name, content, mime):
    detected = check(name, content)
    assert detected.mime == mime


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("convention.docx", office_bytes()),
        ("budget.xlsx", office_bytes(SHEET_MAIN, "xl/workbook.xml")),
        ("scan.tiff", image_bytes("TIFF")),
        ("scan.tif", image_bytes("TIFF")),
        ("liste.csv", "nom;prénom\nMARTIN;Hélène\n".encode()),
        ("liste-excel.csv", "nom;prénom\nMARTIN;Hélène\n".encode("cp1252")),
        ("plan.png", image_bytes("PNG")),
    ],
)
def test_it_accepts_the_files_a_partner_sends(name, content):
    check(name, content, PARTNER_REQUEST)


def test_it_accepts_a_file_of_exactly_5_mb():
    assert check("gros.pdf", pdf_bytes(5 * MB)).mime == "application/pdf"


# -- Refused files -------------------------------------------------------------------------
def test_it_refuses_5_mb_and_one_byte():
    assert refusal("gros.pdf", pdf_bytes(5 * MB + 1)) == (
        "Le fichier « gros.pdf » dépasse la taille maximale de 5 Mo."
    )


def test_it_refuses_4_mb_on_a_quote_request():
    assert "taille maximale de 3 Mo" in refusal("devis.pdf", pdf_bytes(4 * MB), QUOTE_REQUEST)


def test_it_refuses_an_empty_file():
    assert refusal("vide.pdf", b"") == "Le fichier « vide.pdf » est vide."


def test_it_refuses_an_executable_renamed_pdf():
    assert refusal("facture.pdf", b"MZ" + b"\x90\x00" * 2000) == (
        "Le fichier « facture.pdf » n'est pas d'un type accepté (JPEG, JPG, PNG, PDF)."
    )


def test_it_refuses_html_renamed_png():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    assert "n'est pas d'un type accepté" in refusal("photo.png", html)


def test_it_refuses_html_renamed_csv_for_a_partner():
    html = b"<html><head><title>x</title></head><body>a;b</body></html>"
    assert "n'est pas d'un type accepté" in refusal("liste.csv", html, PARTNER_REQUEST)


def test_it_refuses_an_svg_image():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    assert refusal("dessin.svg", svg) == (
        "Le fichier « dessin.svg » n'est pas d'un type accepté (JPEG, JPG, PNG, PDF)."
    )
    assert "n'est pas d'un type accepté" in refusal("dessin.png", svg)


def test_it_refuses_a_name_without_an_accepted_extension():
    assert "n'est pas d'un type accepté" in refusal("facture", pdf_bytes())
    assert "n'est pas d'un type accepté" in refusal("facture.docx", office_bytes())


def test_it_refuses_a_valid_pdf_named_png():
    assert refusal("facture.png", pdf_bytes()) == (
        "Le contenu du fichier « facture.png » ne correspond pas à son extension."
    )


def test_it_refuses_a_png_named_jpg():
    assert "ne correspond pas à son extension" in refusal("photo.jpg", image_bytes("PNG"))


def test_it_refuses_a_docx_named_xlsx():
    assert "ne correspond pas à son extension" in refusal(
        "budget.xlsx", office_bytes(), PARTNER_REQUEST
    )


def test_it_refuses_a_docx_zip_bomb():
    bomb = office_bytes(extra=[("word/media/zeros.bin", b"\0" * (60 * MB))])
    assert len(bomb) < MB
    assert refusal("convention.docx", bomb, PARTNER_REQUEST) == (
        "Le fichier « convention.docx » est trop volumineux une fois décompressé."
    )


def test_it_refuses_a_docx_with_too_many_entries():
    many = office_bytes(extra=[(f"word/p{n}.xml", "<p/>") for n in range(1001)])
    assert "trop volumineux une fois décompressé" in refusal("c.docx", many, PARTNER_REQUEST)


def test_it_refuses_a_docx_with_macros():
    with_macros = office_bytes(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macros")])
    assert refusal("convention.docx", with_macros, PARTNER_REQUEST) == (
        "Le fichier « convention.docx » contient des macros, qui ne sont pas acceptées."
    )


def test_it_refuses_a_docm_renamed_docx():
    docm = office_bytes(main="application/vnd.ms-word.document.macroEnabled.main+xml")
    assert "contient des macros" in refusal("convention.docx", docm, PARTNER_REQUEST)


def test_it_refuses_an_xlsm_renamed_xlsx():
    xlsm = office_bytes("application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xl/workbook.xml")
    assert "contient des macros" in refusal("budget.xlsx", xlsm, PARTNER_REQUEST)


def test_it_refuses_a_zip_without_content_types_named_docx():
    plain_zip = office_bytes(content_types=False)
    assert "ne correspond pas à son extension" in refusal("c.docx", plain_zip, PARTNER_REQUEST)


def test_it_refuses_a_docx_with_a_path_traversal_entry():
    evil = office_bytes(extra=[("../../etc/cron.d/evil", "* * * * * root sh")])
    assert "contient un élément qui n'est pas accepté" in refusal("c.docx", evil, PARTNER_REQUEST)


def test_it_refuses_an_image_of_100_megapixels():
    huge = image_bytes("PNG", size=(10000, 10000), mode="1")
    assert len(huge) < MB
    assert refusal("scan.png", huge) == (
        "L'image « scan.png » est trop grande (40 millions de pixels au plus)."
    )


def test_it_refuses_a_truncated_png():
    broken = image_bytes("PNG", size=(200, 200))[:-30]
    assert "endommagé ou illisible" in refusal("scan.png", broken)


def test_it_refuses_a_binary_file_named_csv():
    assert "n'est pas d'un type accepté" in refusal(
        "l.csv", b"a;b\n\0\0\x01;2\n" * 10, PARTNER_REQUEST
    )


def test_it_refuses_a_csv_with_nul_bytes_after_a_text_start():
    content = b"nom;ville\n" + b"MARTIN;Bordeaux\n" * 1000 + b"\0\0"
    assert "ne correspond pas" in refusal("l.csv", content, PARTNER_REQUEST)


# -- Antivirus (the real daemon: tests/test_antivirus.py) -------------------------------------
EICAR = b"%PDF-1.4\nX5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n"


def test_no_scan_is_made_when_no_antivirus_is_configured(settings):
    settings.CLAMD_ADDRESS = ""
    scan(io.BytesIO(EICAR), name="facture.pdf")


# -- Storage -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_stores_a_checked_file_under_a_random_name(member, settings):
    uploaded = SimpleUploadedFile("Facture Hélène.pdf", pdf_bytes(), content_type="text/html")
    stored = stored_file_create(uploaded=uploaded, rules=SEND_DOCUMENT, by=member.user)

    stored.refresh_from_db()
    assert stored.original_name == "Facture Hélène.pdf"
    assert stored.content_type == "application/pdf"  # detected, not the browser's word
    assert stored.size == len(pdf_bytes())
    assert stored.uploaded_by == member.user
    assert "Facture" not in stored.file.name and stored.file.name.endswith(".pdf")
    assert stored_content(stored.file.name) == pdf_bytes()
    assert stored.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()


@pytest.mark.django_db
def test_a_refused_file_leaves_nothing_stored(member, settings):
    uploaded = SimpleUploadedFile("facture.pdf", b"MZ" + b"\0" * 100)
    with pytest.raises(UploadRejected):
        stored_file_create(uploaded=uploaded, rules=SEND_DOCUMENT, by=member.user)
    assert not StoredFile.objects.exists()
    assert stored_names() == []
