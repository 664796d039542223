"""The session's idle limit, announced before it ends (RGAA 2.2, WCAG 2.2.1 "Timing Adjustable").

Two minutes before `SESSION_IDLE_SECONDS`, `static/js/session-timeout.js` opens the dialog of
`accounts/partials/session_timeout.html`: "Rester connecté" posts here, and this request alone
moves the idle limit (SESSION_SAVE_EVERY_REQUEST); the 12-hour limit is unchanged.
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

# The dialog opens this long before the idle limit.
WARNING_SECONDS = 120


def warning_delay(idle_seconds: int) -> int:
    """Seconds after a page load at which the dialog opens (at once under a short limit)."""
    return max(idle_seconds - WARNING_SECONDS, 1)


@never_cache
@require_POST
def session_extend(request):
    """ "Rester connecté": 200 with the new idle limit, 401 once the session has ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_out": True}, status=401)
    request.session.modified = True
    idle = settings.SESSION_COOKIE_AGE
    return JsonResponse({"idle_seconds": idle, "warn_after": warning_delay(idle)})


urlpatterns = [path("session/prolonger/", session_extend, name="session_extend")]
