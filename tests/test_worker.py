"""A real Celery worker, started as its own process, runs the jobs the portal queues.

The worker sees the test database and the same broker as the tests: the file-system broker
(in this test's own folders) when REDIS_URL is unset, the real Redis otherwise. It listens on a
queue of its own, so that no other worker on the machine can take the job.
"""

from pathlib import Path

import pytest

from accounts.models import AccountNotice
from accounts.tasks import notify_password_changed
from portal.models import WorkerHeartbeat
from portal.tasks import heartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.worker


def test_a_separate_worker_process_runs_a_queued_heartbeat(worker):
    hostname = f"{worker.queue}-heartbeat"

    worker.enqueue(heartbeat, hostname)

    worker.wait_for(lambda: WorkerHeartbeat.objects.filter(hostname=hostname).exists(), "heartbeat")
    assert WorkerHeartbeat.objects.get(hostname=hostname).last_seen


def test_a_separate_worker_process_sends_a_queued_email(worker, outbox):
    user = UserFactory(email="marie.worker@example.org")
    notice = AccountNotice.objects.create(
        kind=AccountNotice.Kind.PASSWORD_CHANGED, recipient=user.email, user=user
    )

    worker.enqueue(notify_password_changed, notice.pk)

    worker.wait_for(lambda: outbox.count("email") == 1, "email in the outbox")
    email = outbox.last("email", to="marie.worker@example.org")
    assert "mot de passe" in email.subject
    assert "Task accounts.tasks.notify_password_changed" in worker.log.read_text()


def test_the_worker_sends_a_status_email_once_and_purges_expired_files(
    worker, outbox, settings, celery_conf
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from casework.models import CaseEvent
    from casework.services import case_move
    from casework.tasks import notify_case_event
    from documents.models import StoredFile
    from documents.rules import SEND_DOCUMENT
    from documents.services import stored_file_create
    from documents.tasks import purge_expired_files
    from requests_app.services import member_request_submit
    from tests.factories import make_member_account
    from tests.test_uploads import pdf_bytes

    member = make_member_account(email="marie.requests@example.org")
    manager = UserFactory(role="insurer_manager", is_staff=True)
    upload = stored_file_create(
        uploaded=SimpleUploadedFile("facture.pdf", pdf_bytes()), rules=SEND_DOCUMENT, by=member.user
    )
    # The submission's own email goes out in this process (eagerly)...
    celery_conf(task_always_eager=True)
    request = member_request_submit(
        member=member, kind="document", by=member.user, attachments=[upload]
    )
    case_move(case=request, move="take", by=manager)
    celery_conf(task_always_eager=False)
    assert outbox.count("email") == 2
    received = CaseEvent.objects.get(case_id=request.pk, action="submit")

    # ...and the worker, delivered the same job again, does not send it twice.
    worker.enqueue(notify_case_event, received.pk)
    worker.wait_for(
        lambda: (
            "notify_case_event" in worker.log.read_text() and "succeeded" in worker.log.read_text()
        ),
        "the status job",
    )
    assert outbox.count("email") == 2

    # Past the retention period, the worker's purge deletes the file and says it expired.
    StoredFile.objects.filter(pk=upload.pk).update(expires_at=timezone.now())
    path = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / upload.file.name
    assert path.exists()
    worker.enqueue(purge_expired_files)
    worker.wait_for(
        lambda: StoredFile.objects.get(pk=upload.pk).deleted_at is not None, "the purge"
    )
    assert not path.exists()


def test_the_worker_emails_a_technician_once_when_a_partner_request_is_taken(
    worker, outbox, celery_conf
):
    import re

    from casework.models import CaseEvent
    from casework.services import case_move
    from casework.tasks import notify_case_event
    from tests.factories import (
        ConventionFactory,
        OrganismFactory,
        make_partner_request,
        make_partner_user,
    )

    technician = make_partner_user("technician", email="sophie.worker@example.org")
    organism = OrganismFactory(name="CPAM GIRONDE", code="331")
    ConventionFactory(structure=technician.partner_membership.structure, organism=organism)
    manager = UserFactory(role="insurer_manager", is_staff=True)
    request = make_partner_request(technician=technician, organism=organism)
    # Taken in charge with the job run in this process; the change is then set back to "not
    # emailed yet" so that the worker's delivery is the one that sends.
    celery_conf(task_always_eager=True)
    case_move(case=request, move="take", by=manager)
    celery_conf(task_always_eager=False)
    event = CaseEvent.objects.get(case_id=request.pk, action="take")
    CaseEvent.objects.filter(pk=event.pk).update(notified_at=None)
    for message in outbox.all():
        message.path.unlink()

    worker.enqueue(notify_case_event, event.pk)
    worker.wait_for(lambda: outbox.count("email") == 1, "the email in the outbox")
    email = outbox.last("email", to="sophie.worker@example.org")
    assert request.number in email.subject
    # Delivered a second time, the same job sends nothing.
    worker.enqueue(notify_case_event, event.pk)
    done = re.compile(r"notify_case_event\[[^\]]+\] succeeded")
    worker.wait_for(lambda: len(done.findall(worker.log.read_text())) == 2, "the second delivery")
    assert outbox.count("email") == 1
