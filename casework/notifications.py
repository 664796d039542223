"""Sending the email an event announces: once, in the order of the case's events, on time,
in the insurer's name.

Each case type builds its emails (`CaseType.notice`); this module only delivers them. It is
called by the tasks and imports neither the services nor the tasks.

How an email leaves (claim, send, mark), outside any row lock:
1. the event is claimed: `notify_claimed_at` set by one committed UPDATE, which only one
   worker can win (a claim older than CLAIM_TIMEOUT is a worker that died: it may be taken);
2. the email goes to the relay with a stable Message-ID (`stable_message_id`);
3. `notified_at` is committed. A failure before the relay's answer releases the claim and is
   raised for the task to retry; a worker killed between 2 and 3 leaves its claim to expire,
   and the email is sent again once, with the same Message-ID.
The emails of one case leave in the order of its events: each delivery first sends the
case's earlier emails still waiting, and stops at one another worker holds.
"""

import logging
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import override

from casework.lifecycle import case_type_for
from casework.models import CaseEvent, CaseStatus
from portal.faults import log_fault, refused_for_good
from portal.messaging import branded_email_send, stable_message_id

logger = logging.getLogger(__name__)

# Longer than one SMTP exchange (EMAIL_TIMEOUT) with room to spare: past it, a claim is a
# worker that died between the relay's answer and the mark.
CLAIM_TIMEOUT = timedelta(minutes=2)
# The catch-up job leaves a change this fresh to the task queued at commit.
CATCH_UP_AFTER = timedelta(seconds=30)
# And gives up on changes older than this: news that late would confuse more than help.
CATCH_UP_WITHIN = timedelta(days=3)
# Events read per catch-up run (it runs every minute).
CATCH_UP_BATCH = 500

SENT, DONE, HELD = "sent", "done", "held"


def _unsent():
    return CaseEvent.objects.filter(notified_at__isnull=True, notification__gt="")


def _claimable(now):
    return Q(notify_claimed_at__isnull=True) | Q(notify_claimed_at__lt=now - CLAIM_TIMEOUT)


def case_event_notify(*, event_id: int) -> bool:
    """Send the email of one event, once, after those of the same case's earlier events still
    waiting: True if this call sent it. Raises what the relay or the database raised (the task
    retries); returns False when it was sent already or another worker is sending it."""
    event = CaseEvent.objects.filter(pk=event_id).only("case_type_id", "case_id", "at").first()
    if event is None:
        return False
    sent = case_emails_deliver(case_type_id=event.case_type_id, case_id=event.case_id, until=event)
    return event_id in sent


def case_emails_deliver(*, case_type_id: int, case_id, until: CaseEvent | None = None) -> list:
    """Send the waiting emails of one case, oldest event first (up to `until`), and return the
    ids of the events whose email this call sent. Stops at an email another worker holds, and
    raises at one that failed, so that no email ever passes an earlier one."""
    waiting = _unsent().filter(case_type_id=case_type_id, case_id=case_id)
    if until is not None:
        waiting = waiting.filter(Q(at__lt=until.at) | Q(at=until.at, pk__lte=until.pk))
    sent = []
    for pk in waiting.order_by("at", "pk").values_list("pk", flat=True):
        outcome = _deliver(pk)
        if outcome == HELD:
            break
        if outcome == SENT:
            sent.append(pk)
    return sent


def _deliver(event_id: int) -> str:
    now = timezone.now()
    claimed = (
        _unsent()
        .filter(_claimable(now), pk=event_id)
        .update(notify_claimed_at=now, notify_attempts=F("notify_attempts") + 1)
    )
    if not claimed:
        return DONE if not _unsent().filter(pk=event_id).exists() else HELD
    mine = CaseEvent.objects.filter(pk=event_id, notify_claimed_at=now)
    try:
        event = CaseEvent.objects.select_related("message").get(pk=event_id)
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
                        message_id=stable_message_id("case-event", event.pk),
                    )
    except Exception as exc:
        if refused_for_good(exc):  # an address the relay refuses: retrying changes nothing
            log_fault(logger, "email refused", exc, event=event_id)
            mine.update(notified_at=timezone.now(), notify_claimed_at=None)
            return DONE
        # Nothing reached the relay, or it said "later": the next attempt may go at once.
        mine.update(notify_claimed_at=None)
        raise
    # An event whose requester cannot be reached (no address, account closed) is marked done
    # too, so that the catch-up job does not retry it forever.
    mine.update(notified_at=timezone.now(), notify_claimed_at=None)
    return SENT if notice is not None else DONE


def _still_news(event: CaseEvent, case) -> bool:
    """A complement asked (or recalled) that was answered meanwhile is no news any more: sent
    late by the catch-up job, its email would ask for what was already given."""
    if event.notification in ("asked", "reminder"):
        return case.status == CaseStatus.AWAITING
    return True


def pending_events(*, now=None):
    """The events whose email is due and not sent (broker down at commit, relay down, a worker
    that died holding it), oldest first, as a query of their ids. Its conditions are those of
    the partial index `caseevent_unsent`, so it reads only the emails still to send, however
    long the journal."""
    now = now or timezone.now()
    return (
        _unsent()
        .filter(at__lte=now - CATCH_UP_AFTER, at__gte=now - CATCH_UP_WITHIN)
        .filter(_claimable(now))
        .order_by("at")
        .values_list("pk", flat=True)
    )


def pending_event_ids(*, now=None) -> list[int]:
    return list(pending_events(now=now))


def pending_cases(*, now=None) -> list[tuple[int, object]]:
    """The cases with emails due (at most CATCH_UP_BATCH events read), oldest first."""
    now = now or timezone.now()
    rows = (
        _unsent()
        .filter(at__lte=now - CATCH_UP_AFTER, at__gte=now - CATCH_UP_WITHIN)
        .filter(_claimable(now))
        .order_by("at")
        .values_list("case_type_id", "case_id")[:CATCH_UP_BATCH]
    )
    return list(dict.fromkeys(rows))
