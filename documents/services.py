"""Writes of the documents app: storing a checked upload, attaching it, expiring it."""

import hashlib
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from documents import antivirus
from documents.models import StoredFile
from documents.rules import UploadRules
from documents.validation import validate_upload

logger = logging.getLogger(__name__)


def stored_file_create(
    *, uploaded: UploadedFile, rules: UploadRules, by=None, pending: bool = True
) -> StoredFile:
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
    if pending:
        stored.expires_at = stored.created_at + settings.UPLOAD_ORPHAN_DELAY
    else:
        stored.attached_at = stored.created_at
        stored.expires_at = stored.created_at + settings.ATTACHMENT_RETENTION
    random_name = f"{stored.created_at:%Y/%m}/{secrets.token_hex(16)}.{detected.extension}"
    stored.file.save(random_name, File(uploaded), save=False)
    try:
        stored.save()
    except Exception:
        # No orphan file on disk when the row cannot be written.
        stored.file.delete(save=False)
        raise
    return stored


def stored_files_attach(*, files: Iterable[StoredFile]) -> None:
    """Mark pending uploads as sent: they now live for ATTACHMENT_RETENTION from this moment.

    Call inside the transaction that links them to what was sent (a request, an answer).
    """
    now = timezone.now()
    ids = [stored.pk for stored in files]
    StoredFile.objects.filter(pk__in=ids, attached_at__isnull=True).update(
        attached_at=now, expires_at=now + settings.ATTACHMENT_RETENTION
    )


def pending_upload_remove(*, stored_file: StoredFile, by) -> bool:
    """The uploader takes a pending file off a form before sending; sent files stay."""
    if not stored_file.is_pending or stored_file.uploaded_by_id != by.pk:
        return False
    stored_file.file.delete(save=False)
    StoredFile.objects.filter(pk=stored_file.pk).delete()
    return True


def stored_files_purge_expired(*, now=None) -> dict[str, int]:
    """Delete the content of every file past its expiry: sent files after the retention period,
    orphan uploads after a day. Sent files keep their row (pages say they have expired);
    orphans vanish entirely. Safe to run concurrently and repeatedly.
    """
    now = now or timezone.now()
    expired = StoredFile.objects.filter(expires_at__lte=now, deleted_at__isnull=True)
    counts = {"expired": 0, "orphans": 0}
    for stored in expired.only("pk", "file", "attached_at").iterator(chunk_size=500):
        try:
            stored.file.delete(save=False)
        except OSError:
            logger.exception("could not delete the content of stored file %s", stored.pk)
            continue
        if stored.attached_at is None:
            StoredFile.objects.filter(pk=stored.pk).delete()
            counts["orphans"] += 1
        else:
            StoredFile.objects.filter(pk=stored.pk).update(deleted_at=now, file="")
            counts["expired"] += 1
    return counts
