"""The one place that limits what the portal sends to a person's phone or mailbox on its own
initiative: one-time codes (sign-in, activation, a new email or phone, re-authentication) and
single-use links (sign-up, "Mot de passe oublié").

Every send is counted twice, per ACCOUNT and per DESTINATION (the phone number or the address),
in database rows (`GuardState`), so the limits hold across web replicas, with the cache down,
and whatever happens to the code devices (a changed phone recreates its device: the counts stay
with the account and the number). The rules, for each of the two counts and each channel:
- OTP_RESEND_DELAY (60 s) between two sends of the same kind;
- a daily cap (Europe/Paris day): OTP_SMS_DAILY_LIMIT SMS, SECURITY_EMAIL_DAILY_LIMIT emails.
"Mot de passe oublié" is also limited per identifier typed, known or not, so its refusals say
nothing about whether an account exists; the account and address limits then hold silently.

The notices of a change (email, phone, password changed) are not limited: each follows a change
that needed a code, and the old destination must always be told.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import GuardState

CODE, LINK, RESET_REQUEST = "code", "link", "reset-request"
SMS, EMAIL = "sms", "email"
_LIFETIME = timedelta(days=2)


class SendRefused(Exception):  # noqa: N818 (a refusal shown to the person, not a bug)
    """Too soon or too many; `message` says when the person may try again."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SendGrant:
    """A send counted; `send_grant_undo` gives it back when the send could not leave."""

    at: float
    previous: dict = field(default_factory=dict)


def _digest(value: str) -> str:
    return hashlib.sha256(" ".join(value.split()).casefold().encode()).hexdigest()


def _daily_limit(channel: str) -> int:
    return settings.OTP_SMS_DAILY_LIMIT if channel == SMS else settings.SECURITY_EMAIL_DAILY_LIMIT


def _wait_message(kind: str, seconds: int) -> str:
    if kind == CODE:
        return _("Vous pourrez demander un nouveau code dans %(seconds)d secondes.") % {
            "seconds": seconds
        }
    return _("Vous pourrez demander un nouveau lien dans %(seconds)d secondes.") % {
        "seconds": seconds
    }


def _cap_message(kind: str, channel: str) -> str:
    if kind != CODE:
        return _("Le nombre maximal de demandes pour aujourd'hui est atteint. Réessayez demain.")
    if channel == SMS:
        return _(
            "Le nombre maximal de SMS pour aujourd'hui est atteint. "
            "Choisissez la réception par email ou réessayez demain."
        )
    return _("Le nombre maximal de codes par email pour aujourd'hui est atteint. Réessayez demain.")


def _grant(*, kind: str, channel: str, keys: list[str]) -> SendGrant:
    """Count one send on every key, or raise SendRefused and count nothing."""
    now = timezone.now()
    stamp = now.timestamp()
    today = timezone.localdate(now).isoformat()
    delay = settings.OTP_RESEND_DELAY.total_seconds()
    limit = _daily_limit(channel)
    grant = SendGrant(at=stamp)
    with transaction.atomic():
        rows = []
        for key in sorted(set(keys)):  # always locked in the same order: no deadlock
            row, _created = GuardState.objects.select_for_update().get_or_create(
                key=key, defaults={"expires_at": now + _LIFETIME}
            )
            state = dict(row.state) if row.expires_at > now else {}
            if state.get("day") != today:
                state.update(day=today, count=0)
            rows.append((row, state))
        wait = max((s.get("last", 0) + delay - stamp for _row, s in rows), default=0)
        if wait > 0:
            raise SendRefused(_wait_message(kind, max(1, int(wait + 0.999))))
        if any(state["count"] >= limit for _row, state in rows):
            raise SendRefused(_cap_message(kind, channel))
        for row, state in rows:
            grant.previous[row.key] = state.get("last")
            state.update(last=stamp, count=state["count"] + 1)
            row.state, row.expires_at = state, now + _LIFETIME
            row.save(update_fields=["state", "expires_at"])
    return grant


def send_grant_undo(grant: SendGrant) -> None:
    """Give back a send that did not leave (relay or gateway down): it counts for nothing,
    unless another send was counted since."""
    with transaction.atomic():
        for row in GuardState.objects.select_for_update().filter(key__in=list(grant.previous)):
            state = dict(row.state)
            if state.get("last") != grant.at:
                continue
            state["last"] = grant.previous[row.key]
            if state.get("last") is None:
                state.pop("last")
            state["count"] = max(0, state.get("count", 1) - 1)
            row.state = state
            row.save(update_fields=["state"])


def code_send_grant(*, user_id: int, channel: str, destination: str) -> SendGrant:
    """Count a code about to be sent to `destination` for the account `user_id`."""
    return _grant(
        kind=CODE,
        channel=channel,
        keys=[
            f"send:{CODE}:account:{user_id}:{channel}",
            f"send:{CODE}:to:{channel}:{_digest(destination)}",
        ],
    )


def link_send_grant(*, user_id: int, email: str) -> SendGrant:
    """Count a single-use link (sign-up, password reset) about to be emailed to `email`."""
    return _grant(
        kind=LINK,
        channel=EMAIL,
        keys=[f"send:{LINK}:account:{user_id}:{EMAIL}", f"send:{LINK}:to:{EMAIL}:{_digest(email)}"],
    )


def reset_request_grant(*, identifier: str) -> SendGrant:
    """Count a "Mot de passe oublié" request for the identifier typed, known or not."""
    return _grant(
        kind=RESET_REQUEST, channel=EMAIL, keys=[f"send:{RESET_REQUEST}:{_digest(identifier)}"]
    )
