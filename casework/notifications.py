"""Sending the email an event announces: once, by the event row, in the insurer's name.

Each case type builds its emails (`CaseType.notice`); this module only delivers them. It is
called by the tasks and imports neither the services nor the tasks.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from casework.lifecycle import case_type_for
from casework.models import CaseEvent, CaseStatus
from portal.messaging import branded_email_send

logger = logging.getLogger(__name__)

# The catch-up job leaves the email of a change this fresh to the task queued at commit.
CATCH_UP_AFTER = timedelta(minutes=2)
# And gives up on changes older than this: news that late would confuse more than help.
CATCH_UP_WITHIN = timedelta(days=3)


def case_event_notify(*, event_id: int) -> bool:
    """Send the email of one event, once: True if this call sent it.

    The event row is locked while sending, so two deliveries of the same task cannot both
    send; a failure to send leaves `notified_at` empty and the task retries. An event whose
    requester cannot be reached (no address, account closed) is marked done, so that the
    catch-up job does not retry it forever.
    """
    with transaction.atomic():
        event = (
            CaseEvent.objects.select_for_update(of=("self",))
            .select_related("message")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.notified_at is not None or not event.notification:
            return False
        kind = case_type_for(event.case_type_id)
        case = kind.model.objects.filter(pk=event.case_id).first()
        notice = None
        if case is not None and _still_news(event, case):
            with override("fr"):
                notice = kind.notice(event, case, event.message)
                if notice is not None:
                    branded_email_send(
                        to=notice.to,
                        subject=notice.subject,
                        template=notice.template,
                        context=notice.context,
                    )
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return notice is not None


def _still_news(event: CaseEvent, case) -> bool:
    """A complement asked (or recalled) that was answered meanwhile is no news any more: sent
    late by the catch-up job, its email would ask for what was already given."""
    if event.notification in ("asked", "reminder"):
        return case.status == CaseStatus.AWAITING
    return True


def pending_events(*, now=None):
    """The events whose email was never sent (broker down at commit, retries exhausted),
    oldest first, as a query of their ids. Its conditions are those of the partial index
    `caseevent_unsent`, so it reads only the emails still to send, however long the journal."""
    now = now or timezone.now()
    return (
        CaseEvent.objects.filter(
            notified_at__isnull=True,
            notification__gt="",
            at__lte=now - CATCH_UP_AFTER,
            at__gte=now - CATCH_UP_WITHIN,
        )
        .order_by("at")
        .values_list("pk", flat=True)
    )


def pending_event_ids(*, now=None) -> list[int]:
    return list(pending_events(now=now))
