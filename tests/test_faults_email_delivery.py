"""Emails in order and on time (issue 19), with a real SMTP relay the tests start and stop:
each email is claimed (committed) before the SMTP exchange and marked sent after, carries a
stable Message-ID, and the emails of one request leave in the order of its events, within a
minute of the relay's return."""

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import AccountNotice
from accounts.notifications import account_notice_deliver
from accounts.tasks import notify_pending_notices
from casework.models import CaseEvent
from casework.notifications import CLAIM_TIMEOUT, case_event_notify
from casework.services import case_move
from casework.tasks import notify_pending_events
from requests_app.services import member_request_submit


def _requests(member, count):
    requests = []
    for number in range(count):
        request = member_request_submit(
            member=member, kind="question", by=member.user, message=f"Question {number}"
        )
        requests.append(request)
    # Their acknowledgements went when they were sent, before the relay stopped.
    CaseEvent.objects.filter(notification__gt="").update(notified_at=timezone.now())
    return requests


def _send_in_a_thread(event_id: int) -> None:
    try:
        case_event_notify(event_id=event_id)
    finally:
        connection.close()  # this thread's own connection


def _message_ids(sink) -> list[str]:
    return [str(message["Message-ID"]) for message in sink.messages]


@pytest.mark.django_db
def test_twenty_changes_made_while_the_relay_is_down_arrive_once_and_in_order(
    member, insurer_manager, smtp_sink, django_capture_on_commit_callbacks, caplog
):
    requests = _requests(member, 10)
    smtp_sink.stop()  # the relay is down

    for request in requests:
        with django_capture_on_commit_callbacks(execute=True):
            case_move(case=request, move="take", by=insurer_manager)
        with django_capture_on_commit_callbacks(execute=True):
            case_move(case=request, move="resolve", by=insurer_manager, text="Voici.")
    # Every task tried, retried and gave up; nothing left, nothing is lost.
    assert smtp_sink.messages == []
    waiting = CaseEvent.objects.filter(notification__gt="", notified_at__isnull=True)
    assert waiting.count() == 20
    assert not waiting.filter(notify_claimed_at__isnull=False).exists()

    # Two minutes later the relay is back; the catch-up (every minute) sends them all at once.
    CaseEvent.objects.update(at=timezone.now() - timedelta(minutes=2))
    smtp_sink.start()
    started = time.monotonic()
    assert notify_pending_events() == 20
    assert time.monotonic() - started < 60
    assert settings.CELERY_BEAT_SCHEDULE["casework-notify-pending-events"]["schedule"] <= 60

    assert len(smtp_sink.messages) == 20
    assert len(set(_message_ids(smtp_sink))) == 20
    for request in requests:
        mine = [
            str(message["Subject"])
            for message in smtp_sink.messages
            if request.reference in message.get_body(("plain",)).get_content()
        ]
        assert len(mine) == 2
        assert "prise en charge" in mine[0]  # taken in charge, then the answer
        assert "réponse" in mine[1].lower()
    assert notify_pending_events() == 0
    assert len(smtp_sink.messages) == 20


@pytest.mark.django_db
def test_a_later_email_waits_for_the_earlier_one_of_the_same_request(
    member, insurer_manager, smtp_sink
):
    [request] = _requests(member, 1)
    case_move(case=request, move="take", by=insurer_manager)  # its task never ran
    case_move(case=request, move="resolve", by=insurer_manager, text="Voici.")
    resolved = CaseEvent.objects.get(action="resolve")

    assert case_event_notify(event_id=resolved.pk) is True

    subjects = [str(message["Subject"]) for message in smtp_sink.messages]
    assert len(subjects) == 2
    assert "prise en charge" in subjects[0]
    assert "réponse" in subjects[1].lower()


