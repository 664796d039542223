"""Sign-in ("Me connecter"), second factor, sign-out, forgotten password, authenticator app."""

import time
from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.decorators import otp_required
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.codes import CodeError, code_send, mask_target
from accounts.forms_signin import (
    CodeForm,
    DeviceChoiceForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SigninCodeForm,
    SigninPhoneForm,
)
from accounts.models import AccountToken, CodeDevice, User
from accounts.reauth import reauth_open, reauth_required
from accounts.remember import (
    client_ip,
    cookie_write,
    must_always_verify,
    remembered_device,
    trusted_browser_for,
)
from accounts.send_limits import SendRefused
from accounts.services.devices import new_browser_notify, trusted_browser_used
from accounts.services.profile import (
    member_contact_change_cancel,
    member_contact_change_confirm,
    member_contact_change_resend,
    member_contact_change_start,
    pending_contact_device,
)
from accounts.services.signin import (
    SigninRefused,
    password_reset_complete,
    password_reset_request,
    session_open,
    signin_check_password,
    signin_code_verify,
    signin_devices,
    signin_phone_needed,
    totp_device_confirm,
    totp_device_start,
    trusted_browser_save,
)
from accounts.sessions import request_user_agent
from accounts.tokens import TokenInvalid, token_check
from portal.models import Branding

app_name = "accounts"

# Between the password and the code the person is not signed in: the account waiting for its
# second factor is kept in the (anonymous) session for a short while only.
PENDING_KEY = "signin_pending"
PENDING_SECONDS = 10 * 60


