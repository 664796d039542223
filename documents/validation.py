"""Upload validation: the type is decided from the content, never from the name or the browser.

Every refusal raises `UploadRejected` with a French message that names the file and the rule,
ready to be shown next to the field.
"""

import posixpath
import re
import stat
import struct
import tempfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

import magic
import olefile
from django.utils.translation import gettext as _
from PIL import Image

from documents.rules import MB, UploadRules

HEAD_BYTES = 8 * 1024
# Pillow opens images lazily; above this many pixels an image is refused before decoding.
MAX_IMAGE_PIXELS = 40_000_000
# An Office file is a zip: these caps, counted on what it really unpacks to, keep a "zip bomb"
# from being accepted. Above the first few megabytes, a file may unpack to 100 times its size.
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_UNCOMPRESSED_BYTES = 50 * MB
MAX_ZIP_RATIO = 100
MAX_ZIP_RATIO_FREE_BYTES = 5 * MB
# A document may hold an archive (an embedded workbook), which may hold none.
MAX_ARCHIVE_DEPTH = 1
_CHUNK = 64 * 1024
_ZIP_SIGNATURE = b"PK\x03\x04"
# signature, version, flags, method, time, date, CRC, sizes, name and extra lengths.
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

_IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF"}
_OOXML_MAIN_PART = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# Content types that only macro-enabled packages (docm, xlsm, dotm, xltm, ...) declare.
_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)
# OLE storage and stream names (lower case) that hold a VBA project.
_OLE_MACRO_STORAGES = frozenset({"vba", "_vba_project", "_vba_project_cur"})


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


def _too_large_unpacked(name: str) -> str:
    return _("Le fichier « %(name)s » est trop volumineux une fois décompressé.") % {"name": name}


def _forbidden_entry(name: str) -> str:
    return _(
        "Le fichier « %(name)s » contient un élément qui n'est pas accepté (lien, fichier "
        "spécial, chemin hors du document ou archive dans une archive)."
    ) % {"name": name}


def _encrypted(name: str) -> str:
    return _(
        "Le fichier « %(name)s » est protégé par un mot de passe : enregistrez-le sans mot de "
        "passe, puis joignez-le à nouveau."
    ) % {"name": name}


class _Budget:
    """What the whole upload may unpack to, counted on the bytes really unpacked (never on what
    the archive's headers declare): a total, and a ratio to the size of the upload."""

    def __init__(self, *, name: str, upload_size: int):
        self.name = name
        self.upload_size = upload_size
        self.unpacked = 0
        self.entries = 0

    def count_entries(self, count: int) -> None:
        self.entries += count
        if self.entries > MAX_ZIP_ENTRIES:
            raise UploadRejected(_too_large_unpacked(self.name))

    def spend(self, count: int) -> None:
        self.unpacked += count
        if self.unpacked > MAX_ZIP_UNCOMPRESSED_BYTES or (
            self.unpacked > MAX_ZIP_RATIO_FREE_BYTES
            and self.unpacked > MAX_ZIP_RATIO * self.upload_size
        ):
            raise UploadRejected(_too_large_unpacked(self.name))


def _check_office_package(*, name: str, file: BinaryIO, extension: str) -> None:
    file.seek(0, 2)
    budget = _Budget(name=name, upload_size=file.tell())
    file.seek(0)
    content_types = _check_archive(name=name, file=file, budget=budget, depth=0)
    if content_types is None:
        raise UploadRejected(_mismatch(name))
    if len(content_types) > MAX_CONTENT_TYPES_BYTES:
        raise UploadRejected(_unreadable(name))
    # Searched as bytes rather than parsed: no XML parser sees untrusted input.
    if _MACRO_CONTENT_TYPE.search(content_types):
        raise UploadRejected(_macros(name))
    if _OOXML_MAIN_PART[extension].encode() not in content_types:
        raise UploadRejected(_mismatch(name))


def _check_archive(*, name: str, file: BinaryIO, budget: _Budget, depth: int) -> bytes | None:
    """Unpack every entry of the zip `file` (the upload at depth 0, an archive it holds at depth
    1) as a reader would, whatever its headers say, and refuse what must not be there.

    Returns the first bytes of `[Content_Types].xml` (None when there is none).
    """
    try:
        package = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UploadRejected(_unreadable(name)) from error
    content_types = None
    with package:
        entries = package.infolist()
        budget.count_entries(len(entries))
        names = [entry.filename.lower() for entry in entries]
        if len(set(names)) != len(names):
            # Two entries of one name: readers differ on which one they take.
            raise UploadRejected(_forbidden_entry(name))
        for entry in entries:
            _check_entry_kind(name=name, entry=entry)
            if posixpath.basename(entry.filename).lower() == "vbaproject.bin":
                raise UploadRejected(_macros(name))
        for entry in entries:
            if entry.is_dir():
                continue
            keep = MAX_CONTENT_TYPES_BYTES + 1 if entry.filename == "[Content_Types].xml" else 0
            kept = _unpack_entry(
                name=name, file=file, entry=entry, budget=budget, depth=depth, keep=keep
            )
            if keep:
                content_types = kept
    return content_types


