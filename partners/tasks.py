"""Background jobs of the partner space: thin, by primary key, idempotent."""

from datetime import date

from celery import shared_task

from accounts.tasks import RETRY
from partners.jobs import convention_accesses_close, convention_reminders_send


def _day(on: str | None) -> date | None:
    # Days travel as ISO strings ("2026-03-31"): the broker's JSON has no date type.
    return date.fromisoformat(on) if on else None


@shared_task(**RETRY)
def send_convention_reminders(on: str | None = None) -> int:
    """Daily: remind partner managers 30 days before their convention ends."""
    return convention_reminders_send(on=_day(on))


@shared_task
def close_ended_accesses(on: str | None = None) -> dict[str, int]:
    """Daily: close the organisms whose convention ended and whose grace period is over."""
    return convention_accesses_close(on=_day(on))
