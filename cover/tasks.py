"""Background jobs of the cover app: thin, by primary key."""

from celery import shared_task

from cover.exports import statement_export_build, statement_exports_purge
from cover.models import StatementExport
from portal.exports import queued_exports_requeue


@shared_task
def build_statement_export(export_id: str) -> bool:
    """Build the PDF of a long period's statements (the member's page follows it)."""
    return statement_export_build(export_id=export_id)


@shared_task
def requeue_statement_exports() -> int:
    """Every minute: queue again the exports whose job was lost (broker down when asked)."""
    return queued_exports_requeue(StatementExport, build_statement_export)


@shared_task
def purge_statement_exports() -> int:
    """Hourly: delete the statements' PDFs whose time is up."""
    return statement_exports_purge()
