"""Who may open "Mes données", declared on the view."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from accounts.models import Member, User

PARTNER_ROLES = (User.Role.TECHNICIAN, User.Role.PARTNER_MANAGER)


def data_owner_required(view):
    """Members with an activated space and partner accounts (their own data); anyone else
    signed in gets a 404. The view receives the member record (None for a partner):
    `view(request, member, ...)`."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        member = None
        if user.is_member:
            member = Member.objects.filter(user=user, activated_at__isnull=False).first()
            if member is None:
                raise Http404
        elif user.role not in PARTNER_ROLES:
            raise Http404
        return view(request, member, *args, **kwargs)

    return wrapper
