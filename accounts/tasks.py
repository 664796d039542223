"""Background jobs of accounts: thin wrappers that load by primary key and deliver.

They are queued by accounts.services and call accounts.notifications and accounts.purge, which
never import this module back. A change notice or a single-use link (sign-up, forgotten
password) is an AccountNotice row: a task delivered twice (late ack, retry after a partial
failure) sends it once, because the row says it was sent, and a task never queued (broker down)
is made up for by the catch-up.
"""

import contextlib
import logging

from celery import Task, shared_task
from django.db import DatabaseError

from accounts.codes import CodeError, code_send
from accounts.models import AccountNotice, CodeDevice
from accounts.notifications import account_notice_deliver, pending_notices
from accounts.purge import account_data_purge
from portal.faults import log_fault
from portal.messaging import SMSDeliveryError

logger = logging.getLogger(__name__)

# SMTP errors are OSErrors; an SMS gateway failure is SMSDeliveryError; a database that
# refused a connection or a query during the delivery is as transient.
TRANSIENT = (OSError, SMSDeliveryError, DatabaseError)


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
# Emails announced by a row (an event, a notice): retried every few seconds, at most 30 s
# apart, so that they leave soon after the relay or the database comes back; past the last
# retry the catch-up job, every minute, owns them.
EMAIL_RETRY = {**RETRY, "retry_backoff": 2, "retry_backoff_max": 30, "max_retries": 12}


@shared_task
def send_activation_code(device_id: int) -> None:
    """Make and send an activation code ("Activer mon espace"). A code that cannot leave, or
    one asked again too soon, is one log line (accounts.codes); the person asks again."""
    device = CodeDevice.objects.filter(pk=device_id, confirmed=False).first()
    if device is not None:
        with contextlib.suppress(CodeError):
            code_send(device=device, purpose="activation")


@shared_task(**EMAIL_RETRY)
def send_signup_link(notice_id: int) -> bool:
    """Email a fresh sign-up link to a pending account (once per row; nothing once the space
    is activated)."""
    return account_notice_deliver(notice_id=notice_id, kind=AccountNotice.Kind.SIGNUP_LINK)


@shared_task(**EMAIL_RETRY)
def send_password_reset_link(notice_id: int) -> bool:
    """Email a fresh password reset link ("Mot de passe oublié") to an active account (once
    per row)."""
    return account_notice_deliver(notice_id=notice_id, kind=AccountNotice.Kind.PASSWORD_RESET_LINK)


@shared_task(**EMAIL_RETRY)
def notify_email_changed(notice_id: int) -> bool:
    """Tell the previous address that the account's email changed (once per notice)."""
    return account_notice_deliver(notice_id=notice_id, kind=AccountNotice.Kind.EMAIL_CHANGED)


@shared_task(**EMAIL_RETRY)
def notify_phone_changed(notice_id: int) -> bool:
    """Tell the previous mobile phone that the account's phone number changed (once)."""
    return account_notice_deliver(notice_id=notice_id, kind=AccountNotice.Kind.PHONE_CHANGED)


@shared_task(**EMAIL_RETRY)
def notify_password_changed(notice_id: int) -> bool:
    """Tell the account's email that its password changed (once per notice)."""
    return account_notice_deliver(notice_id=notice_id, kind=AccountNotice.Kind.PASSWORD_CHANGED)


@shared_task(**EMAIL_RETRY)
def notify_new_browser(notice_id: int) -> bool:
    """Tell an address of the account of a sign-in from a new browser (once per notice)."""
    return account_notice_deliver(notice_id=notice_id, kind=AccountNotice.Kind.NEW_BROWSER)


@shared_task(**EMAIL_RETRY)
def notify_space_created(notice_id: int) -> bool:
    """Tell an address of the account that its space was created (once per notice)."""
    return account_notice_deliver(notice_id=notice_id, kind=AccountNotice.Kind.SPACE_CREATED)


NOTICE_TASKS = {
    AccountNotice.Kind.NEW_BROWSER: notify_new_browser,
    AccountNotice.Kind.SPACE_CREATED: notify_space_created,
    AccountNotice.Kind.EMAIL_CHANGED: notify_email_changed,
    AccountNotice.Kind.PHONE_CHANGED: notify_phone_changed,
    AccountNotice.Kind.PASSWORD_CHANGED: notify_password_changed,
    AccountNotice.Kind.SIGNUP_LINK: send_signup_link,
    AccountNotice.Kind.PASSWORD_RESET_LINK: send_password_reset_link,
}


@shared_task
def notify_pending_notices() -> int:
    """Every minute: send the change notices and links that are due and were not sent (broker
    or relay down, a worker that died). Stops at the first transient failure (the next run
    retries)."""
    sent = 0
    for notice_id, kind in pending_notices():
        try:
            sent += account_notice_deliver(notice_id=notice_id, kind=kind)
        except TRANSIENT as exc:
            log_fault(logger, "notice catch-up stopped", exc)
            break
    return sent


@shared_task
def purge_expired() -> dict[str, int]:
    """Hourly: drop expired links, abandoned pending accounts and old remembered browsers."""
    return account_data_purge()
