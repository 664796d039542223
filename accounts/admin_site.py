"""A second factor for the Django admin (mounted at /gestion/).

The admin keeps its own pages but never its own login form: access needs an active staff
account whose session passed a second factor through our sign-in (`request.user.is_verified()`,
set by django-otp). Anyone else is sent to "Me connecter" with `?next=` back to the admin.
"""

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

_MARK = "_guichet_second_factor"


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def require_second_factor(site: AdminSite) -> AdminSite:
    """Make `site` require an active, staff, OTP-verified user, and use our sign-in page.

    Call it before `site.urls` is first read (the admin binds its login view when it builds its
    URLs). Calling it twice changes nothing.
    """
    if getattr(site, _MARK, False):
        return site

    def has_permission(request):
        user = request.user
        return bool(user.is_active and user.is_staff and _is_verified(user))

    def login(request, extra_context=None):
        index = reverse("admin:index", current_app=site.name)
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if has_permission(request):
            return HttpResponseRedirect(next_url)
        user = request.user
        if user.is_authenticated and not (user.is_active and user.is_staff):
            # Signed in, verified or not, but not a manager: going through sign-in again
            # would not help, and the back office is none of their business (404).
            raise Http404
        query = urlencode({"next": next_url})
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")

    site.has_permission = has_permission
    site.login = login
    setattr(site, _MARK, True)
    return site
