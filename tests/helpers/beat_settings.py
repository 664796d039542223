"""Settings of the beat processes started by tests/test_beat_lock.py: the real settings, with one
periodic job due every second, sent to the test's own queue (BEAT_PROBE_QUEUE)."""

import os

from portal.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "probe": {
        "task": "portal.tasks.heartbeat",
        "schedule": 1.0,
        "options": {"queue": os.environ["BEAT_PROBE_QUEUE"]},
    }
}
