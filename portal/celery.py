import os

from celery import Celery
from celery.signals import beat_init, worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_at_start(sender, **kwargs):
    """Report a new worker at once, through its own queue, rather than at beat's first tick."""
    from portal.tasks import heartbeat

    queue = next(iter(sender.app.amqp.queues.consume_from), None)
    heartbeat.apply_async(queue=queue)


@worker_init.connect
@beat_init.connect
def _job_statement_timeout(**kwargs):
    """Jobs may run longer statements than a web request (DB_JOB_STATEMENT_TIMEOUT)."""
    from portal.db import use_job_statement_timeout

    use_job_statement_timeout()
