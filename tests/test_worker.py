"""A real Celery worker, started as its own process, runs the jobs the portal queues.

The worker sees the test database and the same broker as the tests: the file-system broker
(in this test's own folders) when REDIS_URL is unset, the real Redis otherwise. It listens on a
queue of its own, so that no other worker on the machine can take the job.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from kombu import Exchange, Queue

from accounts.models import AccountNotice
from accounts.tasks import notify_password_changed
from portal.celery import app as celery_app
from portal.models import WorkerHeartbeat
from portal.tasks import heartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.worker

BASE_DIR = Path(django_settings.BASE_DIR)
WAIT_SECONDS = 60


def _database_url() -> str:
    """The URL of the database the tests are using right now (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        path = Path(db["NAME"]).resolve()
        return f"sqlite:///{path}"  # an absolute path gives sqlite:////abs/path
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def worker_env(settings, tmp_path, celery_conf):
    """Queue jobs for real (not eagerly), on a broker the worker process shares."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_conf(task_always_eager=False)
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _database_url(),
        # The worker's own var/: its file-system broker folders and its outbox.
        "GUICHET_VAR_DIR": str(var_dir),
        "OUTBOX_DIR": str(settings.OUTBOX_DIR),
        "MEDIA_ROOT": settings.STORAGES["default"]["OPTIONS"]["location"],
        "EMAIL_BACKEND": "outbox",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    if not django_settings.REDIS_URL:
        broker = var_dir / "broker"
        options = {
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "control_folder": str(broker / "control"),
            "processed_folder": str(broker / "processed"),
            "store_processed": False,
        }
        for folder in ("queue", "control", "processed"):
            (broker / folder).mkdir(parents=True)
        celery_conf(broker_transport_options=options)
    return env


def _start_worker(env: dict, queue: str, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
    ]
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def _stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _own_queue(name: str) -> Queue:
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def _enqueue(task, *, args, queue: str) -> None:
    """Publish on the worker's own queue, declared first so the message waits for it."""
    with celery_app.connection_for_write() as conn:
        _own_queue(queue)(conn.default_channel).declare()
        task.apply_async(args=args, queue=_own_queue(queue), connection=conn)


def _delete_queue(queue: str) -> None:
    """Leave nothing behind on a shared broker (Redis keeps bindings otherwise)."""
    with celery_app.connection_for_write() as conn:
        bound = _own_queue(queue)(conn.default_channel)
        bound.declare()  # a virtual transport deletes only the bindings its channel knows
        bound.delete()


class RunningWorker:
    """A worker process listening on its own queue; jobs are sent to it with `enqueue`."""

    def __init__(self, env: dict, log: Path):
        self.queue = f"test-worker-{uuid.uuid4().hex[:12]}"
        self.log = log
        self.process = _start_worker(env, self.queue, log)

    def enqueue(self, task, *args) -> None:
        _enqueue(task, args=list(args), queue=self.queue)

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            assert self.process.poll() is None, f"the worker stopped:\n{self.log.read_text()}"
            assert time.monotonic() < deadline, (
                f"{what}: nothing after {WAIT_SECONDS} s; worker log:\n{self.log.read_text()}"
            )
            time.sleep(0.25)

    def stop(self) -> None:
        _stop_worker(self.process)
        _delete_queue(self.queue)


@pytest.fixture
def worker(transactional_db, worker_env, tmp_path):
    running = RunningWorker(worker_env, tmp_path / "worker.log")
    try:
        yield running
    finally:
        running.stop()


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
