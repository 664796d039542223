""" "Mes informations personnelles": what the insurer knows of the member, and the changes the
member may make (address, email and mobile phone verified by code, password)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.codes import CodeError
from accounts.decorators import member_required
from accounts.forms_profile import (
    AddressForm,
    EmailChangeForm,
    PasswordChangeForm,
    PhoneChangeForm,
)
from accounts.forms_signup import CodeForm
from accounts.models import CodeDevice
from accounts.phones import phone_display
from accounts.reauth import reauth_required
from accounts.services import profile as services
from cover.collective import ChangeArea, employer_in_charge

app_name = "accounts"


def _data(request):
    """The submitted data, even when empty (an empty POST must still show the errors)."""
    return request.POST if request.method == "POST" else None


@member_required
def profile(request, member):
    pending = {
        device.channel: device
        for device in CodeDevice.objects.filter(user=member.user, confirmed=False)
    }
    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "beneficiaries": member.beneficiaries.all(),
            "pending_email": pending.get(CodeDevice.Channel.EMAIL),
            "pending_phone": pending.get(CodeDevice.Channel.SMS),
            "pending_phone_display": phone_display(
                getattr(pending.get(CodeDevice.Channel.SMS), "target", "")
            ),
            # A collective contract may leave the address to the employer (insurer setting).
            "address_employer": employer_in_charge(member, ChangeArea.CONTACT_DETAILS),
        },
    )


@member_required
def profile_address(request, member):
    employer = employer_in_charge(member, ChangeArea.CONTACT_DETAILS)
    if employer is not None:
        # The employer changes it (collective contract): the page says whom to ask, and a
        # POST changes nothing.
        return render(request, "accounts/profile_address.html", {"employer": employer})
    form = AddressForm(
        _data(request),
        initial={
            "address_line1": member.address_line1,
            "address_line2": member.address_line2,
            "postcode": member.postcode,
            "city": member.city,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.member_address_update(member=member, **form.cleaned_data)
        messages.success(request, _("Votre adresse a été enregistrée."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_address.html", {"form": form})


# Email and mobile phone follow the same two steps; only these differ.
CONTACTS = {
    CodeDevice.Channel.EMAIL: {
        "form": EmailChangeForm,
        "field": "email",
        "current": lambda member: member.email,
        "start": "accounts:profile_email",
        "verify": "accounts:profile_email_verify",
        "cancel": "accounts:profile_email_cancel",
    },
    CodeDevice.Channel.SMS: {
        "form": PhoneChangeForm,
        "field": "mobile_phone",
        "current": lambda member: member.mobile_phone.as_e164 if member.mobile_phone else "",
        "start": "accounts:profile_phone",
        "verify": "accounts:profile_phone_verify",
        "cancel": "accounts:profile_phone_cancel",
    },
}


def _contact_titles(channel):
    if channel == CodeDevice.Channel.EMAIL:
        return _("Modifier mon adresse email"), _("Vérifier ma nouvelle adresse email")
    return _("Modifier mon téléphone mobile"), _("Vérifier mon nouveau téléphone mobile")


def _contact_start(request, member, channel):
    spec = CONTACTS[channel]
    form = spec["form"](_data(request), current=spec["current"](member))
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data[spec["field"]]
        target = value.as_e164 if channel == CodeDevice.Channel.SMS else value
        try:
            services.member_contact_change_start(member=member, channel=channel, target=target)
        except CodeError as exc:
            form.add_error(spec["field"], exc.message)
        else:
            return redirect(spec["verify"])
    return render(
        request,
        "accounts/profile_contact.html",
        {"form": form, "title": _contact_titles(channel)[0], "channel": channel},
    )


def _contact_verify(request, member, channel):
    spec = CONTACTS[channel]
    device = services.pending_contact_device(user=member.user, channel=channel)
    if device is None:
        return redirect(spec["start"])
    form = CodeForm(_data(request))
    if request.method == "POST" and "resend" in request.POST:
        form = CodeForm(data={"code": ""})
        form.full_clean()
        try:
            services.member_contact_change_resend(member=member, channel=channel)
        except CodeError as exc:
            form.errors["code"] = form.error_class([exc.message])
        else:
            messages.info(request, _("Un nouveau code a été envoyé."))
            return redirect(spec["verify"])
    elif request.method == "POST" and form.is_valid():
        try:
            services.member_contact_change_confirm(
                member=member, channel=channel, code=form.cleaned_data["code"]
            )
        except CodeError as exc:
            form.add_error("code", exc.message)
        else:
            if channel == CodeDevice.Channel.EMAIL:
                messages.success(request, _("Votre nouvelle adresse email est enregistrée."))
            else:
                messages.success(request, _("Votre nouveau numéro de téléphone est enregistré."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile_contact_verify.html",
        {
            "form": form,
            "title": _contact_titles(channel)[1],
            "channel": channel,
            # "06 45 67 89 01", as the member typed it, not "+33645678901".
            "target": (
                phone_display(device.target) if channel == CodeDevice.Channel.SMS else device.target
            ),
            "cancel_url": spec["cancel"],
        },
    )


@member_required
@reauth_required
def profile_email(request, member):
    return _contact_start(request, member, CodeDevice.Channel.EMAIL)


@member_required
@reauth_required
def profile_email_verify(request, member):
    return _contact_verify(request, member, CodeDevice.Channel.EMAIL)


@member_required
@reauth_required
def profile_phone(request, member):
    return _contact_start(request, member, CodeDevice.Channel.SMS)


@member_required
@reauth_required
def profile_phone_verify(request, member):
    return _contact_verify(request, member, CodeDevice.Channel.SMS)


@require_POST
@member_required
def profile_email_cancel(request, member):
    services.member_contact_change_cancel(member=member, channel=CodeDevice.Channel.EMAIL)
    return redirect("accounts:profile")


@require_POST
@member_required
def profile_phone_cancel(request, member):
    services.member_contact_change_cancel(member=member, channel=CodeDevice.Channel.SMS)
    return redirect("accounts:profile")


@sensitive_post_parameters("current_password", "password1", "password2")
@member_required
@reauth_required
def profile_password(request, member):
    form = PasswordChangeForm(_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.member_password_change(user=request.user, password=form.cleaned_data["password1"])
        update_session_auth_hash(request, request.user)
        messages.success(
            request,
            _(
                "Votre mot de passe a été modifié. Vos autres sessions ont été fermées "
                "et un email de confirmation vous a été envoyé."
            ),
        )
        return redirect("accounts:profile")
    return render(request, "accounts/profile_password.html", {"form": form})


urlpatterns = [
    path("mes-informations/", profile, name="profile"),
    path("mes-informations/adresse/", profile_address, name="profile_address"),
    path("mes-informations/email/", profile_email, name="profile_email"),
    path("mes-informations/email/code/", profile_email_verify, name="profile_email_verify"),
    path("mes-informations/email/annuler/", profile_email_cancel, name="profile_email_cancel"),
    path("mes-informations/telephone/", profile_phone, name="profile_phone"),
    path("mes-informations/telephone/code/", profile_phone_verify, name="profile_phone_verify"),
    path("mes-informations/telephone/annuler/", profile_phone_cancel, name="profile_phone_cancel"),
    path("mes-informations/mot-de-passe/", profile_password, name="profile_password"),
]
