"""Queueing a background job without ever breaking the page that queues it.

A job announces something a row already records (an event to email, a notice, a link to
make); when the broker is down the row stays and a catch-up job delivers it later. So the
publish is tried once, without kombu's retries (which cost 0.6 s per request during a Redis
outage and logged a traceback each time), and a failure is one log line (portal.faults).
"""

import logging

from django.db import transaction

from portal.faults import log_fault

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Queue `task(*args)` now; False (and one log line) if the broker refused it, or, when
    Celery runs eagerly (tests, no worker), if the job itself failed after its retries."""
    try:
        if task.app.conf.task_always_eager:
            task.apply_async(args=args)
        else:
            with task.app.pool.acquire(block=True) as connection:
                # One connection attempt, not kombu's default_channel retries (2 s and more).
                connection.ensure_connection(max_retries=0)
                task.apply_async(args=args, retry=False, connection=connection)
    except Exception as exc:  # noqa: BLE001 - the page goes on; the row's catch-up delivers
        log_fault(logger, "job not queued", exc, task=task.name)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Queue `task(*args)` once the caller's transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: enqueue(task, *args))
