"""Sign-in ("Me connecter"), second factor, remembered browsers, forgotten password, TOTP.

Every write these journeys cause lives here; views only bind forms and call one function.
"""

import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.codes import CodeError, code_verify
from accounts.guards import guard_change, guard_read
from accounts.middleware import SESSION_STARTED_KEY
from accounts.models import (
    AccountNotice,
    AccountToken,
    CodeDevice,
    GuardState,
    LoginThrottle,
    Member,
    SignInRecord,
    TrustedBrowser,
    User,
)
from accounts.remember import client_ip, key_digest, trusted_browser_for
from accounts.send_limits import SendRefused, link_send_grant, reset_request_grant
from accounts.services.passwords import user_set_password
from accounts.services.profile import account_notice_queue
from accounts.sessions import session_activity_record
from accounts.tokens import token_consume

# Longest wait imposed after repeated sign-in failures.
LOGIN_DELAY_CAP = timedelta(hours=1)


class SigninRefused(Exception):
    """The password step failed; `message` is shown to the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# -- Password step ---------------------------------------------------------------------------
# Failures are counted twice (README, "Sign-in failures"):
# - per identifier AND client address: LOGIN_FAILURES_BEFORE_DELAY in a row, then a growing
#   delay (1, 2, 4... minutes, LOGIN_DELAY_CAP at most) for that address only, so an attacker
#   elsewhere never delays the member;
# - per identifier, from every address, over the last 24 hours: LOGIN_IDENTIFIER_DAILY_FAILURES
#   in all, of which LOGIN_UNKNOWN_PLACE_DAILY_FAILURES at most from places the account does not
#   know (a place it knows: a browser it remembers, or an address it passed a second factor from
#   in the last TWO_FACTOR_INACTIVITY). Spread attackers thus stop at that number, while the
#   member, at home, keeps the rest of the budget.
LOGIN_WINDOW = timedelta(hours=24)


def login_throttle_key(identifier: str) -> str:
    """One key per identifier as typed (normalised), whether an account has it or not."""
    normalised = " ".join((identifier or "").split()).casefold()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _place_key(identifier: str, ip: str | None) -> str:
    """The identifier's key and the address's: 64 characters, prefixed by the identifier's so
    that a password reset can lift the delays of every address at once."""
    address = hashlib.sha256((ip or "unknown").encode()).hexdigest()
    return f"{login_throttle_key(identifier)[:32]}:{address[:31]}"


def _window_key(identifier: str) -> str:
    return f"login:{login_throttle_key(identifier)}"


def _delay_after(failures: int) -> timedelta:
    # 1 minute after the 10th failure in a row, then 2, 4, 8... capped.
    extra = failures - settings.LOGIN_FAILURES_BEFORE_DELAY
    return min(timedelta(minutes=2 ** min(extra, 12)), LOGIN_DELAY_CAP)


def _wait_message(blocked_until) -> str:
    minutes = max(1, int((blocked_until - timezone.now()).total_seconds() + 59) // 60)
    if minutes > 90:
        return _(
            "Trop de tentatives de connexion avec cet identifiant. Réessayez après %(time)s, "
            "ou choisissez « Mot de passe oublié ? »."
        ) % {"time": timezone.localtime(blocked_until).strftime("%H:%M")}
    return ngettext(
        "Trop de tentatives de connexion. Patientez %(minutes)d minute avant de réessayer.",
        "Trop de tentatives de connexion. Patientez %(minutes)d minutes avant de réessayer.",
        minutes,
    ) % {"minutes": minutes}


def _known_place(request, identifier: str) -> bool:
    """Whether this browser or address is one the account behind `identifier` already knows."""
    user = _account_for(identifier)
    if user is None:
        return False
    if trusted_browser_for(request, user) is not None:
        return True
    ip = client_ip(request)
    return (
        bool(ip)
        and SignInRecord.objects.filter(
            user=user,
            kind=SignInRecord.Kind.SIGNIN,
            ip=ip,
            at__gte=timezone.now() - settings.TWO_FACTOR_INACTIVITY,
        ).exists()
    )


def _window_blocked_until(failures: list, *, known: bool):
    """When the identifier's 24-hour budget lets this place try again (None: it may now)."""
    unknown = sorted(at for at, from_known in failures if not from_known)
    everyone = sorted(at for at, _from_known in failures)
    window = LOGIN_WINDOW.total_seconds()
    until = None
    if len(everyone) >= settings.LOGIN_IDENTIFIER_DAILY_FAILURES:
        until = everyone[len(everyone) - settings.LOGIN_IDENTIFIER_DAILY_FAILURES] + window
    if not known and len(unknown) >= settings.LOGIN_UNKNOWN_PLACE_DAILY_FAILURES:
        at = unknown[len(unknown) - settings.LOGIN_UNKNOWN_PLACE_DAILY_FAILURES] + window
        until = max(until or at, at)
    return datetime.fromtimestamp(until, tz=UTC) if until else None


