"""The writes of oversight: an export of a list asked for (journalled like a read, and queued
when it is too large to be built while the manager waits)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from oversight import tasks
from oversight.journal import access_record
from oversight.models import AccessEntry, QueueExport
from portal.queueing import enqueue_on_commit


def export_record(*, by, model, rows: int, format: str, query: str, organism_id=None):
    """The journal's entry of an export: which list, how many rows, which filters. An export of
    partner requests is partner data (of its organism when it is one)."""
    partner = any(field.name == "organism" for field in model._meta.fields)
    target = f"{model._meta.verbose_name_plural} · {rows} · {format.upper()}"
    if query:
        target += f" · {query}"
    return access_record(
        by=by,
        kind=AccessEntry.Kind.EXPORT,
        target=target,
        organism_id=organism_id,
        scope=AccessEntry.Scope.PARTNER if partner else AccessEntry.Scope.MEMBER,
    )


def queue_export_request(
    *, by, model, query: str, format: str, rows_total: int, organism_id=None
) -> QueueExport:
    """A large export, built in the background: the row the manager's page follows, the job
    queued once it is committed (or by the catch-up if the broker was down). The file is kept
    QUEUE_EXPORT_HOURS, then deleted by the hourly purge."""
    now = timezone.now()
    export = QueueExport.objects.create(
        requested_by=by,
        model=model._meta.label_lower,
        query=query,
        format=format,
        rows_total=rows_total,
        created_at=now,
        expires_at=now + timedelta(hours=settings.QUEUE_EXPORT_HOURS),
    )
    export_record(
        by=by, model=model, rows=rows_total, format=format, query=query, organism_id=organism_id
    )
    enqueue_on_commit(tasks.build_queue_export, str(export.pk))
    return export
