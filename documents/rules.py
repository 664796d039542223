"""Upload rules: what each form of the portal accepts, taken from the guides.

The rules are enforced on the server whatever the browser sends; the browser may show them too.
"""

from dataclasses import dataclass, field
from types import MappingProxyType

# Sizes are binary megabytes: "5 Mo" in the guides is 5 * 1024 * 1024 bytes.
MB = 1024 * 1024

# MIME types as python-magic (libmagic) reports them for each accepted extension.
_JPEG = frozenset({"image/jpeg"})
_PNG = frozenset({"image/png"})
_PDF = frozenset({"application/pdf"})
_TIFF = frozenset({"image/tiff"})
# Legacy Office files are OLE compound documents; libmagic names them by what it recognises.
_OLE = frozenset({"application/x-ole-storage", "application/CDFV2"})
_DOC = frozenset({"application/msword"}) | _OLE
_XLS = frozenset({"application/vnd.ms-excel"}) | _OLE
# Office Open XML files are zips; libmagic only names them when the zip's first entries allow
# it, so a plain zip is accepted here and the package itself is inspected (see validation).
_DOCX = frozenset(
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"}
)
_XLSX = frozenset(
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}
)
_CSV = frozenset({"text/plain", "text/csv"})


@dataclass(frozen=True)
class UploadRules:
    """The limits one form declares for its attachments."""

    # Names the rules in URLs (the upload endpoint of the widget): "envoi", "devis", ...
    key: str
    max_files: int
    max_bytes: int
    # Extension (lower case, no dot) -> MIME types accepted for it, as detected from the content.
    allowed: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        object.__setattr__(self, "allowed", MappingProxyType(dict(self.allowed)))

    @property
    def max_megabytes(self) -> int:
        return self.max_bytes // MB

    @property
    def extensions_label(self) -> str:
        """The accepted extensions as the guides list them: "JPEG, JPG, PNG, PDF"."""
        return ", ".join(ext.upper() for ext in self.allowed)

    @property
    def accept_attribute(self) -> str:
        """A value for the HTML `accept` attribute (a hint only, the server decides)."""
        return ",".join(f".{ext}" for ext in self.allowed)


_IMAGES_AND_PDF = {"jpeg": _JPEG, "jpg": _JPEG, "png": _PNG, "pdf": _PDF}

# Guide 000, "Envoyer un document": 5 files, 5 Mo each, JPEG, JPG, PNG, PDF.
SEND_DOCUMENT = UploadRules(key="envoi", max_files=5, max_bytes=5 * MB, allowed=_IMAGES_AND_PDF)

# Guide 003, "Transmettre un devis": 4 files, 3 Mo each, same types.
QUOTE_REQUEST = UploadRules(key="devis", max_files=4, max_bytes=3 * MB, allowed=_IMAGES_AND_PDF)

# Guide 001, partner forms: 8 files, 5 Mo each, pdf, word, excel, csv, tiff, png, jpeg.
PARTNER_REQUEST = UploadRules(
    key="partenaire",
    max_files=8,
    max_bytes=5 * MB,
    allowed={
        "pdf": _PDF,
        "doc": _DOC,
        "docx": _DOCX,
        "xls": _XLS,
        "xlsx": _XLSX,
        "csv": _CSV,
        "tiff": _TIFF,
        "tif": _TIFF,
        "png": _PNG,
        "jpeg": _JPEG,
        "jpg": _JPEG,
    },
)


# Files a manager joins to an answer (letters, statements, certificates): 8 files, 10 Mo each.
ANSWER = UploadRules(
    key="reponse",
    max_files=8,
    max_bytes=10 * MB,
    allowed={**_IMAGES_AND_PDF, "docx": _DOCX, "xlsx": _XLSX},
)

BY_KEY = {rules.key: rules for rules in (SEND_DOCUMENT, QUOTE_REQUEST, PARTNER_REQUEST, ANSWER)}
