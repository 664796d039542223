"""Writes of the documents app: storing a checked upload."""

import hashlib
import secrets

from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile

from documents import antivirus
from documents.models import StoredFile
from documents.rules import UploadRules
from documents.validation import validate_upload


def stored_file_create(*, uploaded: UploadedFile, rules: UploadRules, by=None) -> StoredFile:
    """Validate an upload (type from content, size, antivirus) and store it under a random name.

    Guarantees: nothing is written unless every check passed (`UploadRejected` otherwise); the
    stored name reveals nothing of the original one; the content type recorded is the detected
    one, never the browser's.
    """
    name = uploaded.name or ""
    detected = validate_upload(name=name, file=uploaded, size=uploaded.size, rules=rules)
    antivirus.scan(uploaded, name=name)

    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)

    stored = StoredFile(
        original_name=name[:255],
        size=uploaded.size,
        content_type=detected.mime,
        sha256=digest.hexdigest(),
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )
    random_name = f"{stored.created_at:%Y/%m}/{secrets.token_hex(16)}.{detected.extension}"
    stored.file.save(random_name, File(uploaded), save=False)
    try:
        stored.save()
    except Exception:
        # No orphan file on disk when the row cannot be written.
        stored.file.delete(save=False)
        raise
    return stored