def _live_failures(state: dict) -> list:
    horizon = timezone.now().timestamp() - LOGIN_WINDOW.total_seconds()
    return [entry for entry in state.get("failures", []) if entry[0] > horizon]


def signin_check_password(*, request, identifier: str, password: str) -> User:
    """Return the account matching identifier + password, or raise SigninRefused.

    Guarantees: one message for an unknown identifier and a wrong password (an unknown
    identifier is counted exactly like a known one); after LOGIN_FAILURES_BEFORE_DELAY failures
    in a row on an identifier from one address, every attempt from that address is refused,
    right password included, until a growing delay has passed, and a success there resets its
    count; an identifier never takes more than LOGIN_IDENTIFIER_DAILY_FAILURES failures in 24
    hours, of which LOGIN_UNKNOWN_PLACE_DAILY_FAILURES from places its account does not know.
    Nobody is signed in here.
    """
    place_key = _place_key(identifier, client_ip(request))
    now = timezone.now()
    throttle = LoginThrottle.objects.filter(key=place_key).first()
    if throttle and throttle.blocked_until and throttle.blocked_until > now:
        raise SigninRefused(_wait_message(throttle.blocked_until))
    known = _known_place(request, identifier)
    blocked_until = _window_blocked_until(
        _live_failures(guard_read(_window_key(identifier))), known=known
    )
    if blocked_until and blocked_until > now:
        raise SigninRefused(_wait_message(blocked_until))

    user = authenticate(request, username=identifier, password=password)
    if user is not None:
        LoginThrottle.objects.filter(key=place_key).delete()
        return user

    def count_failure(state: dict) -> None:
        state["failures"] = [*_live_failures(state), [now.timestamp(), known]]

    guard_change(_window_key(identifier), lifetime=LOGIN_WINDOW, change=count_failure)
    with transaction.atomic():
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(key=place_key)
        LoginThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1)
        throttle.refresh_from_db()
        if throttle.failures >= settings.LOGIN_FAILURES_BEFORE_DELAY:
            throttle.blocked_until = now + _delay_after(throttle.failures)
            throttle.save(update_fields=["blocked_until", "updated_at"])
    raise SigninRefused(_("Identifiant ou mot de passe incorrect."))


def signin_failures_forget(*, user: User) -> None:
    """A new password makes the guesses made so far moot: lift the delays and budgets of every
    identifier of the account, from every address."""
    identifiers = {user.username, user.email}
    member_number = getattr(getattr(user, "member", None), "member_number", "")
    identifiers.add(member_number)
    identifiers.discard("")
    identifiers.discard(None)
    for identifier in identifiers:
        LoginThrottle.objects.filter(key__startswith=login_throttle_key(identifier)[:32]).delete()
        GuardState.objects.filter(key=_window_key(identifier)).delete()


# -- Second factor ---------------------------------------------------------------------------
def signin_devices(*, user: User) -> list[Device]:
    """The confirmed devices `user` can pass a second factor with, authenticator app first.

    An account without any confirmed device but with an email address gets its email channel
    (that address was set by the insurer or verified at sign-up).
    """
    totp = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk")[:1])
    codes = list(CodeDevice.objects.filter(user=user, confirmed=True).order_by("channel", "pk"))
    if not totp and not codes and user.email:
        codes = [
            CodeDevice.objects.create(
                user=user, name="email", channel=CodeDevice.Channel.EMAIL, target=user.email
            )
        ]
    return totp + codes


def signin_phone_needed(*, user: User, has_devices: bool) -> bool:
    """Whether guide 003's security screen ("indiquer ou confirmer votre numéro de téléphone")
    comes in this sign-in: for a member with an activated space and no verified mobile phone,
    when the insurer requires one (Branding.signin_phone_required), or when the account has no
    channel at all to receive a code (the screen is then the way in, instead of a dead end)."""
    from portal.models import Branding

    if not user.is_member:
        return False
    if not Member.objects.filter(user=user, activated_at__isnull=False).exists():
        return False
    if CodeDevice.objects.filter(
        user=user, channel=CodeDevice.Channel.SMS, confirmed=True
    ).exists():
        return False
    return not has_devices or Branding.current().signin_phone_required


