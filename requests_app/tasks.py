"""Background jobs of member requests: thin, by primary key, idempotent."""

from celery import shared_task

from accounts.tasks import RETRY


@shared_task(**RETRY)
def notify_status_change(change_id: int) -> bool:
    """Email the member that their request changed status (sent once per change)."""
    from requests_app.services import status_change_notify

    return status_change_notify(change_id=change_id)


@shared_task
def notify_pending_changes() -> int:
    """Every 10 minutes: send the status emails that could not be queued or sent earlier."""
    from requests_app.services import status_changes_notify_pending

    return status_changes_notify_pending()
