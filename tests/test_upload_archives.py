"""Office files are checked on what they really hold, not on what their headers say: every
entry of a .docx/.xlsx is unpacked within a running budget, links, devices, paths out of the
document, encrypted entries and archives nested twice are refused, and Word/Excel 97-2003 files
are read with olefile for a VBA project."""

import io
import stat
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import StoredFile
from documents.rules import MB, PARTNER_REQUEST
from documents.validation import UploadRejected, validate_upload
from tests.helpers.archives import (
    SHEET_MAIN,
    Entry,
    docx_with,
    excel_97_workbook,
    office_entries,
    word_97_document,
    zip_bytes,
)
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

UPLOAD = reverse("documents:upload", args=[PARTNER_REQUEST.key])
SIXTY_MB = b"\0" * (60 * MB)
FORBIDDEN = (
    "Le fichier « {} » contient un élément qui n'est pas accepté (lien, fichier spécial, chemin "
    "hors du document ou archive dans une archive)."
)


def _check(name, content):
    return validate_upload(
        name=name, file=io.BytesIO(content), size=len(content), rules=PARTNER_REQUEST
    )


def _refusal(name, content):
    with pytest.raises(UploadRejected) as caught:
        _check(name, content)
    return caught.value.message


@pytest.fixture
def uploading(client, technician):
    _sign_in(client, technician)

    def upload(name, content):
        return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})

    return upload


# -- Through the upload widget's endpoint ----------------------------------------------------
def test_a_docx_holding_a_symbolic_link_is_refused_with_its_name(uploading):
    link = Entry("word/media/image1.png", b"/etc/passwd", unix_mode=stat.S_IFLNK | 0o777)
    response = uploading("convention.docx", docx_with(link))

    assert response.status_code == 400
    assert response.json()["error"] == FORBIDDEN.format("convention.docx")
    assert not StoredFile.objects.exists()


def test_a_docx_declaring_1_kb_that_unpacks_to_60_mb_is_refused_with_its_name(uploading):
    lying = Entry(
        "word/media/image1.bin",
        SIXTY_MB,
        declared_size=1024,
        declared_crc=zlib.crc32(SIXTY_MB[:1024]),
    )
    content = docx_with(lying)
    assert len(content) < MB
    response = uploading("convention.docx", content)

    assert response.status_code == 400
    assert response.json()["error"] == (
        "Le fichier « convention.docx » est trop volumineux une fois décompressé."
    )
    assert not StoredFile.objects.exists()


def test_an_honest_docx_is_accepted(uploading):
    response = uploading("convention.docx", docx_with())
    assert response.status_code == 201
    assert StoredFile.objects.get().original_name == "convention.docx"


# -- What an archive may not hold --------------------------------------------------------------
@pytest.mark.parametrize(
    "entry",
    [
        Entry("word/dev", b"", unix_mode=stat.S_IFCHR | 0o600),
        Entry("word/disk", b"", unix_mode=stat.S_IFBLK | 0o600),
        Entry("word/pipe", b"", unix_mode=stat.S_IFIFO | 0o600),
        Entry("/etc/cron.d/evil", b"* * * * * root sh"),
        Entry("word/../../evil.xml", b"<x/>"),
        Entry("C:/Windows/evil.xml", b"<x/>"),
    ],
    ids=["character device", "block device", "pipe", "absolute path", "dot-dot", "drive"],
)
def test_it_refuses_special_entries_and_paths_out_of_the_document(entry):
    assert _refusal("convention.docx", docx_with(entry)) == FORBIDDEN.format("convention.docx")


def test_it_refuses_two_entries_of_one_name():
    twice = docx_with(Entry("[Content_Types].xml", b"<Types/>"))
    assert _refusal("convention.docx", twice) == FORBIDDEN.format("convention.docx")


def test_it_refuses_an_encrypted_entry():
    encrypted = Entry("word/document2.xml", b"\x12\x34" * 50, deflate=False, flags=0x1)
    assert _refusal("convention.docx", docx_with(encrypted)) == (
        "Le fichier « convention.docx » est protégé par un mot de passe : enregistrez-le sans "
        "mot de passe, puis joignez-le à nouveau."
    )


def test_it_refuses_an_entry_that_unpacks_to_more_than_it_declares():
    lying = Entry("word/media/a.bin", b"a" * 4096, declared_size=2048)
    assert "endommagé ou illisible" in _refusal("convention.docx", docx_with(lying))


def test_it_refuses_a_small_file_that_unpacks_to_over_100_times_its_size():
    bomb = docx_with(Entry("word/media/zeros.bin", b"\0" * (20 * MB)))
    assert len(bomb) < 100 * 1024
    assert "trop volumineux une fois décompressé" in _refusal("convention.docx", bomb)


def test_it_accepts_an_embedded_workbook_but_not_an_archive_inside_it():
    workbook = zip_bytes(office_entries(SHEET_MAIN, "xl/workbook.xml"))
    embedded = Entry("word/embeddings/Classeur1.xlsx", workbook)
    assert _check("convention.docx", docx_with(embedded))

    nested = zip_bytes([*office_entries(SHEET_MAIN, "xl/workbook.xml"), Entry("x.zip", workbook)])
    twice = Entry("word/embeddings/Classeur1.xlsx", nested)
    assert _refusal("convention.docx", docx_with(twice)) == FORBIDDEN.format("convention.docx")


def test_it_counts_what_an_embedded_archive_unpacks_to():
    inner = zip_bytes([Entry("zeros.bin", b"\0" * (60 * MB))])
    embedded = Entry("word/embeddings/Classeur1.xlsx", inner, deflate=False)
    assert "trop volumineux une fois décompressé" in _refusal(
        "convention.docx", docx_with(embedded)
    )


def test_it_refuses_macros_in_an_embedded_workbook():
    inner = zip_bytes([Entry("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")])
    embedded = Entry("word/embeddings/Classeur1.xlsm", inner)
    assert "contient des macros" in _refusal("convention.docx", docx_with(embedded))


# -- Word and Excel 97-2003 (OLE) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [("lettre.doc", word_97_document(macros=True)), ("budget.xls", excel_97_workbook(macros=True))],
)
def test_it_refuses_an_old_office_file_with_a_vba_project(name, content):
    assert _refusal(name, content) == (
        f"Le fichier « {name} » contient des macros, qui ne sont pas acceptées."
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lettre.doc", word_97_document(macros=False)),
        ("budget.xls", excel_97_workbook(macros=False)),
    ],
)
def test_it_accepts_an_old_office_file_without_macros(name, content):
    assert _check(name, content)


def test_it_accepts_an_old_word_file_that_merely_mentions_a_vba_project_in_its_text():
    mention = word_97_document(macros=False, text="_VBA_PROJECT_CUR".encode("utf-16-le"))
    assert _check("lettre.doc", mention)


def test_it_refuses_an_ole_header_with_nothing_readable_behind_it():
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"\0" * 1024
    assert "endommagé ou illisible" in _refusal("lettre.doc", broken)
