"""Writes of "Mes informations personnelles": address, email, mobile phone, password.

A new email or phone replaces the old one only after a code sent to the NEW destination is
accepted; the OLD destination is then told, without any other personal data.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.codes import CodeError, code_send, code_verify
from accounts.models import AccountNotice, CodeDevice, Member, User
from accounts.services.passwords import user_set_password
from accounts.tasks import NOTICE_TASKS
from portal.queueing import enqueue_on_commit


def account_notice_queue(
    *, kind: str, user: User, recipient: str, details: dict | None = None
) -> AccountNotice:
    """Record a notice in the caller's transaction and queue its sending once that commits:
    it goes out only if the change stands, and once however often its task is delivered."""
    notice = AccountNotice.objects.create(
        kind=kind, user=user, recipient=recipient, details=details or {}
    )
    task = NOTICE_TASKS[kind]
    enqueue_on_commit(task, notice.pk)
    return notice


def member_address_update(
    *, member: Member, address_line1: str, address_line2: str, postcode: str, city: str
) -> None:
    """Replace the postal address (already validated: postcode of 5 digits)."""
    member.address_line1 = address_line1
    member.address_line2 = address_line2
    member.postcode = postcode
    member.city = city
    member.save(update_fields=["address_line1", "address_line2", "postcode", "city"])


def pending_contact_device(*, user: User, channel: str) -> CodeDevice | None:
    """The destination being verified for `channel`, if any."""
    return CodeDevice.objects.filter(user=user, channel=channel, confirmed=False).first()


def member_contact_change_start(*, member: Member, channel: str, target: str) -> CodeDevice:
    """Start verifying a new email or phone: an unconfirmed channel pointing at `target`
    (replacing any earlier one being verified) receives a code. The current destination stays
    in use until the code is accepted. Raises CodeError (resend delay, SMS quota)."""
    user = member.user
    created = False
    with transaction.atomic():
        device = pending_contact_device(user=user, channel=channel)
        if device is not None and device.target != target:
            device.delete()
            device = None
        if device is None:
            device = CodeDevice.objects.create(
                user=user, name=f"new-{channel}", channel=channel, target=target, confirmed=False
            )
            created = True
    try:
        code_send(device=device, purpose="contact")
    except CodeError:
        if created:  # no code left for it: no verification is waiting either
            CodeDevice.objects.filter(pk=device.pk, code_hash="").delete()
        raise
    return device


def member_contact_change_resend(*, member: Member, channel: str) -> None:
    """Send a new code to the destination being verified. Raises CodeError."""
    device = pending_contact_device(user=member.user, channel=channel)
    if device is None:
        raise CodeError(_("Aucune vérification n'est en cours. Saisissez de nouveau la valeur."))
    code_send(device=device, purpose="contact")


def member_contact_change_cancel(*, member: Member, channel: str) -> None:
    """Forget the destination being verified; the current one is untouched."""
    CodeDevice.objects.filter(user=member.user, channel=channel, confirmed=False).delete()


def member_contact_change_confirm(*, member: Member, channel: str, code: str) -> str:
    """Accept the code sent to the new destination, then make it the member's (and for an
    email, the account's) and point the confirmed channel at it. The old destination, if any,
    is told once the transaction commits. Returns the new destination. Raises CodeError for a
    wrong code, in which case nothing changes."""
    user = member.user
    device = pending_contact_device(user=user, channel=channel)
    if device is None:
        raise CodeError(_("Aucune vérification n'est en cours. Saisissez de nouveau la valeur."))
    code_verify(device=device, code=code)
    new = device.target
    if (
        channel == CodeDevice.Channel.EMAIL
        and User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists()
    ):
        device.delete()
        raise CodeError(_("Cette adresse email ne peut pas être utilisée."))
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        user = User.objects.select_for_update().get(pk=user.pk)
        if channel == CodeDevice.Channel.EMAIL:
            old = member.email or user.email
            member.email = new
            user.email = new
            member.save(update_fields=["email"])
            user.save(update_fields=["email"])
        else:
            old = member.mobile_phone.as_e164 if member.mobile_phone else ""
            member.mobile_phone = new
            member.save(update_fields=["mobile_phone"])
        confirmed = CodeDevice.objects.filter(user=user, channel=channel, confirmed=True).first()
        if confirmed is None:
            CodeDevice.objects.create(
                user=user, name=channel, channel=channel, target=new, confirmed=True
            )
        else:
            confirmed.target = new
            confirmed.code_hash = ""
            confirmed.code_valid_until = None
            confirmed.code_failures = 0
            confirmed.save()
        device.delete()
        if old and old.lower() != new.lower():
            kind = (
                AccountNotice.Kind.EMAIL_CHANGED
                if channel == CodeDevice.Channel.EMAIL
                else AccountNotice.Kind.PHONE_CHANGED
            )
            account_notice_queue(kind=kind, user=user, recipient=old)
    return new


def member_password_change(*, user: User, password: str) -> None:
    """Set a new (validated) password: other sessions end and remembered browsers are
    forgotten (see user_set_password); the account's email is told once committed."""
    with transaction.atomic():
        user_set_password(user=user, password=password)
        if user.email:
            account_notice_queue(
                kind=AccountNotice.Kind.PASSWORD_CHANGED, user=user, recipient=user.email
            )