# -- Helpers ---------------------------------------------------------------------------------
def _safe_next(request, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def _landing_url(request, user: User, next_url: str) -> str:
    safe = _safe_next(request, next_url)
    if safe:
        return safe
    if user.is_insurer_manager:
        return reverse("admin:index")
    if user.role in (User.Role.TECHNICIAN, User.Role.PARTNER_MANAGER):
        # Guide 001 starts with choosing the organism.
        return reverse("partners:choose")
    return reverse(settings.LOGIN_REDIRECT_URL)


def _pending(request):
    """(user, pending dict) of the sign-in waiting for its second factor, or (None, None)."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None, None
    return user, pending


def device_label(device: Device) -> str:
    if isinstance(device, CodeDevice):
        if device.channel == CodeDevice.Channel.SMS:
            return _("SMS au %(target)s") % {"target": mask_target(device)}
        return _("Email à %(target)s") % {"target": mask_target(device)}
    return _("Application d'authentification")


def code_sent_message(device: CodeDevice) -> str:
    return _("Un code vous a été envoyé : %(label)s.") % {"label": device_label(device)}


# -- Sign-in ---------------------------------------------------------------------------------
@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = LoginForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            user = signin_check_password(
                request=request,
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
            )
        except SigninRefused as refused:
            form.add_error(None, refused.message)
        else:
            device = remembered_device(request, user)
            if device is not None:
                # Same browser, same IP, recent sign-in, same password: guide 003 skips the code.
                browser = trusted_browser_for(request, user)
                if browser is not None:
                    trusted_browser_used(browser=browser, request=request)
                session_open(request=request, user=user, device=device)
                return redirect(_landing_url(request, user, next_url))
            devices = signin_devices(user=user)
            # Guide 003's security screen: after the code (or instead of it, for an account
            # with no channel at all), a member without a verified mobile confirms one.
            phone = signin_phone_needed(user=user, has_devices=bool(devices))
            if not devices and not phone:
                form.add_error(
                    None,
                    _(
                        "Aucun moyen de recevoir un code n'est enregistré pour ce compte. "
                        "Contactez votre organisme."
                    ),
                )
            else:
                request.session[PENDING_KEY] = {
                    "user": user.pk,
                    "until": time.time() + PENDING_SECONDS,
                    "next": _safe_next(request, next_url),
                    "device": None,
                    "phone": phone,
                }
                return redirect("accounts:two_factor" if devices else "accounts:signin_phone")
    partner = _partner_wording(request, next_url)
    if partner:
        form.fields["identifier"].help_text = PARTNER_IDENTIFIER_HELP
    return render(request, "accounts/login.html", {"form": form, "partner": partner})


# The sign-in page speaks to partners (no member number, no "Créer mon espace") when it is
# reached from the partner space or after a partner chose their password.
PARTNER_SPACE_QUERY = "espace"
PARTNER_IDENTIFIER_HELP = gettext_lazy("Votre identifiant ou votre adresse email professionnelle.")


def _partner_wording(request, next_url: str) -> bool:
    return request.GET.get(PARTNER_SPACE_QUERY) == "partenaires" or (next_url or "").startswith(
        "/partenaires/"
    )


@sensitive_post_parameters("code")
@never_cache
def two_factor(request):
    user, pending = _pending(request)
    if user is None:
        messages.error(
            request,
            _("Votre connexion a expiré. Saisissez à nouveau votre identifiant et mot de passe."),
        )
        return redirect("accounts:login")

    devices = signin_devices(user=user)
    by_id = {device.persistent_id: device for device in devices}
    selected = by_id.get(pending.get("device") or "")
    if selected is None and not pending.get("choosing") and isinstance(devices[0], TOTPDevice):
        # The authenticator app is the stronger factor: offer it first.
        selected = devices[0]
    choices = [(device.persistent_id, device_label(device)) for device in devices]
    choice_form = DeviceChoiceForm(choices=choices, initial={"device": choices[0][0]})
    code_form = SigninCodeForm()
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "send":
        choice_form = DeviceChoiceForm(request.POST, choices=choices)
        if choice_form.is_valid():
            device = by_id[choice_form.cleaned_data["device"]]
            try:
                if isinstance(device, CodeDevice):
                    code_send(device=device, purpose="login")
            except CodeError as error:
                choice_form.add_error("device", error.message)
            else:
                pending.update(device=device.persistent_id, choosing=False)
                request.session[PENDING_KEY] = pending
                if isinstance(device, CodeDevice):
                    messages.info(request, code_sent_message(device))
                return redirect("accounts:two_factor")
    elif action == "change":
        pending.update(device=None, choosing=True)
        request.session[PENDING_KEY] = pending
        return redirect("accounts:two_factor")
    elif action == "resend" and isinstance(selected, CodeDevice):
        try:
            code_send(device=selected, purpose="login")
        except CodeError as error:
            code_form.cleaned_data = {}  # add_error() on an unbound form needs it
            code_form.add_error("code", error.message)
        else:
            messages.info(request, code_sent_message(selected))
            return redirect("accounts:two_factor")
    elif action == "verify" and selected is not None:
        code_form = SigninCodeForm(request.POST)
        if code_form.is_valid():
            try:
                signin_code_verify(device=selected, code=code_form.cleaned_data["code"])
            except CodeError as error:
                code_form.add_error("code", error.message)
            else:
                if pending.get("phone"):
                    # The code passed; the security screen of guide 003 comes next.
                    pending.update(
                        factor=selected.persistent_id, remember=code_form.cleaned_data["remember"]
                    )
                    request.session[PENDING_KEY] = pending
                    return redirect("accounts:signin_phone")
                return _signed_in(
                    request,
                    user,
                    selected,
                    pending.get("next", ""),
                    remember=code_form.cleaned_data["remember"],
                )

    if isinstance(selected, CodeDevice):
        code_form.code_was_sent()
    return render(
        request,
        "accounts/two_factor.html",
        {
            "choice_form": choice_form,
            "code_form": code_form,
            "selected": selected,
            "selected_label": device_label(selected) if selected else "",
            "selected_is_code": isinstance(selected, CodeDevice),
            "has_choice": len(devices) > 1,
        },
    )


def _signed_in(request, user: User, device: Device, next_url: str, *, remember: bool = False):
    previous = trusted_browser_for(request, user)
    first_signin = user.last_login is None
    session_open(request=request, user=user, device=device)
    # The password and a code, just now: as good as a re-authentication (accounts.reauth).
    reauth_open(request)
    request.session.pop(PENDING_KEY, None)
    response = redirect(_landing_url(request, user, next_url))
    ip = client_ip(request)
    if ip and not must_always_verify(user):
        key = trusted_browser_save(
            user=user,
            ip=ip,
            previous=previous,
            remembered=remember,
            user_agent=request_user_agent(request),
        )
        cookie_write(response, user=user, key=key, device=device)
        if previous is None and not first_signin:
            # A browser this account never signed in from: its addresses are told.
            new_browser_notify(user=user, request=request)
    return response


@sensitive_post_parameters("code")
@never_cache
def signin_phone(request):
    """Guide 003's security screen: indicate or confirm the mobile phone, "Envoyer le code",
    enter it, "Continuer". The number is then the account's verified mobile for later
    sign-ins. Comes after the code of the account's other channel, or alone when the account
    has none (its password and the number's code then open the space)."""
    user, pending = _pending(request)
    if user is None:
        messages.error(
            request,
            _("Votre connexion a expiré. Saisissez à nouveau votre identifiant et mot de passe."),
        )
        return redirect("accounts:login")
    factor = Device.from_persistent_id(pending.get("factor") or "")
    if not pending.get("phone") or (factor is None and signin_devices(user=user)):
        return redirect("accounts:two_factor")
    member = user.member
    sms = CodeDevice.Channel.SMS
    device = pending_contact_device(user=user, channel=sms)
    awaiting = device is not None and pending.get("phone_sent")
    current = member.mobile_phone.as_e164 if member.mobile_phone else ""
    phone_form = SigninPhoneForm(initial={"mobile_phone": current})
    code_form = SigninCodeForm()
    if factor is not None:
        del code_form.fields["remember"]  # chosen at the code step already
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "send":
        phone_form = SigninPhoneForm(request.POST)
        if phone_form.is_valid():
            target = phone_form.cleaned_data["mobile_phone"].as_e164
            try:
                device = member_contact_change_start(member=member, channel=sms, target=target)
            except CodeError as error:
                phone_form.add_error("mobile_phone", error.message)
            else:
                pending["phone_sent"] = True
                request.session[PENDING_KEY] = pending
                messages.info(request, code_sent_message(device))
                return redirect("accounts:signin_phone")
    elif action == "change":
        member_contact_change_cancel(member=member, channel=sms)
        pending["phone_sent"] = False
        request.session[PENDING_KEY] = pending
        return redirect("accounts:signin_phone")
    elif action == "resend" and awaiting:
        try:
            member_contact_change_resend(member=member, channel=sms)
        except CodeError as error:
            code_form.cleaned_data = {}  # add_error() on an unbound form needs it
            code_form.add_error("code", error.message)
        else:
            messages.info(request, code_sent_message(device))
            return redirect("accounts:signin_phone")
    elif action == "verify" and awaiting:
        code_form = SigninCodeForm(request.POST)
        if factor is not None:
            del code_form.fields["remember"]
        if code_form.is_valid():
            try:
                member_contact_change_confirm(
                    member=member, channel=sms, code=code_form.cleaned_data["code"]
                )
            except CodeError as error:
                code_form.add_error("code", error.message)
            else:
                verified = CodeDevice.objects.get(user=user, channel=sms, confirmed=True)
                remember = (
                    pending.get("remember", False)
                    if factor is not None
                    else code_form.cleaned_data["remember"]
                )
                messages.success(request, _("Votre numéro de téléphone mobile est vérifié."))
                return _signed_in(
                    request, user, verified, pending.get("next", ""), remember=bool(remember)
                )

    code_form.code_was_sent(by_sms=True)
    return render(
        request,
        "accounts/signin_phone.html",
        {
            "phone_form": phone_form,
            "code_form": code_form,
            "awaiting": awaiting,
            "target_label": device_label(device) if awaiting else "",
        },
    )


@never_cache
def logout_view(request):
    if request.method == "POST":
        auth_logout(request)
        messages.success(request, _("Vous êtes déconnecté. À bientôt !"))
        return redirect("accounts:login")
    return render(request, "accounts/login_signout.html")


# -- Forgotten password ----------------------------------------------------------------------
@never_cache
def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_request(identifier=form.cleaned_data["identifier"])
        except SendRefused as refused:
            form.add_error("identifier", refused.message)
        else:
            return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@never_cache
def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


def _reset_link_invalid(request, reason: str):
    return render(request, "accounts/password_reset_invalid.html", {"reason": reason}, status=410)


@sensitive_post_parameters("password1", "password2")
@never_cache
def password_reset_confirm(request, secret):
    try:
        token = token_check(secret=secret, purpose=AccountToken.Purpose.PASSWORD_RESET)
    except TokenInvalid as invalid:
        return _reset_link_invalid(request, invalid.reason)
    form = NewPasswordForm(request.POST or None, user=token.user)
    # A partner's invitation is this link too: they choose their first password.
    invitation = token.user.last_login is None and not token.user.has_usable_password()
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(secret=secret, password=form.cleaned_data["password1"])
        except TokenInvalid as invalid:
            return _reset_link_invalid(request, invalid.reason)
        if token.user.is_partner:
            messages.success(
                request,
                _(
                    "Votre mot de passe est enregistré. Connectez-vous à l'Espace Partenaires "
                    "avec votre adresse email et ce mot de passe."
                )
                if invitation
                else _(
                    "Votre mot de passe a été modifié. Connectez-vous à l'Espace Partenaires "
                    "avec votre nouveau mot de passe."
                ),
            )
            return redirect(reverse("accounts:login") + f"?{PARTNER_SPACE_QUERY}=partenaires")
        messages.success(
            request,
            _("Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe."),
        )
        return redirect("accounts:login")
    return render(
        request,
        "accounts/password_reset_confirm.html",
        {"form": form, "partner": token.user.is_partner, "invitation": invitation},
    )


# -- Authenticator app -----------------------------------------------------------------------
@login_required
@otp_required(login_url="accounts:login")
@reauth_required
@never_cache
def totp_setup(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    pending_device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    form = CodeForm()
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "start":
        totp_device_start(user=user)
        return redirect("accounts:totp_setup")
    if action == "confirm" and pending_device is not None:
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = totp_device_confirm(user=user, code=form.cleaned_data["code"])
            except CodeError as error:
                form.add_error("code", error.message)
            else:
                # The session was verified by a device that may just have been replaced.
                otp_login(request, device)
                messages.success(
                    request,
                    _(
                        "Votre application d'authentification est activée. Elle vous sera "
                        "proposée à la prochaine connexion."
                    ),
                )
                return redirect("accounts:totp_setup")

    context = {"confirmed": confirmed, "device": pending_device, "form": form}
    if pending_device is not None:
        context.update(_totp_enrolment(user, pending_device))
    return render(request, "accounts/totp_setup.html", context)


def _totp_enrolment(user: User, device: TOTPDevice) -> dict:
    issuer = Branding.current().insurer_name.replace(":", "")
    secret = b32encode(device.bin_key).decode()
    label = quote(f"{issuer}:{user.get_username()}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30}
    )
    uri = f"otpauth://totp/{label}?{query}"
    return {
        "otpauth_uri": uri,
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code à scanner")),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


urlpatterns = [
    path("connexion/", login_view, name="login"),
    path("connexion/code/", two_factor, name="two_factor"),
    path("connexion/telephone/", signin_phone, name="signin_phone"),
    path("deconnexion/", logout_view, name="logout"),
    path("mot-de-passe-oublie/", password_reset, name="password_reset"),
    path("mot-de-passe-oublie/envoye/", password_reset_sent, name="password_reset_sent"),
    path(
        "mot-de-passe-oublie/<str:secret>/",
        password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("application-authentification/", totp_setup, name="totp_setup"),
]
