"""Who may open a view, declared on the view."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from accounts.models import Member


def member_required(view):
    """Signed-in members with an activated space only; anyone else signed in gets a 404.

    The view receives the `Member` after the request: `view(request, member, ...)`.
    """

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
