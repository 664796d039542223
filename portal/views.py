import json

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.models import Branding, WorkerHeartbeat


def home(request):
    if not request.user.is_authenticated:
        return render(request, "public_home.html")
    member = getattr(request.user, "member", None) if request.user.is_member else None
    return render(request, "home.html", {"member": member})


@require_GET
def logo(request):
    branding = Branding.current()
    if not branding.logo:
        raise Http404
    return FileResponse(branding.logo.open("rb"))


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down" for a load balancer
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_broker() -> str:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_worker() -> str:
    since = timezone.now() - settings.WORKER_HEARTBEAT_MAX_AGE
    try:
        alive = WorkerHeartbeat.objects.filter(last_seen__gte=since).exists()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok" if alive else "error: no heartbeat"


@never_cache
@require_GET
def health(request):
    """For load balancers: 200 when the database, the broker and a worker answer, else 503."""
    checks = {"database": _check_database(), "broker": _check_broker(), "worker": _check_worker()}
    healthy = all(value == "ok" for value in checks.values())
    body = json.dumps({"status": "ok" if healthy else "error", "checks": checks})
    return HttpResponse(body, status=200 if healthy else 503, content_type="application/json")
