"""Who may open a view, declared on the view."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from accounts.form_resume import form_resume_keep
from accounts.models import Member


def keep_signed_out_post(view):
    """A POST from a browser whose session ended is kept for after the sign-in
    (`accounts.form_resume`); the view's own access check then sends it to sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            form_resume_keep(request)
        return view(request, *args, **kwargs)

    return wrapper


def member_required(view):
    """Signed-in members with an activated space only; anyone else signed in gets a 404.

    The view receives the `Member` after the request: `view(request, member, ...)`. A form
    POSTed once the session has ended is kept for after the sign-in (`keep_signed_out_post`).
    """

    @keep_signed_out_post
    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = None
        if request.user.is_member:
            member = Member.objects.filter(user=request.user, activated_at__isnull=False).first()
        if member is None:
            raise Http404
        return view(request, member, *args, **kwargs)

    return wrapper
