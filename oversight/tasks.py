"""Background jobs of oversight: thin, by primary key."""

from celery import shared_task

from oversight.exports import queue_export_build, queue_exports_purge
from oversight.models import QueueExport
from portal.exports import queued_exports_requeue


@shared_task
def build_queue_export(export_id: str) -> bool:
    """Build the file of a large queue export (the manager's page follows it)."""
    return queue_export_build(export_id=export_id)


@shared_task
def requeue_queue_exports() -> int:
    """Every minute: queue again the exports whose job was lost (broker down when asked)."""
    return queued_exports_requeue(QueueExport, build_queue_export)


@shared_task
def purge_queue_exports() -> int:
    """Hourly: delete the exports whose time is up (QUEUE_EXPORT_HOURS)."""
    return queue_exports_purge()
