import contextlib
import json
import logging
import os
import sys
import time
import uuid

from django.conf import settings
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from cover.summary import POLICYHOLDER, last_payments, year_summary
from portal.faults import database_error_in
from portal.models import Branding, WorkerHeartbeat
from portal.security import REPORT_MAX_BYTES, report_log_due, report_summary

PARTNER_ROLES = ("technician", "partner_manager")
csp_logger = logging.getLogger("portal.csp")


def home(request):
    if not request.user.is_authenticated:
        return render(request, "public_home.html")
    if request.user.role in PARTNER_ROLES:
        # Technicians and partner managers work in the Espace Partenaires, organism first.
        return redirect("partners:choose")
    member = getattr(request.user, "member", None) if request.user.is_member else None
    context = {"member": member}
    if member is not None:
        # "Focus remboursements" (guide 003) and the last three payments (guide 002).
        # "…vos remboursements ou ceux de vos bénéficiaires": everyone, or one person chosen.
        beneficiaries = list(member.beneficiaries.all())
        chosen = request.GET.get("personne", "")
        person = None
        if chosen == POLICYHOLDER:
            person = POLICYHOLDER
        elif chosen:
            person = next((b for b in beneficiaries if str(b.pk) == chosen), None)
            if person is None:
                chosen = ""
        context["cover_summary"] = year_summary(member, person=person)
        context["summary_people"] = [
            ("", _("Vous et vos bénéficiaires")),
            (POLICYHOLDER, member.full_name),
            *[(str(b.pk), b.full_name) for b in beneficiaries],
        ]
        context["summary_person"] = chosen
        context["summary_person_name"] = dict(context["summary_people"]).get(chosen)
        context["last_payments"] = last_payments(member)
    return render(request, "home.html", context)


@require_GET
def logo(request):
    branding = Branding.current()
    if not branding.logo:
        raise Http404
    return FileResponse(branding.logo.open("rb"))


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers post here what the Content-Security-Policy blocked: one log line per violation
    (directive, blocked origin, page path: never a query string, a code sample or who it was)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    body = request.read(REPORT_MAX_BYTES + 1)
    if declared > REPORT_MAX_BYTES or len(body) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        summaries = report_summary(json.loads(body))
    except ValueError:
        summaries = None
    if summaries is None:
        return HttpResponseBadRequest()
    for summary in summaries:
        if report_log_due():
            csp_logger.warning(
                "CSP violation: directive=%(directive)s blocked=%(blocked)s page=%(page)s "
                "source=%(source)s line=%(line)s",
                summary,
            )
    return HttpResponse(status=204)


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
            if conn.transport.driver_type == "filesystem":
                # Nothing to connect to: the broker works when its folders are writable.
                options = conn.transport_options
                for key in ("data_folder_in", "data_folder_out", "control_folder"):
                    folder = options.get(key)
                    if not folder or not os.access(folder, os.W_OK | os.X_OK):
                        return f"error: {key} missing"
            else:
                # No retry: a load balancer wants an answer now, not after a back-off.
                conn.ensure_connection(max_retries=0, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_worker(database: str) -> str:
    if database != "ok":
        # Heartbeats are rows: with the database down, nothing is known of the worker.
        return "unknown: database unavailable"
    since = timezone.now() - settings.WORKER_HEARTBEAT_MAX_AGE
    try:
        alive = WorkerHeartbeat.objects.filter(last_seen__gte=since).exists()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok" if alive else "error: no heartbeat"


def _check_storage() -> str:
    """A small file written to and deleted from the upload storage."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    try:
        name = default_storage.save(f"health/{uuid.uuid4().hex}", ContentFile(b"ok"))
        default_storage.delete(name)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_email() -> str:
    """An SMTP relay must answer NOOP; the outbox (embedded default) must be writable."""
    from django.core.mail import get_connection

    if settings.EMAIL_BACKEND.endswith("OutboxEmailBackend"):
        outbox = settings.OUTBOX_DIR
        if os.path.isdir(outbox) and not os.access(outbox, os.W_OK | os.X_OK):
            return "error: outbox not writable"
        return "ok"
    connection = get_connection(timeout=2)
    try:
        connection.open()
        if getattr(connection, "connection", None) is not None:
            code, _message = connection.connection.noop()
            if code != 250:
                return f"error: NOOP {code}"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return "ok"


# Storage and SMTP answers kept a few seconds, so that a load balancer polling every second
# costs one write and one SMTP session per interval, not one per poll.
HEALTH_MEMO_SECONDS = 5.0
_memo: dict[str, tuple[float, str]] = {}


def _memoised(name: str, check, *, config) -> str:
    """`check()`, or its answer of less than HEALTH_MEMO_SECONDS ago for the same `config`."""
    now = time.monotonic()
    name = f"{name}:{config!r}"
    kept = _memo.get(name)
    if kept is not None and now - kept[0] < HEALTH_MEMO_SECONDS:
        return kept[1]
    value = check()
    _memo[name] = (now, value)
    return value


@never_cache
@require_safe
def health(request):
    """For load balancers and operators: each component's state, 200 when all answer, else 503.

    The database, the broker, a worker (its heartbeat, unknown while the database is down), the
    upload storage (a file written and deleted) and the email relay (NOOP)."""
    database = _check_database()
    checks = {
        "database": database,
        "broker": _check_broker(),
        "worker": _check_worker(database),
        "storage": _memoised("storage", _check_storage, config=settings.STORAGES["default"]),
        "email": _memoised(
            "email",
            _check_email,
            config=(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT),
        ),
    }
    healthy = all(value == "ok" for value in checks.values())
    body = json.dumps({"status": "ok" if healthy else "error", "checks": checks})
    return HttpResponse(body, status=200 if healthy else 503, content_type="application/json")


def csrf_failure(request, reason=""):
    """An expired form (often a session that timed out) gets a page that says what to do."""
    return render(request, "403_csrf.html", status=403)


# -- Error pages -----------------------------------------------------------------------------
# Rendered without the request's context processors: the branding, the session and the user
# all need the database, which may be what failed.
def _unavailable():
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    """500, or the 503 page "Service momentanément indisponible" when the database failed."""
    if database_error_in(sys.exception()):
        return _unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())


def bad_request(request, exception):
    """A session that could not be saved because the database failed is a 503 like any other
    database error, not Django's bare English "Bad Request (400)"."""
    if database_error_in(exception):
        return _unavailable()
    return HttpResponseBadRequest(loader.get_template("400.html").render())
