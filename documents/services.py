"""Writes of the documents app: storing a checked upload, attaching it, expiring it."""

import contextlib
import hashlib
import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import antivirus
from documents.models import StoredFile
from documents.rules import UploadRules
from documents.validation import UploadNotStored, validate_upload
from portal.faults import log_fault
from portal.storage import STORAGE_ERRORS

logger = logging.getLogger(__name__)

# Files purged per query: memory stays flat however many expire at once.
PURGE_BATCH = 500


def stored_file_create(*, uploaded: UploadedFile, rules: UploadRules, by=None) -> StoredFile:
    """Validate an upload (type from content, size, antivirus) and store it under a random name.

    Guarantees: nothing is written unless every check passed (`UploadRejected` otherwise); the
    stored name reveals nothing of the original one; the content type recorded is the detected
    one, never the browser's. A storage that cannot write raises `UploadNotStored` (a French
    message) and keeps no part of the file.
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
    stored.expires_at = stored.created_at + settings.UPLOAD_ORPHAN_DELAY
    random_name = f"{stored.created_at:%Y/%m}/{secrets.token_hex(16)}.{detected.extension}"
    try:
        stored.file.save(random_name, File(uploaded), save=False)
    except STORAGE_ERRORS as exc:  # unwritable folder, full disk, object storage down
        log_fault(logger, "upload not stored", exc)
        # Nothing half-saved stays (an S3 object exists only once fully written).
        with contextlib.suppress(*STORAGE_ERRORS):
            stored.file.storage.delete(random_name)
        raise UploadNotStored(
            _(
                "Le fichier « %(name)s » n'a pas pu être enregistré pour le moment. Réessayez "
                "dans quelques minutes : ce que vous avez saisi et vos autres fichiers sont "
                "conservés."
            )
            % {"name": name}
        ) from None
    try:
        stored.save()
    except Exception:
        # No orphan file on disk when the row cannot be written.
        stored.file.delete(save=False)
        raise
    return stored


def stored_files_attach(*, files: Iterable[StoredFile], keep_for: timedelta | None) -> None:
    """Mark pending uploads as sent: they now live `keep_for` from this moment (None: until
    what they were sent with is deleted).

    Call inside the transaction that links them to what was sent (a request, a message).
    """
    now = timezone.now()
    ids = [stored.pk for stored in files]
    StoredFile.objects.filter(pk__in=ids, attached_at__isnull=True).update(
        attached_at=now, expires_at=now + keep_for if keep_for is not None else None
    )


def pending_upload_remove(*, stored_file: StoredFile, by) -> bool:
    """The uploader takes a pending file off a form before sending; sent files stay.

    The row goes first, on the condition that the file is still pending, so a file attached by
    a submission at the same moment is never lost; then its content.
    """
    if by is None or not stored_file.is_pending or stored_file.uploaded_by_id != by.pk:
        return False
    with transaction.atomic():
        deleted, _by_model = StoredFile.objects.filter(
            pk=stored_file.pk, uploaded_by=by, attached_at__isnull=True, deleted_at__isnull=True
        ).delete()
        if deleted:
            stored_file.file.delete(save=False)
    return bool(deleted)


def pending_uploads_release(*, by, ids) -> int:
    """The files of a form the person abandons ("Annuler"): those of `ids` still pending and
    theirs are deleted; anything else is left alone. Returns how many went."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    pending = StoredFile.objects.filter(
        pk__in=valid, uploaded_by=by, attached_at__isnull=True, deleted_at__isnull=True
    )
    return sum(pending_upload_remove(stored_file=stored, by=by) for stored in pending)


def pending_uploads_discard(*, by) -> int:
    """Every file the person uploaded into forms never sent is deleted (the "Fichiers en
    attente" page). Returns how many went."""
    pending = StoredFile.objects.filter(
        uploaded_by=by, attached_at__isnull=True, deleted_at__isnull=True
    )
    return sum(pending_upload_remove(stored_file=stored, by=by) for stored in pending)


def _due(now) -> list:
    """What the purge deletes, as queries that each read one partial index of live files, in
    that index's order, so that a run costs what is due, not what was ever stored: files past
    their expiry date, and uploads never sent that are older than the orphan delay the settings
    give today (a delay shortened after they were stored applies to them too). A sent file goes
    on the date it was given when it was sent: the date its page showed."""
    live = StoredFile.objects.filter(deleted_at__isnull=True)
    return [
        live.filter(expires_at__lte=now).order_by("expires_at", "pk"),
        live.filter(
            attached_at__isnull=True, created_at__lte=now - settings.UPLOAD_ORPHAN_DELAY
        ).order_by("created_at", "pk"),
    ]


def _expired(now) -> Q:
    return Q(expires_at__lte=now) | Q(
        attached_at__isnull=True, created_at__lte=now - settings.UPLOAD_ORPHAN_DELAY
    )


def stored_files_purge_expired(*, now=None) -> dict[str, int]:
    """Delete the content of every file past its expiry: sent files on their expiry date (see
    `stored_files_attach`), uploads never sent (orphans) after UPLOAD_ORPHAN_DELAY.

    Guarantees: sent files keep their row, marked deleted (pages then say they have expired);
    orphans vanish entirely. Each row changes only if it still is what was selected (an orphan
    attached meanwhile by a submission stays), so running it twice, or twice at once, is
    harmless. A file whose content cannot be deleted stays as it was and is retried next time.
    """
    now = now or timezone.now()
    counts = {"expired": 0, "orphans": 0}
    for candidates in _due(now):
        # A purged file leaves the query; one left as it was (its content could not be deleted,
        # or it changed meanwhile) is passed over for the rest of this run.
        passed_over = set()
        while True:
            batch = list(
                candidates.exclude(pk__in=passed_over).only("pk", "file", "attached_at")[
                    :PURGE_BATCH
                ]
            )
            if not batch:
                break
            for stored in batch:
                try:
                    kind = _purge_one(stored, now=now)
                except STORAGE_ERRORS:
                    logger.exception("could not delete the content of stored file %s", stored.pk)
                    kind = ""
                if kind:
                    counts[kind] += 1
                else:
                    passed_over.add(stored.pk)
    return counts


def _purge_one(stored: StoredFile, *, now) -> str:
    """Purge one file in a transaction: the row changes, then the content goes (an error
    while deleting the content rolls the row back)."""
    still = StoredFile.objects.filter(_expired(now), pk=stored.pk, deleted_at__isnull=True)
    with transaction.atomic():
        if stored.attached_at is None:
            deleted, _by_model = still.filter(attached_at__isnull=True).delete()
            kind = "orphans" if deleted else ""
        else:
            updated = still.update(deleted_at=now, file="")
            kind = "expired" if updated else ""
        if kind and stored.file:
            stored.file.delete(save=False)
    return kind
