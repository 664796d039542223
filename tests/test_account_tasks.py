"""Background jobs of accounts: the hourly purge and the change notifications."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import AccountNotice, AccountToken, Member, TrustedBrowser, User
from accounts.tasks import (
    notify_email_changed,
    notify_password_changed,
    notify_pending_notices,
    notify_phone_changed,
    purge_expired,
)
from accounts.tokens import token_issue
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pending_user(member, *, joined_days_ago):
    user = User.objects.create(
        username=member.member_number,
        role=User.Role.MEMBER,
        is_active=False,
        password=make_password(None),
        date_joined=timezone.now() - timedelta(days=joined_days_ago),
    )
    member.user = user
    member.save()
    return user


def _token(user, *, expired_days_ago):
    token_issue(user=user, purpose=AccountToken.Purpose.SIGNUP, validity=timedelta(hours=48))
    token = AccountToken.objects.filter(user=user).latest("pk")
    token.expires_at = timezone.now() - timedelta(days=expired_days_ago)
    token.save()
    return token


def test_the_purge_is_scheduled_every_hour():
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-auth-data"]
    assert entry["task"] == "accounts.tasks.purge_expired"
    assert entry["schedule"] == 3600.0
    assert "accounts.tasks.purge_expired" in app.tasks


def test_the_purge_removes_what_has_expired_and_keeps_the_rest(member, other_member):
    abandoned = _pending_user(MemberFactory(), joined_days_ago=10)
    _token(abandoned, expired_days_ago=8)
    waiting = _pending_user(MemberFactory(), joined_days_ago=10)
    _token(waiting, expired_days_ago=8)
    recent = _token(waiting, expired_days_ago=3)
    fresh_pending = _pending_user(MemberFactory(), joined_days_ago=1)
    old_used = _token(member.user, expired_days_ago=30)
    live = _token(other_member.user, expired_days_ago=-1)
    old_browser = TrustedBrowser.objects.create(
        user=member.user,
        key_hash="o" * 64,
        last_ip="192.0.2.1",
        verified_at=timezone.now() - timedelta(days=settings.REMEMBER_BROWSER_DAYS + 1),
    )
    new_browser = TrustedBrowser.objects.create(
        user=member.user,
        key_hash="n" * 64,
        last_ip="192.0.2.1",
        verified_at=timezone.now() - timedelta(days=settings.REMEMBER_BROWSER_DAYS - 1),
    )
    abandoned_member = abandoned.member

    purge_expired.delay()

    assert not User.objects.filter(pk=abandoned.pk).exists()
    abandoned_member = Member.objects.get(pk=abandoned_member.pk)  # the record itself stays
    assert abandoned_member.user is None
    assert User.objects.filter(pk=waiting.pk).exists()
    assert User.objects.filter(pk=fresh_pending.pk).exists()
    assert User.objects.filter(pk=member.user.pk, is_active=True).exists()
    assert not AccountToken.objects.filter(pk=old_used.pk).exists()
    assert set(AccountToken.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not TrustedBrowser.objects.filter(pk=old_browser.pk).exists()
    assert TrustedBrowser.objects.filter(pk=new_browser.pk).exists()


def test_the_purge_keeps_an_old_pending_account_whose_new_link_is_held_by_an_outage(db, outbox):
    held = _pending_user(MemberFactory(), joined_days_ago=10)
    _token(held, expired_days_ago=8)
    held.email = "zoe@example.net"
    held.save(update_fields=["email"])
    AccountNotice.objects.create(
        kind=AccountNotice.Kind.SIGNUP_LINK, recipient=held.email, user=held
    )

    purge_expired.delay()

    assert User.objects.filter(pk=held.pk).exists()
    assert _catch_up_later() == 1
    assert outbox.last("email", to="zoe@example.net").subject == (
        "Confirmez la création de votre espace"
    )


def _catch_up_later() -> int:
    AccountNotice.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    return notify_pending_notices()


def test_the_purge_never_removes_other_roles_accounts(technician):
    technician.is_active = False
    technician.set_unusable_password()
    technician.date_joined = timezone.now() - timedelta(days=30)
    technician.save()
    purge_expired.delay()
    assert User.objects.filter(pk=technician.pk).exists()


def test_the_purge_can_run_twice(db):
    user = UserFactory()
    _token(user, expired_days_ago=8)
    purge_expired.delay()
    purge_expired.delay()
    assert not AccountToken.objects.exists()


def _notice(kind, recipient, user=None):
    return AccountNotice.objects.create(kind=kind, recipient=recipient, user=user)


def test_a_notification_delivered_twice_is_sent_once(member, outbox):
    email = _notice(AccountNotice.Kind.EMAIL_CHANGED, "ancienne@example.org", member.user)
    phone = _notice(AccountNotice.Kind.PHONE_CHANGED, "+33612345678", member.user)

    assert notify_email_changed.delay(email.pk).get() is True
    assert notify_email_changed.delay(email.pk).get() is False
    notify_phone_changed.delay(phone.pk)
    notify_phone_changed.delay(phone.pk)

    assert outbox.count("email") == 1
    assert outbox.count("sms") == 1
    message = outbox.last("email")
    assert message.to == "ancienne@example.org"
    assert "Votre adresse email a été modifiée" in message.text
    assert "Votre adresse email a été modifiée" in message.html
    assert outbox.last("sms").to == "+33612345678"
    assert not AccountNotice.objects.filter(sent_at__isnull=True).exists()


def test_a_password_notice_goes_to_the_address_it_was_recorded_for(member, outbox):
    notice = _notice(AccountNotice.Kind.PASSWORD_CHANGED, member.user.email, member.user)
    notify_password_changed.delay(notice.pk)
    notify_password_changed.delay(notice.pk)
    assert outbox.count("email") == 1
    message = outbox.last("email", to=member.user.email)
    assert message.subject == "Votre mot de passe a été modifié"
    assert "a été modifié" in message.text and "a été modifié" in message.html


def test_a_notice_is_sent_only_by_the_task_of_its_kind(member, outbox):
    notice = _notice(AccountNotice.Kind.PASSWORD_CHANGED, member.user.email, member.user)
    assert notify_email_changed.delay(notice.pk).get() is False
    assert outbox.count() == 0
    notice.refresh_from_db()
    assert notice.sent_at is None


def test_a_notice_whose_account_is_gone_is_still_sent_once(member, outbox):
    notice = _notice(AccountNotice.Kind.EMAIL_CHANGED, "ancienne@example.org", member.user)
    member.user.delete()
    notify_email_changed.delay(notice.pk)
    notify_email_changed.delay(notice.pk)
    assert outbox.count("email") == 1
    notice.refresh_from_db()
    assert notice.user is None and notice.sent_at is not None


def test_a_notification_retries_when_the_mail_server_is_down(db, outbox, settings):
    settings.EMAIL_BACKEND = "tests.test_account_tasks.FlakyBackend"
    FlakyBackend.failures = 1
    notice = _notice(AccountNotice.Kind.EMAIL_CHANGED, "ancienne@example.org")
    # Eager mode runs the retry at once (a worker would wait, with a growing backoff).
    notify_email_changed.apply(args=(notice.pk,), throw=False)
    assert FlakyBackend.failures == 0
    assert outbox.count("email") == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None


def test_a_failed_send_leaves_the_notice_to_send(db, outbox, settings):
    settings.EMAIL_BACKEND = "tests.test_account_tasks.FlakyBackend"
    FlakyBackend.failures = 100
    notice = _notice(AccountNotice.Kind.EMAIL_CHANGED, "ancienne@example.org")
    with pytest.raises(ConnectionRefusedError):
        notify_email_changed.delay(notice.pk)
    FlakyBackend.failures = 0
    assert outbox.count() == 0
    notice.refresh_from_db()
    assert notice.sent_at is None


class FlakyBackend:
    """Fails `failures` times with an SMTP-like OSError, then delivers to the outbox."""

    failures = 0

    def __init__(self, *args, **kwargs):
        from portal.messaging import OutboxEmailBackend

        self.delegate = OutboxEmailBackend()

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError("SMTP server down")
        return self.delegate.send_messages(messages)
