"""Upload validation: the type is decided from the content, never from the name or the browser.

Every refusal raises `UploadRejected` with a French message that names the file and the rule,
ready to be shown next to the field.
"""

import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import magic
from django.utils.translation import gettext as _
from PIL import Image

from documents.rules import UploadRules

HEAD_BYTES = 8 * 1024
# Pillow opens images lazily; above this many pixels an image is refused before decoding.
MAX_IMAGE_PIXELS = 40_000_000
# An Office file is a zip: these caps keep a "zip bomb" from being accepted.
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

_IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF"}
_OOXML_MAIN_PART = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# Content types that only macro-enabled packages (docm, xlsm, dotm, xltm, ...) declare.
_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)
# OLE stream names (UTF-16LE) of a VBA project, in Word ("Macros/VBA") and Excel documents.
_OLE_MACRO_MARKERS = ("_VBA_PROJECT".encode("utf-16-le"), "VBA_PROJECT_CUR".encode("utf-16-le"))


class UploadRejected(Exception):  # noqa: N818 (a refusal shown to the person, not a bug)
    """A file refused by a rule; `message` is the French text to show next to the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UploadNotStored(UploadRejected):
    """A checked file the storage could not keep (folder unwritable, disk full): nothing of it
    was kept, and the person may try again later."""


@dataclass(frozen=True)
class DetectedType:
    extension: str
    mime: str


def extension_of(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def validate_batch(*, count_existing: int, count_new: int, rules: UploadRules) -> None:
    """Refuse a batch that would take a form above its number of files."""
    if count_existing + count_new > rules.max_files:
        raise UploadRejected(
            _("Vous pouvez joindre au maximum %(count)s fichiers.") % {"count": rules.max_files}
        )


def validate_upload(*, name: str, file: BinaryIO, size: int, rules: UploadRules) -> DetectedType:
    """Check one file against `rules` and return its type, detected from its content.

    `file` must be seekable; it is left positioned at its start.
    """
    if size <= 0:
        raise UploadRejected(_("Le fichier « %(name)s » est vide.") % {"name": name})
    if size > rules.max_bytes:
        raise UploadRejected(
            _("Le fichier « %(name)s » dépasse la taille maximale de %(size)s Mo.")
            % {"name": name, "size": rules.max_megabytes}
        )
    not_accepted = _("Le fichier « %(name)s » n'est pas d'un type accepté (%(types)s).") % {
        "name": name,
        "types": rules.extensions_label,
    }
    extension = extension_of(name)
    if extension not in rules.allowed:
        raise UploadRejected(not_accepted)

    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    mime = magic.from_buffer(head, mime=True)
    if mime not in rules.allowed[extension]:
        known = set().union(*rules.allowed.values())
        if mime in known:
            raise UploadRejected(_mismatch(name))
        raise UploadRejected(not_accepted)

    try:
        if mime == "application/pdf":
            if not head.startswith(b"%PDF-"):
                raise UploadRejected(_mismatch(name))
        elif mime in _IMAGE_FORMATS:
            _check_image(name=name, file=file, expected_format=_IMAGE_FORMATS[mime])
        elif extension in _OOXML_MAIN_PART:
            _check_office_package(name=name, file=file, extension=extension)
        elif extension in ("doc", "xls"):
            _check_ole_document(name=name, file=file)
        elif extension == "csv":
            _check_csv(name=name, file=file)
    finally:
        file.seek(0)
    return DetectedType(extension=extension, mime=mime)


def _mismatch(name: str) -> str:
    return _("Le contenu du fichier « %(name)s » ne correspond pas à son extension.") % {
        "name": name
    }


def _unreadable(name: str) -> str:
    return _("Le fichier « %(name)s » est endommagé ou illisible.") % {"name": name}


def _macros(name: str) -> str:
    return _("Le fichier « %(name)s » contient des macros, qui ne sont pas acceptées.") % {
        "name": name
    }


def _check_image(*, name: str, file: BinaryIO, expected_format: str) -> None:
    too_large = _(
        "L'image « %(name)s » est trop grande (%(limit)s millions de pixels au plus)."
    ) % {
        "name": name,
        "limit": MAX_IMAGE_PIXELS // 1_000_000,
    }
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; a warning is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(file) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRejected(too_large)
                if image.format != expected_format:
                    raise UploadRejected(_mismatch(name))
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise UploadRejected(too_large) from error
        except UploadRejected:
            raise
        except Exception as error:  # Pillow raises many kinds on a corrupt file.
            raise UploadRejected(_unreadable(name)) from error


def _check_office_package(*, name: str, file: BinaryIO, extension: str) -> None:
    try:
        package = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRejected(_unreadable(name)) from error
    with package:
        entries = package.infolist()
        if len(entries) > MAX_ZIP_ENTRIES or (
            sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED_BYTES
        ):
            raise UploadRejected(
                _("Le fichier « %(name)s » est trop volumineux une fois décompressé.")
                % {"name": name}
            )
        names = [entry.filename for entry in entries]
        if any(_is_unsafe_path(entry_name) for entry_name in names):
            raise UploadRejected(_unreadable(name))
        if any(posixpath.basename(n).lower() == "vbaproject.bin" for n in names):
            raise UploadRejected(_macros(name))
        if "[Content_Types].xml" not in names:
            raise UploadRejected(_mismatch(name))
        try:
            with package.open("[Content_Types].xml") as stream:
                content_types = stream.read(MAX_CONTENT_TYPES_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as error:
            raise UploadRejected(_unreadable(name)) from error
        if len(content_types) > MAX_CONTENT_TYPES_BYTES:
            raise UploadRejected(_unreadable(name))
        # Searched as bytes rather than parsed: no XML parser sees untrusted input.
        if _MACRO_CONTENT_TYPE.search(content_types):
            raise UploadRejected(_macros(name))
        if _OOXML_MAIN_PART[extension].encode() not in content_types:
            raise UploadRejected(_mismatch(name))


def _is_unsafe_path(entry_name: str) -> bool:
    normalised = entry_name.replace("\\", "/")
    return (
        normalised.startswith("/")
        or re.match(r"^[A-Za-z]:", normalised) is not None
        or ".." in normalised.split("/")
        or "\0" in normalised
    )


def _check_ole_document(*, name: str, file: BinaryIO) -> None:
    content = file.read()
    if any(marker in content for marker in _OLE_MACRO_MARKERS):
        raise UploadRejected(_macros(name))


def _check_csv(*, name: str, file: BinaryIO) -> None:
    content = file.read()
    if b"\0" in content:
        raise UploadRejected(_mismatch(name))
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            # What spreadsheet programs write in France when they do not write UTF-8.
            content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise UploadRejected(_unreadable(name)) from error
