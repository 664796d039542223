"""Background jobs of documents."""

from celery import shared_task


@shared_task
def purge_expired_files() -> dict[str, int]:
    """Every 15 minutes: delete files past their retention period and orphan uploads."""
    from documents.services import stored_files_purge_expired

    return stored_files_purge_expired()
