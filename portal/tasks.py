import socket

from celery import shared_task
from django.utils import timezone

from portal.models import WorkerHeartbeat


@shared_task
def heartbeat(hostname: str = "") -> None:
    """Record that a worker is alive (the health endpoint reads it)."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(), defaults={"last_seen": timezone.now()}
    )
