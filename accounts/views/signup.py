"""Creating a member's space ("Créer mon espace", a link by email) and activating it
("Activer mon espace", a code by SMS or email). Every answer looks the same whether or not the
typed data match a record."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from accounts.codes import CodeError
from accounts.forms_password import PasswordChoiceForm
from accounts.forms_signup import (
    ActivationEmailForm,
    ChannelForm,
    CodeForm,
    EmailForm,
    SignupForm,
)
from accounts.models import AccountToken, CodeDevice, Member
from accounts.services import signup as services
from accounts.tokens import TokenInvalid, token_check

app_name = "accounts"


def _data(request):
    """The submitted data, even when empty (an empty POST must still show the errors)."""
    return request.POST if request.method == "POST" else None


# -- "Créer mon espace" ----------------------------------------------------------------------
def signup(request):
    form = SignupForm(_data(request))
    if request.method == "POST" and form.is_valid():
        services.member_signup_request(**form.cleaned_data)
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "accounts/signup_sent.html")


def _invalid_link(request, reason: str):
    texts = {
        "expired": _("Ce lien a expiré."),
        "used": _("Ce lien a déjà été utilisé."),
    }
    return render(
        request,
        "accounts/signup_link_invalid.html",
        {
            "reason": reason,
            "reason_text": texts.get(reason, _("Ce lien n'est pas valide.")),
            "form": EmailForm(),
        },
        status=410 if reason in texts else 404,
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
@sensitive_variables("secret")
def signup_confirm(request, secret):
    try:
        token = token_check(secret=secret, purpose=AccountToken.Purpose.SIGNUP)
    except TokenInvalid as exc:
        return _invalid_link(request, exc.reason)
    form = PasswordChoiceForm(_data(request), user=token.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_signup_complete(secret=secret, password=form.cleaned_data["password1"])
        except TokenInvalid as exc:
            return _invalid_link(request, exc.reason)
        messages.success(
            request,
            _(
                "Votre espace est activé. Connectez-vous avec votre numéro d'adhérent "
                "ou votre adresse email, et le mot de passe choisi."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/signup_confirm.html", {"form": form})


def signup_resend(request):
    form = EmailForm(_data(request))
    if request.method == "POST" and form.is_valid():
        services.member_signup_resend(email=form.cleaned_data["email"])
        return redirect("accounts:signup_resent")
    return render(request, "accounts/signup_resend.html", {"form": form})


def signup_resent(request):
    return render(request, "accounts/signup_resent.html")


# -- "Activer mon espace" --------------------------------------------------------------------
# The flow lives in the session, never in URLs. Each step needs the previous one done.
FLOW_KEY = "accounts.activation"
EMAIL_GIVEN, CODE_SENT, CODE_VERIFIED, ACTIVATED = 1, 2, 3, 4
STEP_URLS = {
    0: "accounts:activate",
    EMAIL_GIVEN: "accounts:activate_channel",
    CODE_SENT: "accounts:activate_code",
    CODE_VERIFIED: "accounts:activate_password",
    ACTIVATED: "accounts:activate_done",
}


def _flow(request) -> dict:
    return request.session.get(FLOW_KEY) or {"stage": 0}


def _save_flow(request, flow: dict) -> None:
    request.session[FLOW_KEY] = flow


def _member(flow: dict) -> Member | None:
    if not flow.get("member"):
        return None
    return Member.objects.filter(pk=flow["member"], activated_at__isnull=True).first()


def _step_guard(request, *allowed: int):
    """None when the flow's stage allows this page, else a redirect to the right step."""
    stage = _flow(request)["stage"]
    if stage in allowed:
        return None
    return redirect(STEP_URLS[stage])


def _send_code(flow: dict, channel: str) -> None:
    services.member_activation_code_send(email=flow["email"], member=_member(flow), channel=channel)


def _verify_code(flow: dict, code: str) -> None:
    services.member_activation_code_verify(
        email=flow["email"], member=_member(flow), channel=flow["channel"], code=code
    )


