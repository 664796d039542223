"""A real Celery worker, started as its own process, for the tests that need one.

The worker sees the test database and the same broker as the tests: the file-system broker
(in the test's own folders) when REDIS_URL is unset, the real Redis otherwise. It listens on a
queue of its own, so that no other worker on the machine can take the job. The fixtures
`worker_env` and `worker` (tests/conftest.py) start it.
"""

import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings as django_settings
from django.db import connection
from kombu import Exchange, Queue

from portal.celery import app as celery_app

BASE_DIR = Path(django_settings.BASE_DIR)
WAIT_SECONDS = 60


def database_url() -> str:
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
