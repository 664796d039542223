"""Background jobs of accounts: thin wrappers that load by primary key and call a service.

Notifications take a `key` made once by the caller: a task delivered twice (late ack, retry
after a partial failure) sends its message at most once per key.
"""

from celery import Task, shared_task
from django.core.cache import cache

from portal.messaging import SMSDeliveryError

# SMTP errors are OSErrors; an SMS gateway failure is SMSDeliveryError.
TRANSIENT = (OSError, SMSDeliveryError)


class RetryingTask(Task):
    """Retries in place when Celery runs eagerly (tests, no worker), as a worker would later.

    With `task_eager_propagates`, Celery raises `Retry` to the caller at the first transient
    error instead of retrying, so a mail server that fails once would break the page that
    queued the email (after its change was committed) and the email would never go. Here the
    retries run at once and only the final failure is raised.
    """

    def apply(self, args=None, kwargs=None, *positional, throw=None, **options):
        if throw is None:
            throw = self._get_app().conf.task_eager_propagates
        result = super().apply(args, kwargs, *positional, throw=False, **options)
        if throw and result.failed():
            raise result.result
        return result


RETRY = {
    "base": RetryingTask,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}
SENT_MEMORY = 7 * 24 * 3600


def _once(key: str, send) -> None:
    cache_key = f"accounts:notified:{key}"
    if cache.get(cache_key):
        return
    send()
    cache.set(cache_key, True, SENT_MEMORY)


@shared_task(**RETRY)
def send_signup_link(user_id: int) -> None:
    """Email a fresh sign-up link to a pending account (nothing once it is activated)."""
    from accounts.models import User
    from accounts.services.signup import signup_link_send

    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        signup_link_send(user=user)


@shared_task(**RETRY)
def notify_email_changed(old_email: str, key: str) -> None:
    """Tell the previous address that the account's email changed."""
    from accounts.services.profile import email_changed_notify

    _once(key, lambda: email_changed_notify(old_email=old_email))


@shared_task(**RETRY)
def notify_phone_changed(old_phone: str, key: str) -> None:
    """Tell the previous mobile phone that the account's phone number changed."""
    from accounts.services.profile import phone_changed_notify

    _once(key, lambda: phone_changed_notify(old_phone=old_phone))


@shared_task(**RETRY)
def notify_password_changed(user_id: int, key: str) -> None:
    """Tell the account's email that its password changed."""
    from accounts.models import User
    from accounts.services.profile import password_changed_notify

    user = User.objects.filter(pk=user_id).first()
    if user is not None and user.email:
        _once(key, lambda: password_changed_notify(user=user))


@shared_task
def purge_expired() -> dict[str, int]:
    """Hourly: drop expired links, abandoned pending accounts and old remembered browsers."""
    from accounts.services.signup import account_data_purge

    return account_data_purge()
