import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_STARTED_KEY = "guichet_session_started"


class SessionLifetimeMiddleware:
    """End an authenticated session 12 hours after sign-in, however active it was.

    The idle limit (30 minutes) is Django's own SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST;
    this adds the absolute limit, which Django lacks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = int(time.time())
            elif time.time() - started > settings.SESSION_MAX_AGE_SECONDS:
                logout(request)
        return self.get_response(request)
