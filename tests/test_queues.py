"""Jobs go to the queue of their kind, so that a long PDF or export never holds an email."""

import pytest
from django.conf import settings

from portal.celery import app as celery_app


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("casework.tasks.notify_case_event", "emails"),
        ("accounts.tasks.send_signup_link", "emails"),
        ("accounts.tasks.notify_pending_notices", "emails"),
        ("partners.tasks.send_convention_reminders", "emails"),
        ("documents.tasks.purge_expired_files", "files"),
        ("privacy.tasks.build_data_export", "exports"),
        ("cover.tasks.build_statement_export", "pdfs"),
        ("portal.tasks.heartbeat", "default"),
    ],
)
def test_each_kind_of_job_has_its_queue(task, queue):
    route = celery_app.amqp.router.route({}, task)

    assert route["queue"].name == queue


def test_every_periodic_job_lands_on_a_queue_a_worker_serves():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        route = celery_app.amqp.router.route({}, entry["task"])
        assert route["queue"].name in settings.CELERY_QUEUE_NAMES, entry["task"]
