"""Response headers that harden every page (issue 17), and the CSP violation reports.

- `ContentSecurityPolicyMiddleware`: django-csp's, with the one exception the Django admin
  needs: its templates load their scripts with plain `<script src>` (no nonce in Django 5.2), so
  under `/gestion/` scripts may also come from our own origin, and the admin's one inline
  `<style>` (the change list without actions) is allowed by its hash. Nowhere `unsafe-inline`.
- `SecurityHeadersMiddleware`: `Permissions-Policy`; `Cache-Control: no-store` on every answer
  to a signed-in person (or to a browser in the middle of signing in: its session holds data);
  `Clear-Site-Data` on the answer that signs a person out.
- `report_summary`: what a CSP report may put in the logs (no query string, no sample of code).
"""

import base64
import hashlib
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import django
from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

ADMIN_PREFIX = "/gestion/"
# "cookies" is left out on purpose: it would also forget the remembered browser (the second
# factor is skipped on a known browser, guide 003) and the chosen language; the session cookie
# itself is already ended by the sign-out.
CLEAR_SITE_DATA = '"cache", "storage"'
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        # "Autour de moi" (directory search) asks the browser for the position.
        "geolocation=(self)",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
    ]
)


def _admin_inline_style_hashes() -> list[str]:
    """The CSP hashes of the `<style>` blocks of Django's admin templates, read from the
    installed Django, so that an upgrade that changes them changes the hashes too."""
    templates = Path(django.__file__).parent / "contrib" / "admin" / "templates" / "admin"
    hashes = []
    for template in sorted(templates.glob("*.html")):
        for block in re.findall(r"<style>(.*?)</style>", template.read_text(), re.S):
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return hashes


ADMIN_POLICY_UPDATE = {"script-src": [SELF], "style-src": _admin_inline_style_hashes()}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_request(self, request):
        super().process_request(request)
        # Made at once, not when a template first asks: a page without scripts (the error
        # pages) still gets `script-src 'nonce-…'`, never a bare `script-src` (no source).
        str(request.csp_nonce)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = ADMIN_POLICY_UPDATE
        return parts


@receiver(user_logged_out)
def _clear_site_data_at_sign_out(sender, request, **kwargs):
    if request is not None:
        request.clear_site_data = True


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(request, "clear_site_data", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        if _holds_personal_data(request) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


def _holds_personal_data(request) -> bool:
    try:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        session = getattr(request, "session", None)
        return session is not None and not session.is_empty()
    except Exception:  # noqa: BLE001 - the session store is down: in doubt, nothing is kept
        return True


# -- Violation reports -------------------------------------------------------------------------
REPORT_MAX_BYTES = 16 * 1024
REPORTS_LOGGED_PER_MINUTE = 60
_window = {"start": 0.0, "count": 0}
_window_lock = threading.Lock()


def report_log_due(*, now: float | None = None) -> bool:
    """At most REPORTS_LOGGED_PER_MINUTE lines a minute per process: a page that breaks under
    traffic, or someone posting reports in a loop, cannot fill a disk."""
    now = time.monotonic() if now is None else now
    with _window_lock:
        if now - _window["start"] >= 60:
            _window["start"], _window["count"] = now, 0
        _window["count"] += 1
        return _window["count"] <= REPORTS_LOGGED_PER_MINUTE


def _where(uri) -> str:
    """A URL reduced to what says where without saying who: scheme, host and path, never the
    query string or the fragment; keywords ("inline", "eval", "data") stay as they are."""
    if not isinstance(uri, str) or not uri:
        return "-"
    parts = urlsplit(uri)
    if not parts.scheme or not parts.netloc:
        return uri.split(":", 1)[0][:40] if parts.scheme else uri[:40]
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:200]


def report_summary(payload) -> list[dict] | None:
    """The fields worth logging of each report in a `report-uri` body (`{"csp-report": {...}}`)
    or a Reporting API body (`[{"type": "csp-violation", "body": {...}}]`); None if the body is
    neither."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        reports = [payload["csp-report"]]
    elif isinstance(payload, list):
        reports = [
            item["body"]
            for item in payload
            if isinstance(item, dict) and isinstance(item.get("body"), dict)
        ]
    else:
        return None
    summaries = []
    for report in reports[:10]:

        def field(*names, report=report):
            for name in names:
                if name in report:
                    return report[name]
            return None

        line = field("line-number", "lineNumber")
        summaries.append(
            {
                "directive": str(
                    field("effective-directive", "effectiveDirective", "violated-directive") or "-"
                )[:60],
                "blocked": _where(field("blocked-uri", "blockedURL")),
                "page": _where(field("document-uri", "documentURL")),
                "source": _where(field("source-file", "sourceFile")),
                "line": line if isinstance(line, int) else "-",
            }
        )
    return summaries
