"""Background jobs of privacy: thin, by primary key."""

from celery import shared_task

from portal.exports import expired_exports_purge, queued_exports_requeue
from privacy.exports import data_export_build
from privacy.models import DataExport
from privacy.notifications import data_export_ready_notify


@shared_task
def build_data_export(export_id: str) -> bool:
    """Build the ZIP of "Télécharger mes données", then tell its account by email (once)."""
    built = data_export_build(export_id=export_id)
    data_export_ready_notify(export_id=export_id)
    return built


@shared_task
def requeue_data_exports() -> int:
    """Every minute: queue again the exports whose job was lost (broker down when asked)."""
    return queued_exports_requeue(DataExport, build_data_export)


@shared_task
def purge_data_exports() -> int:
    """Hourly: delete the data exports whose time is up."""
    return expired_exports_purge(DataExport)


@shared_task
def apply_retention() -> dict:
    """Daily: apply the retention policy (warnings, closures, deletions) and log what was
    done, in counts only."""
    from privacy.retention import retention_apply

    return retention_apply()
