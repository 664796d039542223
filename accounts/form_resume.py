"""A form sent after the session ended is not lost (issue 14, RGAA 2.2 "time limits").

When a signed-out browser POSTs to a member or partner form (the session expired while the
person was typing), what was sent is kept in the new, anonymous session: the fields as posted
and the ids of the files the attachments widget already stored. Signing in keeps that session's
data (Django cycles the key of an anonymous session, it does not flush it), so the first visit
of the same page afterwards shows the form filled again, files included, with a message saying
what happened. Kept one hour at most, for one form; a newer expired POST replaces it.

Files sent without JavaScript in that POST cannot be kept (nobody is signed in to own them):
the message on the sign-in page does not promise them.
"""

import time
import uuid

from django.contrib import messages
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.remember import cookie_read
from documents.models import StoredFile

RESUME_SESSION_KEY = "guichet_form_resume"
RESUME_SECONDS = 60 * 60
# Never kept: the CSRF token (a new one comes with the page) and the wizard's step button.
_SKIPPED = {"csrfmiddlewaretoken", "_action"}


def _uuids(values) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def form_resume_keep(request) -> None:
    """Keep the signed-out POST of `request` for whoever owns its files, and say so."""
    data = {name: values for name, values in request.POST.lists() if name not in _SKIPPED}
    ids = _uuids(value for values in data.values() for value in values)
    # Only the account that typed it gets the form back: the uploader of its files, else the
    # account this browser last passed a second factor for (the remember-browser cookie holds
    # one account: the one whose session just ended, short of a rare shared browser).
    owner = (
        StoredFile.objects.filter(pk__in=ids).values_list("uploaded_by_id", flat=True).first()
        if ids
        else None
    )
    if owner is None and (remembered := cookie_read(request)) is not None:
        owner = remembered.user_id
    request.session[RESUME_SESSION_KEY] = {
        "path": request.path,
        "data": data,
        "owner": owner,
        "until": time.time() + RESUME_SECONDS,
    }
    messages.warning(
        request,
        _(
            "Votre session a expiré. Reconnectez-vous : ce que vous aviez saisi et les fichiers "
            "joints ont été conservés."
        ),
    )


def _kept_for(request) -> dict | None:
    kept = request.session.get(RESUME_SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("path") != request.path:
        return None
    if kept.get("until", 0) < time.time() or kept.get("owner") not in (None, request.user.pk):
        request.session.pop(RESUME_SESSION_KEY, None)
        return None
    return kept


def form_resume_waiting(request) -> bool:
    """Whether a kept form waits for this page (without taking it)."""
    return _kept_for(request) is not None


def form_resume_take(request) -> QueryDict | None:
    """The data kept for this page, once, with the message that explains it; else None."""
    kept = _kept_for(request)
    if kept is None:
        return None
    request.session.pop(RESUME_SESSION_KEY, None)
    data = QueryDict(mutable=True)
    for name, values in kept["data"].items():
        data.setlist(name, [str(value) for value in values])
    messages.info(
        request,
        _(
            "Votre session avait expiré : votre saisie a été conservée. Vérifiez-la, puis "
            "continuez."
        ),
    )
    return data
