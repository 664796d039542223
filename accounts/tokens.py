"""Single-use links sent by email (sign-up confirmation, password reset).

The link carries a random secret; only its SHA-256 is stored, so a copy of the database
cannot be turned into working links.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import AccountToken, User


class TokenInvalid(Exception):
    """The link is unknown, already used or expired; `reason` says which."""

    def __init__(self, reason: str, token: AccountToken | None = None):
        super().__init__(reason)
        self.reason = reason  # "unknown", "used" or "expired"
        self.token = token


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_issue(*, user: User, purpose: str, validity: timedelta) -> str:
    """Create a new link secret for `user`; earlier unused ones of that purpose stop working."""
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        AccountToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        AccountToken.objects.create(
            user=user, purpose=purpose, token_hash=_digest(secret), expires_at=now + validity
        )
    return secret


def token_check(*, secret: str, purpose: str) -> AccountToken:
    """Return the token behind `secret` if it can still be used, else raise TokenInvalid."""
    token = (
        AccountToken.objects.select_related("user")
        .filter(token_hash=_digest(secret or ""), purpose=purpose)
        .first()
    )
    if token is None:
        raise TokenInvalid("unknown")
    if token.used_at is not None:
        raise TokenInvalid("used", token)
    if token.expires_at <= timezone.now():
        raise TokenInvalid("expired", token)
    return token


def token_consume(*, secret: str, purpose: str) -> AccountToken:
    """Mark the token used, exactly once even under concurrent requests."""
    with transaction.atomic():
        token = token_check(secret=secret, purpose=purpose)
        updated = AccountToken.objects.filter(pk=token.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not updated:
            raise TokenInvalid("used", token)
    return token


# -- "Ce n'était pas moi" --------------------------------------------------------------------
# The link of a sign-in or space-creation notice: signed, not stored; it only lets its holder
# end the account's sessions, which is harmless in anyone's hands.
NOT_ME_SALT = "accounts.not_me"
NOT_ME_VALIDITY = timedelta(days=30)


def not_me_secret(*, user: User) -> str:
    from django.core import signing

    return signing.dumps({"u": user.pk}, salt=NOT_ME_SALT, compress=True)


def not_me_user(*, secret: str) -> User | None:
    """The account a "Ce n'était pas moi" link names, or None (forged, expired, closed)."""
    from django.core import signing

    try:
        data = signing.loads(secret, salt=NOT_ME_SALT, max_age=NOT_ME_VALIDITY.total_seconds())
        return User.objects.filter(pk=int(data["u"]), is_active=True).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