def signin_code_verify(*, device: Device, code: str) -> None:
    """Accept `code` for `device` once, or raise CodeError with the reason shown to the person.

    SMS/email codes follow accounts.codes; an authenticator code is accepted once (django-otp
    refuses a time step already used) with django-otp's growing delay after failures.
    """
    if isinstance(device, CodeDevice):
        code_verify(device=device, code=code)
        return
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise CodeError(
                _("Trop de tentatives. Patientez quelques secondes avant de réessayer.")
            )
        verified = device.verify_token(code)
    if not verified:
        raise CodeError(_("Code incorrect. Vérifiez le code affiché dans l'application."))


def session_open(*, request, user: User, device: Device) -> None:
    """Sign `user` in with a new session key, marked verified by `device`.

    Also starts the 12-hour clock of SessionLifetimeMiddleware, updates `last_login` and
    records the sign-in (`SignInRecord`, kept a year).
    """
    auth_login(request, user, backend="accounts.backends.IdentifierBackend")
    otp_login(request, device)
    request.session[SESSION_STARTED_KEY] = int(time.time())
    SignInRecord.objects.create(
        user=user,
        kind=SignInRecord.Kind.SIGNIN,
        channel=getattr(device, "channel", "totp")[:10],
        ip=client_ip(request),
        at=timezone.now(),
    )
    session_activity_record(request, force=True)


def trusted_browser_save(
    *,
    user: User,
    ip: str,
    previous: TrustedBrowser | None = None,
    remembered: bool = True,
    user_agent: str = "",
) -> str:
    """Note this browser for `user` after a second factor passed from `ip`: remembered (the
    code may be skipped next time) if the person ticked "Se souvenir de ce navigateur", else
    only known (no "new browser" email next time, the code still asked).

    Returns the new random key for the cookie (only its hash is stored); the browser's previous
    row for this user, if any, is replaced so each cookie has one row.
    """
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        if previous is not None:
            TrustedBrowser.objects.filter(pk=previous.pk, user=user).delete()
        now = timezone.now()
        TrustedBrowser.objects.create(
            user=user,
            key_hash=key_digest(key),
            last_ip=ip,
            verified_at=now,
            last_used_at=now,
            remembered=remembered,
            user_agent=user_agent[:300],
        )
    return key


# -- Forgotten password ----------------------------------------------------------------------
def _account_for(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    query = Q(username__iexact=identifier) | Q(member__member_number__iexact=identifier)
    if "@" in identifier:
        query |= Q(email__iexact=identifier)
    users = list(User.objects.filter(query).distinct()[:2])
    return users[0] if len(users) == 1 else None


def password_reset_request(*, identifier: str) -> None:
    """Queue a single-use reset link to the account behind `identifier`, if there is one.

    Guarantees: nothing tells the caller whether an account matched, even with the mail relay
    or the broker down (the link is made and sent by a job, after the answer, announced by an
    AccountNotice row that the catch-up sends if the job could not be queued); the link works
    once, for PASSWORD_RESET_VALIDITY from the moment it is sent, and a new link kills the
    previous one. The email carries the link and nothing else about the person. Raises
    SendRefused when the identifier was asked for too recently or too often today (known or
    not); the account and its address are limited too (accounts.send_limits), silently.
    """
    reset_request_grant(identifier=identifier)
    user = _account_for(identifier)
    if user is None or not user.is_active or not user.email:
        return
    with transaction.atomic():
        try:
            link_send_grant(user_id=user.pk, email=user.email)
        except SendRefused:
            # Asked through another identifier of the same account: the answer stays the same.
            return
        account_notice_queue(
            kind=AccountNotice.Kind.PASSWORD_RESET_LINK, user=user, recipient=user.email
        )


def password_reset_complete(*, secret: str, password: str) -> User:
    """Set a new password through a reset link, which then stops working.

    Raises TokenInvalid when the link is unknown, used or expired. The person is not signed in;
    every remembered browser and every open session of the account end (user_set_password), and
    a notice is emailed (by a job, once: an AccountNotice row). `password` must already be
    validated.
    """
    with transaction.atomic():
        token = token_consume(secret=secret, purpose=AccountToken.Purpose.PASSWORD_RESET)
        user = token.user
        user_set_password(user=user, password=password)
        signin_failures_forget(user=user)
        if user.email:
            account_notice_queue(
                kind=AccountNotice.Kind.PASSWORD_CHANGED, user=user, recipient=user.email
            )
    return user


# -- Authenticator app (TOTP) ----------------------------------------------------------------
def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being added by `user` (created once, so a reload shows the
    same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def totp_device_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the authenticator being added with a code it shows, or raise CodeError.

    Guarantees: one authenticator per account: a confirmed one replaces the previous one.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise CodeError(_("Cette configuration a expiré. Recommencez."))
    signin_code_verify(device=device, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.refresh_from_db()
    return device
