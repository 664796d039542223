"""Background jobs of the partner space: thin, by primary key, idempotent."""

from datetime import date

from celery import shared_task

from accounts.tasks import RETRY


def _day(on: str | None) -> date | None:
    # Days travel as ISO strings ("2026-03-31"): the broker's JSON has no date type.
    return date.fromisoformat(on) if on else None


@shared_task(**RETRY)
def notify_status_change(event_id: int) -> bool:
    """Email the technician that their request was taken in charge or resolved (once)."""
    from partners.services import status_event_notify

    return status_event_notify(event_id=event_id)


@shared_task
def notify_pending_changes() -> int:
    """Every 10 minutes: queue the status emails that could not be queued or sent earlier."""
    from partners.services import status_events_notify_pending

    return status_events_notify_pending()


@shared_task(**RETRY)
def send_convention_reminders(on: str | None = None) -> int:
    """Daily: remind partner managers 30 days before their convention ends."""
    from partners.jobs import convention_reminders_send

    return convention_reminders_send(on=_day(on))


@shared_task
def close_ended_accesses(on: str | None = None) -> dict[str, int]:
    """Daily: close the organisms whose convention ended and whose grace period is over."""
    from partners.jobs import convention_accesses_close

    return convention_accesses_close(on=_day(on))