def _check_entry_kind(*, name: str, entry: zipfile.ZipInfo) -> None:
    if entry.flag_bits & 0x1:
        raise UploadRejected(_encrypted(name))
    if _is_unsafe_path(entry.filename):
        raise UploadRejected(_forbidden_entry(name))
    # The Unix file type a zip may carry: only plain files and folders, never a symbolic link,
    # a device, a pipe or a socket.
    file_type = stat.S_IFMT(entry.external_attr >> 16)
    if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UploadRejected(_forbidden_entry(name))
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UploadRejected(_unreadable(name))


def _unpack_entry(
    *, name: str, file: BinaryIO, entry: zipfile.ZipInfo, budget: _Budget, depth: int, keep: int
) -> bytes:
    """Stream one entry's data from its local header, counting every byte it unpacks to, and
    check its size and checksum against what the archive declares. An entry that is itself a
    zip is checked the same way (at depth 1 only); returns its first `keep` bytes."""
    file.seek(entry.header_offset)
    header = file.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        raise UploadRejected(_unreadable(name))
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise UploadRejected(_unreadable(name))
    name_length, extra_length = fields[9], fields[10]
    local_name = file.read(name_length)
    if (
        local_name.decode("utf-8", "replace") != entry.filename
        and local_name.decode("cp437", "replace") != entry.filename
    ):
        # A reader going by the local headers would see another name than the one checked.
        raise UploadRejected(_forbidden_entry(name))
    file.seek(extra_length, 1)

    kept = bytearray()
    head = bytearray()
    nested = False
    unpacked = 0
    crc = 0
    with tempfile.SpooledTemporaryFile(max_size=MB) as spool:
        for chunk in _entry_chunks(name=name, file=file, entry=entry):
            budget.spend(len(chunk))
            unpacked += len(chunk)
            crc = zlib.crc32(chunk, crc)
            if len(kept) < keep:
                kept += chunk[: keep - len(kept)]
            if len(head) < len(_ZIP_SIGNATURE):
                head += chunk[: len(_ZIP_SIGNATURE) - len(head)]
                if bytes(head) == _ZIP_SIGNATURE:
                    if depth >= MAX_ARCHIVE_DEPTH:
                        raise UploadRejected(_forbidden_entry(name))
                    nested = True
            if nested:
                spool.write(chunk)
        if unpacked != entry.file_size or crc != entry.CRC:
            raise UploadRejected(_unreadable(name))
        if nested:
            spool.seek(0)
            _check_archive(name=name, file=spool, budget=budget, depth=depth + 1)
    return bytes(kept)


def _entry_chunks(*, name: str, file: BinaryIO, entry: zipfile.ZipInfo):
    """The unpacked bytes of an entry, a chunk at a time. A deflated entry is unpacked until
    its stream ends, not as far as its declared sizes say."""
    if entry.compress_type == zipfile.ZIP_STORED:
        left = entry.compress_size
        if left != entry.file_size:
            raise UploadRejected(_unreadable(name))
        while left:
            chunk = file.read(min(_CHUNK, left))
            if not chunk:
                raise UploadRejected(_unreadable(name))
            left -= len(chunk)
            yield chunk
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    while not inflater.eof:
        data = inflater.unconsumed_tail or file.read(_CHUNK)
        if not data:
            raise UploadRejected(_unreadable(name))
        try:
            chunk = inflater.decompress(data, _CHUNK)
        except zlib.error as error:
            raise UploadRejected(_unreadable(name)) from error
        if chunk:
            yield chunk


def _is_unsafe_path(entry_name: str) -> bool:
    normalised = entry_name.replace("\\", "/")
    return (
        normalised.startswith("/")
        or re.match(r"^[A-Za-z]:", normalised) is not None
        or ".." in normalised.split("/")
        or "\0" in normalised
    )


def _check_ole_document(*, name: str, file: BinaryIO) -> None:
    """A Word or Excel 97-2003 file is an OLE compound file: read its directory with olefile
    and refuse a VBA project, wherever Word ("Macros/VBA") or Excel ("_VBA_PROJECT_CUR/VBA")
    keep it."""
    try:
        with olefile.OleFileIO(file) as document:
            paths = document.listdir(streams=True, storages=True)
    except Exception as error:  # olefile raises many kinds on a malformed file
        raise UploadRejected(_unreadable(name)) from error
    for path in paths:
        parts = [part.lower() for part in path]
        if _OLE_MACRO_STORAGES.intersection(parts) or parts[:1] == ["macros"]:
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
