"""Beat runs once: two `celery beat` processes started by mistake send each periodic job once.

Real processes on the settings' broker (the file system, or Redis when REDIS_URL is set, where
the lock is a Redis key); the periodic job under test is sent every second to a queue of its
own, and the test counts what arrived there.
"""

import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from kombu import Exchange, Queue

from portal.celery import app as celery_app

pytestmark = pytest.mark.worker

WINDOW_SECONDS = 6


def _start_beat(env: dict, name: str, tmp_path) -> tuple[subprocess.Popen, object]:
    log = tmp_path / f"beat-{name}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "beat",
        "--loglevel=INFO",
        f"--schedule={tmp_path / f'schedule-{name}'}",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    return process, log


def _wait_for_line(process, log, text: str, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text():
        assert process.poll() is None, f"beat stopped:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"no {text!r} in:\n{log.read_text()}"
        time.sleep(0.2)


def _stop(process) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _queue(name: str) -> Queue:
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def _sent_during(queue: str, seconds: float) -> int:
    """Messages that arrived on `queue` during the next `seconds`."""
    with celery_app.connection_for_write() as conn:
        bound = _queue(queue)(conn.default_channel)
        bound.declare()
        bound.purge()
        time.sleep(seconds)
        return bound.queue_declare(passive=True).message_count


@pytest.fixture
def beat_env(worker_env, tmp_path):
    queue = f"test-beat-{uuid.uuid4().hex[:12]}"
    env = {
        **worker_env,
        "DJANGO_SETTINGS_MODULE": "tests.helpers.beat_settings",
        "BEAT_PROBE_QUEUE": queue,
        "BEAT_LOCK_SECONDS": "5",
        "BEAT_LOCK_KEY": f"guichet:test-beat-lock:{queue}",
    }
    yield env, queue
    with celery_app.connection_for_write() as conn:
        bound = _queue(queue)(conn.default_channel)
        bound.declare()
        bound.delete()


def test_a_second_beat_sends_nothing_while_the_first_runs_and_takes_over_when_it_stops(
    beat_env, tmp_path
):
    env, queue = beat_env
    first, first_log = _start_beat(env, "first", tmp_path)
    second = None
    try:
        _wait_for_line(first, first_log, "beat lock taken")
        second, second_log = _start_beat(env, "second", tmp_path)
        _wait_for_line(second, second_log, "beat lock not held")

        # The probe is due every second: one beat sends about WINDOW_SECONDS, two would
        # send twice as many.
        sent = _sent_during(queue, WINDOW_SECONDS)
        assert 2 <= sent <= WINDOW_SECONDS + 2, f"{sent} probes in {WINDOW_SECONDS} s"

        _stop(first)
        _wait_for_line(second, second_log, "beat lock taken", timeout=20)
        assert _sent_during(queue, 4) >= 2
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
