"""Creating and activating a member's web space.

Two ways lead to the same activated space (`member_space_activate`):
- "Créer mon espace": the card data typed by the person match a record, a 48-hour single-use
  link is emailed to the typed address, the person chooses a password on that link's page;
- "Activer mon espace": the email given at affiliation, a code by SMS or email, a password.

Nothing here ever tells the caller whether a member number or an email is known: the
functions that receive typed data return None or nothing, and send nothing when it does not
match.
"""

import hashlib
import logging
import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.codes import CodeError, code_verify
from accounts.guards import guard_change, guard_read
from accounts.models import AccountNotice, AccountToken, CodeDevice, Member, User
from accounts.send_limits import SendRefused, link_send_grant
from accounts.services.channels import member_channels_sync
from accounts.services.devices import space_created_notify
from accounts.services.passwords import user_set_password
from accounts.services.profile import account_notice_queue
from accounts.tasks import send_activation_code
from accounts.tokens import TokenInvalid, token_consume
from portal.queueing import enqueue

logger = logging.getLogger(__name__)

# Card data can be guessed (a birth date has ~36,500 values): past this many mismatches for
# one member number in a day, further attempts for that number are silently ignored.
SIGNUP_MISMATCHES_PER_DAY = 10


# -- Matching --------------------------------------------------------------------------------
def normalise_name(value: str) -> str:
    """Compare names as a person reads them: no case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _mismatch_key(member_number: str) -> str:
    digest = hashlib.sha256(normalise_name(member_number).encode()).hexdigest()
    return f"accounts:signup-mismatch:{digest}"


def _count_mismatch(state: dict) -> None:
    state["mismatches"] = state.get("mismatches", 0) + 1


def member_match_card(
    *, member_number: str, last_name: str, first_name: str, birth_date: date
) -> Member | None:
    """The not-yet-activated record whose card data match exactly (case and accents aside),
    or None. Repeated mismatches on one member number lock it out until a day has passed
    without one (counted in the database: the cache may be down)."""
    key = _mismatch_key(member_number)
    if guard_read(key).get("mismatches", 0) >= SIGNUP_MISMATCHES_PER_DAY:
        return None
    member = (
        Member.objects.select_related("user")
        .filter(member_number__iexact=member_number.strip())
        .first()
    )
    matches = (
        member is not None
        and normalise_name(member.last_name) == normalise_name(last_name)
        and normalise_name(member.first_name) == normalise_name(first_name)
        and member.birth_date == birth_date
    )
    if not matches:
        guard_change(key, lifetime=timedelta(days=1), change=_count_mismatch)
        return None
    if member.is_activated:
        return None
    return member


def _email_taken(email: str, *, except_user: User | None) -> bool:
    others = User.objects.filter(email__iexact=email)
    if except_user is not None and except_user.pk:
        others = others.exclude(pk=except_user.pk)
    return others.exists()


def _pending_user(*, member: Member) -> User | None:
    """The account waiting for activation (inactive, no usable password), created on first need.

    None when the member number is already some other account's username (a data problem for
    the insurer; the person gets the usual answer and nothing is sent).
    """
    if member.user_id:
        return member.user
    if User.objects.filter(username__iexact=member.member_number).exists():
        logger.warning("Member %s: username already taken, no pending account", member.pk)
        return None
    user = User(
        username=member.member_number,
        role=User.Role.MEMBER,
        is_active=False,
        first_name=member.first_name,
        last_name=member.last_name,
    )
    user.set_unusable_password()
    user.save()
    member.user = user
    member.save(update_fields=["user"])
    return user


# -- "Créer mon espace" ----------------------------------------------------------------------
def member_signup_request(
    *, member_number: str, last_name: str, first_name: str, birth_date: date, email: str
) -> None:
    """Queue a confirmation link to `email` when the card data match a record not yet
    activated; otherwise do nothing. Never raises for a mismatch, so the caller's answer is
    the same either way. The typed email is kept on the pending account until activation."""
    member = member_match_card(
        member_number=member_number,
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
    )
    if member is None:
        return
    try:
        with transaction.atomic():
            member = Member.objects.select_for_update().get(pk=member.pk)
            if member.is_activated:
                return
            user = _pending_user(member=member)
            if user is None or _email_taken(email, except_user=user):
                return
            user.email = email
            user.save(update_fields=["email"])
            link_send_grant(user_id=user.pk, email=email)
            account_notice_queue(kind=AccountNotice.Kind.SIGNUP_LINK, user=user, recipient=email)
    except IntegrityError:  # the same email claimed at the same instant by another account
        return
    except SendRefused:  # too soon or too many for that account or address: the same answer
        return


def member_signup_resend(*, email: str) -> None:
    """Queue a new link when `email` belongs to a sign-up still waiting for confirmation (a
    link sent, or one still held by an outage); otherwise do nothing (same answer for the
    caller)."""
    user = (
        User.objects.filter(
            email__iexact=email.strip(),
            role=User.Role.MEMBER,
            is_active=False,
            member__activated_at__isnull=True,
        )
        .filter(
            Q(tokens__purpose=AccountToken.Purpose.SIGNUP)
            | Q(notices__kind=AccountNotice.Kind.SIGNUP_LINK)
        )
        .distinct()
        .first()
    )
    if user is None:
        return
    with transaction.atomic():
        try:
            link_send_grant(user_id=user.pk, email=user.email)
        except SendRefused:  # the same answer: nothing tells a pending sign-up from none
            return
        account_notice_queue(kind=AccountNotice.Kind.SIGNUP_LINK, user=user, recipient=user.email)


def member_signup_complete(*, secret: str, password: str) -> User:
    """Use the link once: the space becomes active with `password` (already validated) and the
    email the link was sent to. Raises TokenInvalid for an unknown, used or expired link, or
    when the space was activated in the meantime."""
    with transaction.atomic():
        token = token_consume(secret=secret, purpose=AccountToken.Purpose.SIGNUP)
        member = Member.objects.select_for_update().filter(user_id=token.user_id).first()
        if member is None or member.is_activated:
            raise TokenInvalid("used", token)
        user = User.objects.get(pk=token.user_id)
        member_space_activate(member=member, user=user, email=user.email, password=password)
    return user


# -- The activated space ---------------------------------------------------------------------
def member_space_activate(*, member: Member, user: User, email: str, password: str) -> None:
    """Turn a pending account into an activated space: active account with `password`,
    `email` as account and member email, a confirmed email channel, and a confirmed SMS channel
    for the record's mobile phone if any. Call inside a transaction."""
    now = timezone.now()
    previous_email = member.email
    user.email = email
    user.first_name = member.first_name
    user.last_name = member.last_name
    user.role = User.Role.MEMBER
    user.is_active = True
    user.save(update_fields=["email", "first_name", "last_name", "role", "is_active"])
    user_set_password(user=user, password=password)
    member.email = email
    member.user = user
    member.activated_at = now
    member.save(update_fields=["email", "user", "activated_at"])
    member_channels_sync(user=user, email=email, mobile_phone=member.mobile_phone)
    space_created_notify(user=user, previous_email=previous_email)


