"""Limits kept in the database (GuardState rows), for the rules that must hold with the cache
down: Redis is optional for correctness, so a limit or a decoy never lives only there.

`guard_change` runs a rule on a key's state under a row lock and keeps what it left, refusal
included, so two requests at once count twice and a refusal raised by the rule still counts.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from accounts.models import GuardState

T = TypeVar("T")


def guard_read(key: str) -> dict:
    """The live state of `key` ({} when none or expired)."""
    row = GuardState.objects.filter(key=key, expires_at__gt=timezone.now()).first()
    return dict(row.state) if row else {}


def guard_change(key: str, *, lifetime: timedelta, change: Callable[[dict], T]) -> T:
    """Call `change(state)` on the live state of `key` (a dict it may modify), save the state
    for `lifetime` from now, and return what `change` returned or raise what it raised."""
    now = timezone.now()
    failure = None
    with transaction.atomic():
        row, _created = GuardState.objects.select_for_update().get_or_create(
            key=key, defaults={"expires_at": now + lifetime}
        )
        state = dict(row.state) if row.expires_at > now else {}
        try:
            result = change(state)
        except Exception as exc:  # noqa: BLE001 - kept, then raised once the state is saved
            failure, result = exc, None
        row.state, row.expires_at = state, now + lifetime
        row.save(update_fields=["state", "expires_at"])
    if failure is not None:
        raise failure
    return result
