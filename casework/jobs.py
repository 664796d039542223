"""Periodic work on cases that records events: the reminders of complements asked.

It writes the events only; the task that calls it queues their emails (a module queuing tasks
would import the tasks that import it).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.lifecycle import case_types
from casework.models import CaseEvent, CaseStatus


def case_reminders_record(*, now=None) -> list[int]:
    """Record a "remind" event for every case waiting for its requester for
    CASE_REMINDER_DAYS days, at most once per CASE_REMINDER_DAYS per case. Returns the events'
    ids (their emails are to be queued by the caller).

    Safe to run twice at once: each case is locked and checked again before its reminder.
    """
    now = now or timezone.now()
    delay = timedelta(days=settings.CASE_REMINDER_DAYS)
    recorded = []
    for kind in case_types():
        remind = kind.move("remind") if kind.has_move("remind") else None
        if remind is None:
            continue
        due = Q(status=CaseStatus.AWAITING, awaiting_since__lte=now - delay) & (
            Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - delay)
        )
        for pk in list(kind.model.objects.filter(due).values_list("pk", flat=True)):
            with transaction.atomic():
                case = kind.model.objects.select_for_update().filter(due, pk=pk).first()
                if case is None:
                    continue  # answered, or reminded by another run, meanwhile
                case.reminded_at = now
                case.save(update_fields=["reminded_at"])
                event = CaseEvent.objects.create(
                    case_type=kind.content_type(),
                    case_id=case.pk,
                    action=remind.name,
                    from_status=case.status,
                    to_status=case.status,
                    at=now,
                    notification=remind.notification,
                    data={"waiting_days": (now - case.awaiting_since).days},
                )
                recorded.append(event.pk)
    return recorded