# -- "Activer mon espace" --------------------------------------------------------------------
def member_find_for_activation(*, email: str) -> Member | None:
    """The one record not yet activated whose affiliation email is `email`, or None (unknown,
    ambiguous, already activated, or the address belongs to another account)."""
    members = list(
        Member.objects.filter(email__iexact=email.strip(), activated_at__isnull=True)[:2]
    )
    if len(members) != 1:
        return None
    member = members[0]
    if _email_taken(member.email, except_user=member.user):
        return None
    return member


def _activation_target(member: Member, channel: str) -> str:
    if channel == CodeDevice.Channel.SMS:
        return member.mobile_phone.as_e164 if member.mobile_phone else ""
    return member.email


def _activation_device(*, member: Member, channel: str) -> CodeDevice | None:
    """The pending account's unconfirmed channel for the record's destination, created on
    first need; None when the record has no such destination."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        target = _activation_target(member, channel)
        if member.is_activated or not target:
            return None
        user = _pending_user(member=member)
        if user is None:
            return None
        device = CodeDevice.objects.filter(user=user, channel=channel, confirmed=False).first()
        if device is None:
            device = CodeDevice.objects.create(
                user=user,
                name=f"activation-{channel}",
                channel=channel,
                target=target,
                confirmed=False,
            )
        elif device.target != target:
            device.target = target
            device.save(update_fields=["target"])
    return device


class _ActivationGate:
    """The rules of accounts.codes applied to every email asking for an activation code, known
    or not: the same delays, quotas and refusals, kept in the database per email and channel
    (GuardState), so that no answer tells a known email from another, cache up or down. For an
    unknown email (or a record without the chosen destination) it also plays the code check,
    which never passes."""

    LIFETIME = timedelta(days=2)

    def __init__(self, email: str, channel: str):
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        self.key = f"activation:{digest}:{channel}"
        self.channel = channel

    def send(self) -> None:
        guard_change(self.key, lifetime=self.LIFETIME, change=self._send)

    def verify(self) -> None:
        guard_change(self.key, lifetime=self.LIFETIME, change=self._verify)

    def _send(self, state: dict) -> None:
        now = timezone.now().timestamp()
        delay = settings.OTP_RESEND_DELAY.total_seconds()
        sent_at = state.get("sent_at")
        if sent_at is not None and sent_at + delay > now:
            raise CodeError(
                _("Vous pourrez demander un nouveau code dans %(seconds)d secondes.")
                % {"seconds": max(1, int(sent_at + delay - now + 0.999))}
            )
        if self.channel == CodeDevice.Channel.SMS:
            today = timezone.localdate().isoformat()
            if state.get("sms_day") != today:
                state.update(sms_day=today, sms_count=0)
            if state["sms_count"] >= settings.OTP_SMS_DAILY_LIMIT:
                raise CodeError(
                    _(
                        "Le nombre maximal de SMS pour aujourd'hui est atteint. "
                        "Choisissez la réception par email ou réessayez demain."
                    )
                )
            state["sms_count"] += 1
        state.update(
            sent_at=now,
            valid_until=now + settings.OTP_CODE_VALIDITY.total_seconds(),
            failures=0,
        )

    def _verify(self, state: dict) -> None:
        now = timezone.now().timestamp()
        throttled = state.get("throttle_count", 0)
        if throttled and now < state["throttle_at"] + 2 ** (throttled - 1):
            raise CodeError(
                _("Trop de tentatives. Patientez quelques secondes avant de réessayer.")
            )
        if state.get("valid_until") is None:
            raise CodeError(_("Ce code n'est plus valable. Demandez un nouveau code."))
        if state["failures"] >= settings.OTP_MAX_ATTEMPTS:
            raise CodeError(_("Trop de codes erronés. Demandez un nouveau code."))
        if state["valid_until"] < now:
            raise CodeError(_("Ce code a expiré. Demandez un nouveau code."))
        state["failures"] += 1
        state.update(throttle_count=throttled + 1, throttle_at=now)
        if state["failures"] >= settings.OTP_MAX_ATTEMPTS:
            raise CodeError(_("Trop de codes erronés. Demandez un nouveau code."))
        raise CodeError(_("Code incorrect. Vérifiez le code reçu et réessayez."))


def member_activation_code_send(*, email: str, member: Member | None, channel: str) -> None:
    """Queue an activation code to the record's mobile phone or affiliation email. For an
    unknown email, or a record without that destination, queue nothing but apply the same
    rules. Raises CodeError (resend delay, daily SMS quota) alike in both cases; the code is
    made and sent by a job, so that the answer never depends on the relay or the gateway."""
    _ActivationGate(email, channel).send()
    device = _activation_device(member=member, channel=channel) if member else None
    if device is not None:
        enqueue(send_activation_code, device.pk)


def member_activation_code_verify(
    *, email: str, member: Member | None, channel: str, code: str
) -> None:
    """Accept the activation code once, or raise CodeError (an unknown email never passes,
    with the same refusals as a known one; so does a known one whose code never left)."""
    device = None
    if member is not None and member.user_id and not member.is_activated:
        device = CodeDevice.objects.filter(
            user_id=member.user_id, channel=channel, confirmed=False
        ).first()
    if device is None or not device.code_hash:
        _ActivationGate(email, channel).verify()
    else:
        code_verify(device=device, code=code)


class ActivationError(Exception):
    pass


def member_activation_complete(*, member: Member, password: str) -> None:
    """Activate the space of a record whose code was verified, with its affiliation email.
    Raises ActivationError when it was activated in the meantime."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.is_activated or member.user_id is None:
            raise ActivationError
        member_space_activate(
            member=member, user=member.user, email=member.email, password=password
        )
