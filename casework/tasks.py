"""Background jobs of casework: thin, by primary key, idempotent.

They call `notifications` and `jobs`, never the services (the services queue these tasks), so
no import cycle runs between them.
"""

from celery import shared_task
from django.db import transaction

from accounts.tasks import RETRY
from casework import jobs, notifications


@shared_task(**RETRY)
def notify_case_event(event_id: int) -> bool:
    """Email the requester what an event announces (sent once per event)."""
    return notifications.case_event_notify(event_id=event_id)


@shared_task
def notify_pending_events() -> int:
    """Every few minutes: queue the emails that could not be queued or sent earlier."""
    pending = notifications.pending_event_ids()
    for event_id in pending:
        notify_case_event.delay(event_id)
    return len(pending)


@shared_task
def send_reminders() -> int:
    """Hourly: remind requesters that a complement has been waiting for them for a week."""
    events = jobs.case_reminders_record()
    for event_id in events:
        transaction.on_commit(lambda pk=event_id: notify_case_event.delay(pk), robust=True)
    return len(events)