@never_cache
def activate(request):
    """Step 1: the email given at affiliation."""
    flow = _flow(request)
    if flow["stage"] == ACTIVATED:
        flow = {"stage": 0}
    form = ActivationEmailForm(_data(request), initial={"email": flow.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        member = services.member_find_for_activation(email=email)
        _save_flow(
            request, {"stage": EMAIL_GIVEN, "email": email, "member": member.pk if member else None}
        )
        return redirect("accounts:activate_channel")
    return render(request, "accounts/activate_email.html", {"form": form, "step": 1})


@never_cache
def activate_channel(request):
    """Step 2: how to receive the code, then "Envoyer le code"."""
    if guard := _step_guard(request, EMAIL_GIVEN, CODE_SENT):
        return guard
    flow = _flow(request)
    form = ChannelForm(_data(request), initial={"channel": flow.get("channel")})
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        member = _member(flow)
        if channel == CodeDevice.Channel.SMS and member is not None and not member.mobile_phone:
            # Said plainly (issue 16, point 20): waiting for an SMS that cannot come helps
            # nobody. It tells whoever typed this email that a record without a mobile holds
            # it, a small disclosure the README's "Security" section weighs.
            form = ChannelForm({"channel": CodeDevice.Channel.EMAIL})
            form.is_valid()
            form.add_error(
                "channel",
                _(
                    "Aucun téléphone mobile n'est enregistré pour votre adhésion : le code ne "
                    "peut pas vous être envoyé par SMS. Recevez-le par email, à l'adresse "
                    "saisie."
                ),
            )
            return render(
                request,
                "accounts/activate_channel.html",
                {"form": form, "step": 2, "email": flow["email"]},
            )
        try:
            _send_code(flow, channel)
        except CodeError as exc:
            form.add_error("channel", exc.message)
        else:
            flow.update(stage=CODE_SENT, channel=channel)
            _save_flow(request, flow)
            return redirect("accounts:activate_code")
    return render(
        request,
        "accounts/activate_channel.html",
        {"form": form, "step": 2, "email": flow["email"]},
    )


@never_cache
def activate_code(request):
    """Step 3: type the code and validate, or ask for another one."""
    if guard := _step_guard(request, CODE_SENT):
        return guard
    flow = _flow(request)
    if request.method == "POST" and "resend" in request.POST:
        try:
            _send_code(flow, flow["channel"])
        except CodeError as exc:
            form = CodeForm(data={"code": ""})
            form.full_clean()
            form.errors["code"] = form.error_class([exc.message])
        else:
            messages.info(request, _("Un nouveau code a été envoyé."))
            return redirect("accounts:activate_code")
    else:
        form = CodeForm(_data(request))
        if request.method == "POST" and form.is_valid():
            try:
                _verify_code(flow, form.cleaned_data["code"])
            except CodeError as exc:
                form.add_error("code", exc.message)
            else:
                flow["stage"] = CODE_VERIFIED
                _save_flow(request, flow)
                return redirect("accounts:activate_password")
    return render(
        request,
        "accounts/activate_code.html",
        {"form": form, "step": 3, "channel": flow["channel"], "email": flow["email"]},
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
def activate_password(request):
    """Step 4: choose a password, then "Continuez"."""
    if guard := _step_guard(request, CODE_VERIFIED):
        return guard
    flow = _flow(request)
    member = _member(flow)
    if member is None:
        request.session.pop(FLOW_KEY, None)
        messages.error(request, _("Cette activation n'est plus possible. Recommencez."))
        return redirect("accounts:activate")
    form = PasswordChoiceForm(_data(request), user=member.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_activation_complete(
                member=member, password=form.cleaned_data["password1"]
            )
        except services.ActivationError:
            request.session.pop(FLOW_KEY, None)
            messages.error(request, _("Cette activation n'est plus possible. Recommencez."))
            return redirect("accounts:activate")
        _save_flow(request, {"stage": ACTIVATED})
        return redirect("accounts:activate_done")
    return render(request, "accounts/activate_password.html", {"form": form, "step": 4})


@never_cache
def activate_done(request):
    """Step 5: the space is active; sign in with the chosen password."""
    if guard := _step_guard(request, ACTIVATED):
        return guard
    request.session.pop(FLOW_KEY, None)
    return render(request, "accounts/activate_done.html", {"step": 5})


urlpatterns = [
    path("creer-mon-espace/", signup, name="signup"),
    path("creer-mon-espace/demande-envoyee/", signup_sent, name="signup_sent"),
    path("creer-mon-espace/confirmer/<str:secret>/", signup_confirm, name="signup_confirm"),
    path("creer-mon-espace/nouveau-lien/", signup_resend, name="signup_resend"),
    path("creer-mon-espace/nouveau-lien/envoye/", signup_resent, name="signup_resent"),
    path("activer-mon-espace/", activate, name="activate"),
    path("activer-mon-espace/reception/", activate_channel, name="activate_channel"),
    path("activer-mon-espace/code/", activate_code, name="activate_code"),
    path("activer-mon-espace/mot-de-passe/", activate_password, name="activate_password"),
    path("activer-mon-espace/termine/", activate_done, name="activate_done"),
]
