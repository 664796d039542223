"""Housekeeping of accounts: what the hourly purge deletes (called by accounts.tasks)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    AccountNotice,
    AccountToken,
    GuardState,
    SessionActivity,
    TrustedBrowser,
    User,
)

PURGE_GRACE = timedelta(days=7)


def account_data_purge(*, now=None) -> dict[str, int]:
    """Delete links expired for more than 7 days, pending (never activated) member accounts
    with no link younger than that and created more than 7 days ago, and remembered browsers
    older than REMEMBER_BROWSER_DAYS, and what is noted of sessions that ended. Safe to run
    any number of times."""
    now = now or timezone.now()
    limit = now - PURGE_GRACE
    recent_tokens = AccountToken.objects.filter(expires_at__gt=limit)
    held_links = AccountNotice.objects.filter(
        kind=AccountNotice.Kind.SIGNUP_LINK, sent_at__isnull=True, created_at__gt=limit
    )
    pending = (
        User.objects.filter(
            role=User.Role.MEMBER,
            is_active=False,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            date_joined__lt=limit,
        )
        .filter(Q(member__isnull=True) | Q(member__activated_at__isnull=True))
        .exclude(pk__in=recent_tokens.values("user_id"))
        # A sign-up link held by an outage: its account waits for the catch-up to send it.
        .exclude(pk__in=held_links.values("user_id"))
    )
    with transaction.atomic():
        user_ids = list(pending.values_list("pk", flat=True))
        User.objects.filter(pk__in=user_ids).delete()
        tokens, _details = AccountToken.objects.filter(expires_at__lte=limit).delete()
        browsers, _details = TrustedBrowser.objects.filter(
            verified_at__lt=now - timedelta(days=settings.REMEMBER_BROWSER_DAYS)
        ).delete()
        guards, _details = GuardState.objects.filter(expires_at__lte=now).delete()
        # No session outlives SESSION_MAX_AGE_SECONDS: what is older describes ended ones.
        sessions, _details = SessionActivity.objects.filter(
            last_seen_at__lt=now - timedelta(seconds=settings.SESSION_MAX_AGE_SECONDS)
        ).delete()
    return {
        "users": len(user_ids),
        "tokens": tokens,
        "browsers": browsers,
        "guards": guards,
        "sessions": sessions,
    }
