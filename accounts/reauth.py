"""Re-authentication before a change of what protects the account (ASVS 5.0, 7.5.1): its email,
its mobile phone, its authenticator app, its remembered browsers or its password.

The person gives their current password, then a code sent to (or shown by) a channel the
account has already verified; the session may then make such changes for REAUTH_WINDOW (5
minutes). Signing in with a password and a code opens the same window: it is the same proof.
"""

import time
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

REAUTH_WINDOW = timedelta(minutes=5)
REAUTH_UNTIL_KEY = "reauth_until"
# Between the password and the code of a re-authentication.
REAUTH_PENDING_KEY = "reauth_pending"


def reauth_open(request) -> None:
    """The session may change the account's protections for the next REAUTH_WINDOW."""
    request.session[REAUTH_UNTIL_KEY] = time.time() + REAUTH_WINDOW.total_seconds()
    request.session.pop(REAUTH_PENDING_KEY, None)


def reauth_is_fresh(request) -> bool:
    until = request.session.get(REAUTH_UNTIL_KEY)
    return isinstance(until, (int, float)) and until > time.time()


def reauth_required(view):
    """The view runs only within the window of a recent re-authentication; otherwise the person
    is sent to "Confirmer votre identité", then back to the page they asked for (a GET; a
    form posted too late is asked again, with the window open)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if reauth_is_fresh(request):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:reauth')}?{query}")

    return wrapper
