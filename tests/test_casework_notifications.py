"""The emails of the casework core: one per event, sent once because the event row says so,
from the insurer's name; the catch-up job reads only the events still to send; reminders go a
week apart while a complement is awaited."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from casework import jobs, tasks
from casework.models import CaseEvent
from casework.notifications import case_event_notify, pending_event_ids
from casework.services import case_move
from portal.models import Branding
from requests_app.models import MemberRequest
from requests_app.services import member_request_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def committed(monkeypatch):
    """Writes made here run their on-commit callbacks (the emails' tasks) as a real commit
    would, as soon as each service returns."""
    import casework.services as services

    def run_now(callback, using=None, robust=False):
        callback()

    monkeypatch.setattr(services.transaction, "on_commit", run_now)


def _submit(member):
    return member_request_submit(
        member=member, kind="question", by=member.user, message="Ma carte, s'il vous plaît ?"
    )


def _awaiting(member, manager):
    request = _submit(member)
    case_move(case=request, move="take", by=manager)
    case_move(case=request, move="ask", by=manager, text="Votre numéro de sécurité sociale ?")
    return request


def test_an_event_is_emailed_once_however_often_its_task_runs(member, outbox):
    request = _submit(member)
    event = CaseEvent.objects.get(case_id=request.pk, action="submit")
    assert outbox.count("email") == 1
    assert tasks.notify_case_event(event.pk) is False
    assert case_event_notify(event_id=event.pk) is False
    assert outbox.count("email") == 1
    event.refresh_from_db()
    assert event.notified_at is not None


def test_emails_come_from_the_insurers_name(member, outbox):
    branding = Branding.current()
    branding.insurer_name = "Mutuelle des Lilas"
    branding.save()
    _submit(member)
    sent = outbox.last("email")
    headers = sent.path.read_text(encoding="utf-8")
    assert "From: Mutuelle des Lilas <ne-pas-repondre@guichet.localhost>" in headers
    assert "Mutuelle des Lilas" in sent.text and "Mutuelle des Lilas" in sent.html


def test_status_emails_carry_no_content_of_the_request(member, insurer_manager, outbox):
    request = _awaiting(member, insurer_manager)
    asked = outbox.last("email")
    assert asked.subject == f"Votre demande {request.reference} : un complément vous est demandé"
    assert "sécurité sociale" not in asked.text and "sécurité sociale" not in asked.html
    assert request.reference in asked.text


def test_the_catch_up_sends_what_the_broker_never_got(
    member, outbox, broker_down, celery_conf, caplog
):
    request = _submit(member)
    event = CaseEvent.objects.get(case_id=request.pk, action="submit")
    assert outbox.count("email") == 0
    # One line, no traceback repeated per request.
    [line] = [r for r in caplog.records if r.name == "portal.queueing"]
    assert line.getMessage().startswith("job not queued: ")
    celery_conf(task_always_eager=True)

    # Fresh: left to the task queued at commit.
    assert tasks.notify_pending_events() == 0
    CaseEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(minutes=5))
    assert tasks.notify_pending_events() == 1
    assert outbox.count("email") == 1
    assert tasks.notify_pending_events() == 0
    assert outbox.count("email") == 1


def test_the_catch_up_leaves_news_older_than_three_days(member, monkeypatch):
    monkeypatch.setattr(tasks.notify_case_event, "delay", lambda pk: None)
    request = _submit(member)
    CaseEvent.objects.filter(case_id=request.pk).update(at=timezone.now() - timedelta(days=4))
    assert pending_event_ids() == []


def test_the_catch_up_reads_only_the_index_of_unsent_emails(member, monkeypatch):
    monkeypatch.setattr(tasks.notify_case_event, "delay", lambda pk: None)
    _submit(member)
    now = timezone.now()
    query = CaseEvent.objects.filter(
        notified_at__isnull=True,
        notification__gt="",
        at__lte=now - timedelta(minutes=2),
        at__gte=now - timedelta(days=3),
    ).values_list("pk", flat=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    assert "caseevent_unsent" in query.explain()


def test_a_complement_awaited_a_week_is_recalled_once_a_week(member, insurer_manager, outbox):
    request = _awaiting(member, insurer_manager)
    emails = outbox.count("email")
    assert tasks.send_reminders() == 0
    week_ago = timezone.now() - timedelta(days=7, minutes=1)
    MemberRequest.objects.filter(pk=request.pk).update(awaiting_since=week_ago)
    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0
    assert outbox.count("email") == emails + 1
    reminder = outbox.last("email")
    assert reminder.subject == f"Rappel : votre demande {request.reference} attend votre réponse"

    # A week after the first reminder, a second one.
    later = timezone.now() + timedelta(days=7, minutes=1)
    assert len(jobs.case_reminders_record(now=later)) == 1
    assert len(jobs.case_reminders_record(now=later)) == 0


def test_no_reminder_once_the_member_answered(member, insurer_manager):
    request = _awaiting(member, insurer_manager)
    case_move(case=request, move="reply", by=member.user, text="Le voici : 2 80 05 ...")
    MemberRequest.objects.filter(pk=request.pk).update(
        awaiting_since=timezone.now() - timedelta(days=30)
    )
    assert tasks.send_reminders() == 0


def test_an_answer_sent_by_email_carries_its_text_never_its_files(member, insurer_manager, outbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.rules import ANSWER
    from documents.services import stored_file_create
    from tests.test_uploads import pdf_bytes

    request = member_request_submit(
        member=member, kind="message", by=member.user, message="Bonjour", contact_form=True
    )
    case_move(case=request, move="take", by=insurer_manager)
    letter = stored_file_create(
        uploaded=SimpleUploadedFile("courrier.pdf", pdf_bytes()), rules=ANSWER, by=insurer_manager
    )
    case_move(
        case=request, move="resolve", by=insurer_manager, text="Votre RIB est bien enregistré.",
        attachments=[letter], email_text=True,
    )  # fmt: skip
    answer = outbox.last("email")
    assert "Votre RIB est bien enregistré." in answer.text
    assert "Votre RIB est bien enregistré." in answer.html
    assert "Un document accompagne cette réponse" in answer.text
    assert not list(answer.path.read_bytes().split(b"Content-Disposition: attachment")[1:])


def test_the_text_goes_by_email_only_where_the_type_allows_it(member, insurer_manager, outbox):
    request = member_request_submit(
        member=member, kind="document", by=member.user, message="Facture"
    )
    case_move(case=request, move="take", by=insurer_manager)
    event = case_move(
        case=request, move="resolve", by=insurer_manager, text="Remboursé le 12.", email_text=True
    )
    assert event.message.email_text is False
    assert "Remboursé le 12." not in outbox.last("email").text
