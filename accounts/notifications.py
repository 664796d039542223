"""What the accounts' background jobs deliver: the sign-up link and the change notices.

accounts.tasks calls these; the services that queue those tasks are never imported here, so
the import graph stays one-way (services -> tasks -> notifications).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountNotice, AccountToken, Member, User
from accounts.tokens import token_issue
from portal.messaging import branded_email_send, send_sms


def account_email_send(*, to: str, subject: str, template: str, context: dict) -> None:
    """Send `accounts/emails/<template>.txt` and `.html` to `to` (see `branded_email_send`)."""
    branded_email_send(
        to=to, subject=subject, template=f"accounts/emails/{template}", context=context
    )


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _single_use_link(*, user: User, purpose: str, validity, view: str) -> str:
    """A new single-use link of `purpose` for `user` (the earlier ones stop working)."""
    secret = token_issue(user=user, purpose=purpose, validity=validity)
    return absolute_url(reverse(view, args=[secret]))


# -- Sign-up link ----------------------------------------------------------------------------
def signup_link_send(*, user: User) -> None:
    """Email a new 48-hour single-use link to the pending account's email (earlier links of
    that account stop working). Does nothing once the space is activated."""
    member = Member.objects.filter(user=user).first()
    if member is None or member.is_activated or user.is_active or not user.email:
        return
    link = _single_use_link(
        user=user,
        purpose=AccountToken.Purpose.SIGNUP,
        validity=settings.SIGNUP_LINK_VALIDITY,
        view="accounts:signup_confirm",
    )
    hours = int(settings.SIGNUP_LINK_VALIDITY.total_seconds() // 3600)
    account_email_send(
        to=user.email,
        subject=_("Confirmez la création de votre espace"),
        template="signup_link",
        context={"link": link, "hours": hours},
    )


# -- Forgotten password ----------------------------------------------------------------------
def password_reset_link_send(*, user: User) -> None:
    """Email a new single-use reset link (earlier links of the account stop working), made
    here, in the job, so that the page that asked never depends on the mail relay. Does nothing
    for an account that was closed meanwhile."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from portal.messaging import insurer_sender
    from portal.models import Branding

    if not user.is_active or not user.email:
        return
    link = _single_use_link(
        user=user,
        purpose=AccountToken.Purpose.PASSWORD_RESET,
        validity=settings.PASSWORD_RESET_VALIDITY,
        view="accounts:password_reset_confirm",
    )
    minutes = int(settings.PASSWORD_RESET_VALIDITY.total_seconds() // 60)
    context = {"link": link, "minutes": minutes, "insurer": Branding.current().insurer_name}
    send_mail(
        _("Mot de passe oublié"),
        render_to_string("accounts/password_reset_email.txt", context),
        insurer_sender(),
        [user.email],
    )


# -- Change notices --------------------------------------------------------------------------
def email_changed_notify(*, old_email: str) -> None:
    """Tell the previous address that the account's email changed: no other personal data."""
    account_email_send(
        to=old_email,
        subject=_("Votre adresse email a été modifiée"),
        template="email_changed",
        context={"login_url": absolute_url(reverse("accounts:login"))},
    )


def phone_changed_notify(*, old_phone: str) -> None:
    """Tell the previous mobile phone that the account's phone number changed."""
    from portal.models import Branding

    branding = Branding.current()
    if branding.contact_phone:
        text = _(
            "%(insurer)s : votre numéro de téléphone mobile a été modifié. Si vous n'êtes "
            "pas à l'origine de ce changement, appelez-nous au %(phone)s."
        ) % {"insurer": branding.insurer_name, "phone": branding.contact_phone}
    else:
        text = _(
            "%(insurer)s : votre numéro de téléphone mobile a été modifié. Si vous n'êtes "
            "pas à l'origine de ce changement, contactez-nous."
        ) % {"insurer": branding.insurer_name}
    send_sms(to=old_phone, body=text)


def password_changed_notify(*, email: str) -> None:
    """Tell the account's email that its password changed."""
    account_email_send(
        to=email,
        subject=_("Votre mot de passe a été modifié"),
        template="password_changed",
        context={"login_url": absolute_url(reverse("accounts:login"))},
    )


def account_notice_deliver(*, notice_id: int, kind: str) -> bool:
    """Send one change notice of `kind`, once: True if this call sent it.

    The row stays locked while sending, so two deliveries of the same task cannot both send; a
    failure to send rolls back, leaves `sent_at` empty and the task retries.
    """
    with transaction.atomic():
        notice = AccountNotice.objects.select_for_update().filter(pk=notice_id, kind=kind).first()
        if notice is None or notice.sent_at is not None:
            return False
        if kind == AccountNotice.Kind.EMAIL_CHANGED:
            email_changed_notify(old_email=notice.recipient)
        elif kind == AccountNotice.Kind.PHONE_CHANGED:
            phone_changed_notify(old_phone=notice.recipient)
        else:
            password_changed_notify(email=notice.recipient)
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True
