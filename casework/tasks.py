"""Background jobs of casework: thin, by primary key, idempotent.

They call `notifications` and `jobs`, never the services (the services queue these tasks), so
no import cycle runs between them.
"""

import logging

from celery import shared_task

from accounts.tasks import EMAIL_RETRY, TRANSIENT
from casework import jobs, notifications
from portal.faults import log_fault
from portal.queueing import enqueue_on_commit

logger = logging.getLogger(__name__)


@shared_task(**EMAIL_RETRY)
def notify_case_event(event_id: int) -> bool:
    """Email the requester what an event announces (sent once per event, after the case's
    earlier emails)."""
    return notifications.case_event_notify(event_id=event_id)


@shared_task
def notify_pending_events() -> int:
    """Every minute: send the emails that are due and were not sent (broker or relay down, a
    worker that died), case by case in the order of their events. Stops at the first
    transient failure: the relay is down, the next run tries again."""
    sent = 0
    for case_type_id, case_id in notifications.pending_cases():
        try:
            sent += len(
                notifications.case_emails_deliver(case_type_id=case_type_id, case_id=case_id)
            )
        except TRANSIENT as exc:
            log_fault(logger, "catch-up stopped", exc)
            break
    return sent


@shared_task
def send_reminders() -> int:
    """Hourly: remind requesters that a complement has been waiting for them for a week."""
    events = jobs.case_reminders_record()
    for event_id in events:
        enqueue_on_commit(notify_case_event, event_id)
    return len(events)
