"""What the accounts' background jobs deliver: the single-use links and the change notices,
each announced by an AccountNotice row (`account_notice_deliver`).

accounts.tasks calls these; the services that queue those tasks are never imported here, so
the import graph stays one-way (services -> tasks -> notifications).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountNotice, AccountToken, Member, User
from accounts.tokens import not_me_secret, token_issue
from portal.messaging import branded_email_send, send_sms, stable_message_id

# As casework.notifications: a claim older than this is a worker that died; the catch-up
# leaves a notice this fresh to its own task, and gives up on older than a few days.
NOTICE_CLAIM_TIMEOUT = timedelta(minutes=2)
NOTICE_CATCH_UP_AFTER = timedelta(seconds=30)
NOTICE_CATCH_UP_WITHIN = timedelta(days=3)


def account_email_send(
    *, to: str, subject: str, template: str, context: dict, message_id: str | None = None
) -> None:
    """Send `accounts/emails/<template>.txt` and `.html` to `to` (see `branded_email_send`)."""
    branded_email_send(
        to=to,
        subject=subject,
        template=f"accounts/emails/{template}",
        context=context,
        message_id=message_id,
    )


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _single_use_link(*, user: User, purpose: str, validity, view: str) -> str:
    """A new single-use link of `purpose` for `user` (the earlier ones stop working)."""
    secret = token_issue(user=user, purpose=purpose, validity=validity)
    return absolute_url(reverse(view, args=[secret]))


# -- Sign-up link ----------------------------------------------------------------------------
def signup_link_send(*, user: User, message_id: str | None = None) -> None:
    """Email a new 48-hour single-use link to the pending account's email (earlier links of
    that account stop working), made here, when the email leaves, so that a link held by an
    outage is valid its full time. Does nothing once the space is activated."""
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
        message_id=message_id,
    )


# -- Forgotten password ----------------------------------------------------------------------
def password_reset_link_send(*, user: User, message_id: str | None = None) -> None:
    """Email a new single-use reset link (earlier links of the account stop working), made
    here, in the job, so that the page that asked never depends on the mail relay and a link
    held by an outage is valid its full time. Does nothing for an account that was closed
    meanwhile."""
    from django.core.mail import EmailMessage
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
    EmailMessage(
        _("Mot de passe oublié"),
        render_to_string("accounts/password_reset_email.txt", context),
        insurer_sender(),
        [user.email],
        headers={"Message-ID": message_id} if message_id else None,
    ).send()


# -- Change notices --------------------------------------------------------------------------
def email_changed_notify(*, old_email: str, message_id: str | None = None) -> None:
    """Tell the previous address that the account's email changed: no other personal data."""
    account_email_send(
        to=old_email,
        subject=_("Votre adresse email a été modifiée"),
        template="email_changed",
        context={"login_url": absolute_url(reverse("accounts:login"))},
        message_id=message_id,
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


def password_changed_notify(*, email: str, message_id: str | None = None) -> None:
    """Tell the account's email that its password changed."""
    account_email_send(
        to=email,
        subject=_("Votre mot de passe a été modifié"),
        template="password_changed",
        context={"login_url": absolute_url(reverse("accounts:login"))},
        message_id=message_id,
    )


# -- A sign-in from a new browser, a space created -------------------------------------------
def _not_me_url(user: User) -> str:
    return absolute_url(reverse("accounts:not_me", args=[not_me_secret(user=user)]))


def _when(details: dict) -> str:
    from django.utils.dateparse import parse_datetime
    from django.utils.formats import date_format

    at = parse_datetime(details.get("at", "")) or timezone.now()
    return date_format(timezone.localtime(at), "DATETIME_FORMAT")


def new_browser_notify(*, notice: AccountNotice, message_id: str | None = None) -> None:
    """Tell an address of the account that it was signed in to from a browser it had never
    used: when, which browser, the address's first bytes, and the "Ce n'était pas moi" link."""
    from accounts.sessions import browser_label

    if notice.user is None:
        return
    details = notice.details or {}
    account_email_send(
        to=notice.recipient,
        subject=_("Nouvelle connexion à votre espace"),
        template="new_browser",
        context={
            "when": _when(details),
            "browser": browser_label(details.get("user_agent", "")),
            "place": details.get("place", ""),
            "not_me_url": _not_me_url(notice.user),
        },
        message_id=message_id,
    )


def space_created_notify(*, notice: AccountNotice, message_id: str | None = None) -> None:
    """Tell the account's email, and the address on file before, that the space was created."""
    if notice.user is None:
        return
    account_email_send(
        to=notice.recipient,
        subject=_("Votre espace a été créé"),
        template="space_created",
        context={
            "when": _when(notice.details or {}),
            "email": notice.user.email,
            "not_me_url": _not_me_url(notice.user),
        },
        message_id=message_id,
    )


def _link_send(notice: AccountNotice, send, message_id: str) -> None:
    # Nothing for an account deleted meanwhile (an abandoned sign-up purged), nor when a newer
    # link of the same kind was asked: its own email brings the link that works (this one's
    # would kill it).
    if notice.user is None:
        return
    newer = AccountNotice.objects.filter(user=notice.user, kind=notice.kind, pk__gt=notice.pk)
    if not newer.exists():
        send(user=notice.user, message_id=message_id)


def account_notice_deliver(*, notice_id: int, kind: str) -> bool:
    """Send one notice or link of `kind`, once: True if this call sent it (or found nothing
    left to send: a space activated, an account closed meanwhile).

    Claimed (one committed UPDATE only one worker wins) before the exchange with the relay,
    marked sent after, outside any row lock; a failure releases the claim and is raised for the
    task to retry; a worker that died holding it leaves the claim to expire (NOTICE_CLAIM_TIMEOUT)
    and the catch-up sends it again, with the same Message-ID.
    """
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - NOTICE_CLAIM_TIMEOUT)
    unsent = AccountNotice.objects.filter(pk=notice_id, kind=kind, sent_at__isnull=True)
    if not unsent.filter(claimable).update(claimed_at=now):
        return False
    mine = AccountNotice.objects.filter(pk=notice_id, claimed_at=now)
    notice = AccountNotice.objects.select_related("user").get(pk=notice_id)
    message_id = stable_message_id("account-notice", notice.pk)
    try:
        if kind == AccountNotice.Kind.EMAIL_CHANGED:
            email_changed_notify(old_email=notice.recipient, message_id=message_id)
        elif kind == AccountNotice.Kind.PHONE_CHANGED:
            phone_changed_notify(old_phone=notice.recipient)
        elif kind == AccountNotice.Kind.SIGNUP_LINK:
            _link_send(notice, signup_link_send, message_id)
        elif kind == AccountNotice.Kind.PASSWORD_RESET_LINK:
            _link_send(notice, password_reset_link_send, message_id)
        elif kind == AccountNotice.Kind.NEW_BROWSER:
            new_browser_notify(notice=notice, message_id=message_id)
        elif kind == AccountNotice.Kind.SPACE_CREATED:
            space_created_notify(notice=notice, message_id=message_id)
        else:
            password_changed_notify(email=notice.recipient, message_id=message_id)
    except Exception:
        mine.update(claimed_at=None)
        raise
    mine.update(sent_at=timezone.now(), claimed_at=None)
    return True


def pending_notices(*, now=None) -> list[tuple[int, str]]:
    """(id, kind) of the notices due and not sent (broker or relay down, a worker that died),
    oldest first, read on the partial index `accountnotice_unsent`."""
    now = now or timezone.now()
    return list(
        AccountNotice.objects.filter(
            sent_at__isnull=True,
            created_at__lte=now - NOTICE_CATCH_UP_AFTER,
            created_at__gte=now - NOTICE_CATCH_UP_WITHIN,
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - NOTICE_CLAIM_TIMEOUT))
        .order_by("created_at")
        .values_list("pk", "kind")[:500]
    )
