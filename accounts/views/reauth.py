""" "Confirmer votre identité": the current password, then a code, before a change of what
protects the account (accounts.reauth)."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.decorators import otp_required

from accounts.codes import CodeError, code_send
from accounts.forms_signin import CodeForm, DeviceChoiceForm, ReauthPasswordForm
from accounts.models import CodeDevice
from accounts.reauth import REAUTH_PENDING_KEY, reauth_open
from accounts.services.signin import (
    SigninRefused,
    signin_check_password,
    signin_code_verify,
    signin_devices,
)
from accounts.views.signin import code_sent_message, device_label

app_name = "accounts"

# The password step stays good this long while the person gets their code.
PASSWORD_STEP_SECONDS = 10 * 60


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@sensitive_post_parameters("password", "code")
@login_required
@otp_required(login_url="accounts:login")
@never_cache
def reauth(request):
    user = request.user
    next_url = _next_url(request)
    pending = request.session.get(REAUTH_PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        pending = None
    action = request.POST.get("action") if request.method == "POST" else None
    password_form = ReauthPasswordForm()
    context = {
        "next": next_url,
        "cancel_url": reverse("accounts:profile") if user.is_member else reverse("home"),
    }

    if pending is None:
        if action == "password":
            password_form = ReauthPasswordForm(request.POST)
            if password_form.is_valid():
                try:
                    checked = signin_check_password(
                        request=request,
                        identifier=user.get_username(),
                        password=password_form.cleaned_data["password"],
                    )
                except SigninRefused as refused:
                    password_form.add_error("password", refused.message)
                else:
                    if checked.pk == user.pk:
                        request.session[REAUTH_PENDING_KEY] = {
                            "until": time.time() + PASSWORD_STEP_SECONDS,
                            "device": None,
                        }
                        return redirect(f"{request.path}?{request.GET.urlencode()}")
                    password_form.add_error("password", _("Le mot de passe est incorrect."))
        return render(request, "accounts/reauth.html", {**context, "password_form": password_form})

    devices = signin_devices(user=user)
    if not devices:
        messages.error(
            request,
            _(
                "Aucun moyen de recevoir un code n'est enregistré pour ce compte. "
                "Contactez votre organisme."
            ),
        )
        return redirect(context["cancel_url"])
    by_id = {device.persistent_id: device for device in devices}
    selected = by_id.get(pending.get("device") or "")
    choices = [(device.persistent_id, device_label(device)) for device in devices]
    choice_form = DeviceChoiceForm(choices=choices, initial={"device": choices[0][0]})
    code_form = CodeForm()

    if action == "send":
        choice_form = DeviceChoiceForm(request.POST, choices=choices)
        if choice_form.is_valid():
            device = by_id[choice_form.cleaned_data["device"]]
            try:
                if isinstance(device, CodeDevice):
                    code_send(device=device, purpose="reauth")
            except CodeError as error:
                choice_form.add_error("device", error.message)
            else:
                pending["device"] = device.persistent_id
                request.session[REAUTH_PENDING_KEY] = pending
                if isinstance(device, CodeDevice):
                    messages.info(request, code_sent_message(device))
                return redirect(f"{request.path}?{request.GET.urlencode()}")
    elif action == "resend" and isinstance(selected, CodeDevice):
        try:
            code_send(device=selected, purpose="reauth")
        except CodeError as error:
            code_form.cleaned_data = {}  # add_error() on an unbound form needs it
            code_form.add_error("code", error.message)
        else:
            messages.info(request, code_sent_message(selected))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    elif action == "change":
        pending["device"] = None
        request.session[REAUTH_PENDING_KEY] = pending
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    elif action == "verify" and selected is not None:
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                signin_code_verify(device=selected, code=code_form.cleaned_data["code"])
            except CodeError as error:
                code_form.add_error("code", error.message)
            else:
                reauth_open(request)
                return redirect(next_url)

    return render(
        request,
        "accounts/reauth.html",
        {
            **context,
            "choice_form": choice_form,
            "code_form": code_form,
            "selected": selected,
            "selected_label": device_label(selected) if selected else "",
            "selected_is_code": isinstance(selected, CodeDevice),
            "has_choice": len(devices) > 1,
        },
    )


urlpatterns = [path("confirmer-mon-identite/", reauth, name="reauth")]
