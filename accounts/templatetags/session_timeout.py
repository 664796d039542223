from django import template
from django.conf import settings

from accounts.views.session import warning_delay

register = template.Library()


@register.inclusion_tag("accounts/partials/session_timeout.html", takes_context=True)
def session_timeout_dialog(context):
    """The "Rester connecté" dialog of a signed-in page (accounts.views.session)."""
    idle = settings.SESSION_COOKIE_AGE
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "idle_seconds": idle,
        "warn_after": warning_delay(idle),
        "warning_minutes": max((idle - warning_delay(idle)) // 60, 1),
    }
