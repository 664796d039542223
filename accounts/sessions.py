"""Open sessions and remembered browsers as "Mes appareils et sessions" shows them.

Sessions live in Django's session engine (the database by default, SESSION_ENGINE); what the
page shows of each is a `SessionActivity` row keyed by the session key: the browser, the first
bytes of the address (never the whole address, no geolocation database) and the last use,
written at most once a minute. Ending a session goes through the engine, so the same code works
with cache sessions.
"""

import ipaddress
import re
import time
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SessionActivity, User

ACTIVITY_EVERY_SECONDS = 60
ACTIVITY_AT_KEY = "activity_at"
USER_AGENT_MAX = 300


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def ip_prefix(ip: str | None) -> str:
    """The address's first bytes only: "192.168.x.x", "2001:db8:x:x:…"."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ""
    if address.version == 4:
        first, second, *_rest = str(address).split(".")
        return f"{first}.{second}.x.x"
    groups = address.exploded.split(":")
    return f"{groups[0].lstrip('0') or '0'}:{groups[1].lstrip('0') or '0'}:x:x:…"


# The first match names the browser and the system; order matters (Edge and Opera say Chrome).
_BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|Chromium/|CriOS/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]


def browser_label(user_agent: str) -> str:
    """ "Firefox sur Windows", from the User-Agent header; "Navigateur inconnu" otherwise."""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return _("%(browser)s sur %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Navigateur inconnu")


def request_user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]


def session_activity_record(request, *, force: bool = False) -> None:
    """Note that the signed-in session of `request` was used now; at most once a minute unless
    `force` (sign-in)."""
    from accounts.remember import client_ip

    key = request.session.session_key
    if not key or not request.user.is_authenticated:
        return
    now = time.time()
    last = request.session.get(ACTIVITY_AT_KEY)
    if not force and isinstance(last, (int, float)) and now - last < ACTIVITY_EVERY_SECONDS:
        return
    request.session[ACTIVITY_AT_KEY] = now
    SessionActivity.objects.update_or_create(
        session_key=key,
        defaults={
            "user": request.user,
            "user_agent": request_user_agent(request),
            "ip_prefix": ip_prefix(client_ip(request)),
            "last_seen_at": timezone.now(),
        },
    )


def _session_is_users(key: str, user: User) -> bool:
    """Whether the session engine still holds `key`, unexpired, signed in as `user`."""
    store = _session_store()(session_key=key)
    data = store.load()
    return str(data.get("_auth_user_id", "")) == str(user.pk)


def open_sessions(*, user: User) -> list[SessionActivity]:
    """The account's sessions still open, most recently used first; the rows of ended sessions
    are deleted on the way."""
    live, gone = [], []
    for activity in SessionActivity.objects.filter(user=user).order_by("-last_seen_at"):
        (live if _session_is_users(activity.session_key, user) else gone).append(activity.pk)
    if gone:
        SessionActivity.objects.filter(pk__in=gone).delete()
    return list(SessionActivity.objects.filter(pk__in=live).order_by("-last_seen_at"))


def sessions_end(*, user: User, keep: str | None = None) -> int:
    """End every open session of `user` but the one keyed `keep`; returns how many ended."""
    ended = 0
    store_class = _session_store()
    for activity in SessionActivity.objects.filter(user=user).exclude(session_key=keep or ""):
        if _session_is_users(activity.session_key, user):
            store_class(session_key=activity.session_key).delete()
            ended += 1
        activity.delete()
    return ended


class SessionActivityMiddleware:
    """Keeps `SessionActivity` current for signed-in sessions (after the view, once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session_activity_record(request)
        return response