@pytest.mark.django_db(transaction=True)
def test_a_sender_lost_between_claim_and_mark_is_replaced_once_with_the_same_message_id(
    member, insurer_manager, smtp_sink
):
    [request] = _requests(member, 1)
    case_move(case=request, move="take", by=insurer_manager)
    event = CaseEvent.objects.get(action="take")
    # Its task ran at commit; here the email is sent as if for the first time.
    CaseEvent.objects.filter(pk=event.pk).update(notified_at=None, notify_claimed_at=None)
    smtp_sink.messages.clear()
    # The relay keeps the message but its "OK" never reaches the sender, which is lost there.
    smtp_sink.answer.clear()
    lost = threading.Thread(target=_send_in_a_thread, args=(event.pk,), daemon=True)
    lost.start()
    smtp_sink.wait_for(1)
    event.refresh_from_db()
    assert event.notify_claimed_at is not None and event.notified_at is None

    CaseEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(minutes=1))
    assert notify_pending_events() == 0  # claimed a moment ago: left to its sender
    CaseEvent.objects.filter(pk=event.pk).update(
        notify_claimed_at=timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1)
    )
    smtp_sink.answer.set()
    assert notify_pending_events() == 1
    lost.join(timeout=10)

    assert len(smtp_sink.messages) == 2  # sent again once, recognisably
    first, second = _message_ids(smtp_sink)
    assert first == second == f"<guichet.case-event.{event.pk}@guichet.localhost>"
    assert notify_pending_events() == 0
    assert len(smtp_sink.messages) == 2


@pytest.mark.django_db
def test_a_change_notice_held_by_the_relay_leaves_with_the_catch_up(member, smtp_sink):
    notice = AccountNotice.objects.create(
        kind=AccountNotice.Kind.PASSWORD_CHANGED, recipient=member.email, user=member.user
    )
    smtp_sink.refusing = True
    with pytest.raises(OSError):
        account_notice_deliver(notice_id=notice.pk, kind=notice.kind)
    notice.refresh_from_db()
    assert notice.sent_at is None and notice.claimed_at is None

    smtp_sink.refusing = False
    AccountNotice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - timedelta(minutes=1)
    )
    assert notify_pending_notices() == 1
    [email] = smtp_sink.to(member.email)
    assert str(email["Message-ID"]) == f"<guichet.account-notice.{notice.pk}@guichet.localhost>"
    assert notify_pending_notices() == 0
    assert settings.CELERY_BEAT_SCHEDULE["accounts-notify-pending-notices"]["schedule"] <= 60


@pytest.mark.worker
def test_a_worker_killed_between_claim_and_mark_resends_at_most_once_with_the_same_message_id(
    transactional_db, worker_env, smtp_sink, member, insurer_manager, celery_conf, tmp_path
):
    from casework.tasks import notify_case_event
    from tests.helpers.worker import RunningWorker

    env = {
        **worker_env,
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": smtp_sink.host,
        "EMAIL_PORT": str(smtp_sink.port),
    }
    celery_conf(task_always_eager=True)
    [request] = _requests(member, 1)
    case_move(case=request, move="take", by=insurer_manager)
    celery_conf(task_always_eager=False)
    event = CaseEvent.objects.get(action="take")
    CaseEvent.objects.filter(pk=event.pk).update(notified_at=None, notify_claimed_at=None)
    smtp_sink.messages.clear()

    # The relay takes the message, and the worker is killed before the relay's "OK" comes back.
    smtp_sink.answer.clear()
    first = RunningWorker(env, tmp_path / "first.log")
    try:
        first.enqueue(notify_case_event, event.pk)
        first.wait_for(lambda: len(smtp_sink.messages) == 1, "the message at the relay")
        first.process.kill()
        first.process.wait(timeout=10)
    finally:
        first.stop()
    smtp_sink.answer.set()
    event.refresh_from_db()
    assert event.notify_claimed_at is not None and event.notified_at is None

    # Past the claim's timeout, the catch-up of another worker sends it again, once.
    CaseEvent.objects.filter(pk=event.pk).update(
        at=timezone.now() - timedelta(minutes=3),
        notify_claimed_at=timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1),
    )
    second = RunningWorker(env, tmp_path / "second.log")
    try:
        second.enqueue(notify_pending_events)
        second.wait_for(
            lambda: CaseEvent.objects.filter(pk=event.pk, notified_at__isnull=False).exists(),
            "the email marked sent",
        )
        second.enqueue(notify_pending_events)
        second.wait_for(
            lambda: second.log.read_text().count("notify_pending_events") >= 4, "the second run"
        )
    finally:
        second.stop()

    assert len(smtp_sink.messages) == 2
    first_id, second_id = _message_ids(smtp_sink)
    assert first_id == second_id == f"<guichet.case-event.{event.pk}@guichet.localhost>"
