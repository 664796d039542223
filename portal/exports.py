"""What every file built in the background for one person shares (the statements of a long
period in cover, "Télécharger mes données" in privacy): the job queued again when the broker
lost it, the download while it is kept, and the purge once its time is up. The row of such an
export has `state`, `created_at`, `file` and `expires_at`."""

import logging
from datetime import timedelta

from django.http import FileResponse
from django.utils import timezone

from portal.queueing import enqueue
from portal.storage import STORAGE_ERRORS, open_stream

logger = logging.getLogger(__name__)


def kept_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """The export's file as a download, never sniffed nor cached by a shared proxy."""
    response = FileResponse(
        open_stream(file), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Length"] = str(file.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# An export still "queued" this long after it was asked for lost its job (broker down when it
# was queued): the catch-up, every minute, queues it again.
REQUEUE_AFTER = timedelta(minutes=1)


def queued_exports_requeue(model, task, *, now=None) -> int:
    """Queue `task(export id)` again for the exports of `model` still waiting REQUEUE_AFTER
    after they were asked for, oldest first; returns how many were queued. The build claims its
    row, so a job that was only late does the work once."""
    now = now or timezone.now()
    waiting = model.objects.filter(
        state="queued", created_at__lte=now - REQUEUE_AFTER, expires_at__gt=now
    ).order_by("created_at")
    return sum(enqueue(task, str(pk)) for pk in waiting.values_list("pk", flat=True)[:100])


def expired_exports_purge(model, *, now=None) -> int:
    """Delete the exports of `model` whose time is up, file and row; returns how many. A file
    that cannot be deleted keeps its row, and is tried again next time."""
    now = now or timezone.now()
    purged = 0
    for export in model.objects.filter(expires_at__lte=now).iterator():
        if export.file:
            try:
                export.file.delete(save=False)
            except STORAGE_ERRORS:
                logger.exception("could not delete the file of %s %s", model.__name__, export.pk)
                continue
        model.objects.filter(pk=export.pk).delete()
        purged += 1
    return purged
