""" "Mes appareils et sessions" (remembered browsers and open sessions, "Retirer",
"Déconnecter les autres sessions") and the "Ce n'était pas moi" page of the notices."""

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.decorators import member_required
from accounts.models import TrustedBrowser
from accounts.reauth import reauth_required
from accounts.remember import cookie_read, key_digest
from accounts.services.devices import (
    account_report_not_me,
    other_sessions_end,
    trusted_browser_forget,
)
from accounts.sessions import browser_label, ip_prefix, open_sessions
from accounts.tokens import not_me_user


@member_required
def devices(request, member):
    user = request.user
    cookie = cookie_read(request)
    current_hash = key_digest(cookie.key) if cookie and cookie.user_id == user.pk else ""
    browsers = [
        {
            "pk": browser.pk,
            "label": browser_label(browser.user_agent),
            "place": ip_prefix(browser.last_ip),
            "last_used": browser.last_used_at or browser.verified_at,
            "current": browser.key_hash == current_hash,
        }
        for browser in TrustedBrowser.objects.filter(user=user, remembered=True).order_by(
            "-verified_at"
        )
    ]
    sessions = [
        {
            "label": browser_label(activity.user_agent),
            "place": activity.ip_prefix,
            "last_used": activity.last_seen_at,
            "current": activity.session_key == request.session.session_key,
        }
        for activity in open_sessions(user=user)
    ]
    return render(
        request,
        "accounts/devices.html",
        {
            "browsers": browsers,
            "sessions": sessions,
            "others": sum(1 for session in sessions if not session["current"]),
        },
    )


@member_required
@reauth_required
def device_forget(request, member, pk):
    if request.method != "POST":
        return redirect("accounts:devices")
    if not trusted_browser_forget(user=request.user, browser_id=pk):
        raise Http404
    messages.success(
        request,
        _("Ce navigateur n'est plus mémorisé : un code y sera demandé à la prochaine connexion."),
    )
    return redirect("accounts:devices")


@member_required
@reauth_required
def sessions_logout_others(request, member):
    if request.method != "POST":
        return redirect("accounts:devices")
    other_sessions_end(user=request.user, current_key=request.session.session_key)
    messages.success(request, _("Vos autres sessions ont été déconnectées."))
    return redirect("accounts:devices")


@never_cache
def not_me(request, secret):
    """The link of a sign-in or space-creation email: one button ends every session of the
    account (GET only shows it, so that a mail scanner following links changes nothing)."""
    user = not_me_user(secret=secret)
    if user is None:
        return render(request, "accounts/not_me.html", {"invalid": True}, status=410)
    done = False
    if request.method == "POST":
        account_report_not_me(user=user)
        if request.user.is_authenticated:
            auth_logout(request)
        done = True
    return render(
        request,
        "accounts/not_me.html",
        {"done": done},
    )


urlpatterns = [
    path("mes-informations/appareils/", devices, name="devices"),
    path("mes-informations/appareils/<int:pk>/retirer/", device_forget, name="device_forget"),
    path(
        "mes-informations/appareils/deconnecter/",
        sessions_logout_others,
        name="sessions_logout_others",
    ),
    path("ce-n-etait-pas-moi/<str:secret>/", not_me, name="not_me"),
]
