"""Email and SMS delivery backends.

The embedded default writes every message under OUTBOX_DIR (emails as .eml, SMS as .txt), with
names that sort oldest first, so that a person or a test can read the codes. SMS backends are
pluggable like Django's email backends: `SMS_BACKEND` names one.
"""

import json
import threading
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string
from django.utils.text import slugify

_lock = threading.Lock()
_counter = 0


def _outbox_path(kind: str, recipient: str, suffix: str) -> Path:
    """A new file name that sorts after every earlier one, even within one microsecond."""
    global _counter
    outbox = Path(settings.OUTBOX_DIR)
    outbox.mkdir(parents=True, exist_ok=True)
    with _lock:
        _counter = (_counter + 1) % 1000
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S.%f")
        name = f"{stamp}-{_counter:03d}-{kind}-{slugify(recipient)[:60]}{suffix}"
    return outbox / name


class OutboxEmailBackend(BaseEmailBackend):
    """Writes each email as an .eml file in OUTBOX_DIR."""

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            recipient = message.recipients()[0] if message.recipients() else "unknown"
            path = _outbox_path("email", recipient, ".eml")
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent


class BaseSMSBackend:
    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class OutboxSMSBackend(BaseSMSBackend):
    """Writes each SMS as a .txt file in OUTBOX_DIR."""

    def send(self, *, to: str, body: str) -> None:
        path = _outbox_path("sms", to, ".txt")
        path.write_text(f"To: {to}\n\n{body}\n", encoding="utf-8")


class SMSDeliveryError(Exception):
    pass


class HttpSMSBackend(BaseSMSBackend):
    """Posts `{"to", "from", "text"}` as JSON to SMS_API_URL with a bearer token.

    Most SMS gateways accept this shape directly or through a small adapter.
    """

    def send(self, *, to: str, body: str) -> None:
        if not settings.SMS_API_URL:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_API_URL.")
        payload = json.dumps({"to": to, "from": settings.SMS_SENDER, "text": body}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.SMS_API_URL,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_API_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                if response.status >= 300:
                    raise SMSDeliveryError(f"SMS gateway answered {response.status}")
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SMSDeliveryError(f"SMS gateway answered {exc.code}") from exc
        except OSError as exc:  # refused, unreachable, timed out
            raise SMSDeliveryError(f"SMS gateway unreachable: {exc}") from exc


def send_sms(*, to: str, body: str) -> None:
    backend = import_string(settings.SMS_BACKEND)()
    backend.send(to=to, body=body)


def insurer_sender(insurer_name: str | None = None) -> str:
    """DEFAULT_FROM_EMAIL's address under the insurer's name ("Mutuelle Exemple
    <ne-pas-repondre@...>"), so that a person knows who writes before opening. Every email of
    the portal goes from it."""
    from email.utils import formataddr, parseaddr

    from portal.models import Branding

    if insurer_name is None:
        insurer_name = Branding.current().insurer_name
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((insurer_name or name, address))


def stable_message_id(kind: str, pk) -> str:
    """The Message-ID of the email a row announces: the same at every attempt, so that the rare
    resend after a worker died between the relay's "OK" and the row's mark is recognisable (and
    dropped by most mail systems as a duplicate)."""
    from email.utils import parseaddr

    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "guichet.localhost"
    return f"<guichet.{kind}.{pk}@{domain}>"


def branded_email_send(
    *, to: str, subject: str, template: str, context: dict, message_id: str | None = None
) -> None:
    """Send `<template>.txt` and `<template>.html` to `to`, from the insurer's name, with its
    name, phone and colour and the site's address in the context. Messages never carry health
    information: they say something is waiting and link to the sign-in page (the one exception
    is the text of an answer a manager chose to send by email, casework)."""
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    from portal.models import Branding

    branding = Branding.current()
    context = {
        "insurer_name": branding.insurer_name,
        "contact_phone": branding.contact_phone,
        "primary_colour": branding.primary_colour,
        "site_url": settings.SITE_URL,
        **context,
    }
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    headers = {"Message-ID": message_id} if message_id else None
    message = EmailMultiAlternatives(
        subject, text, insurer_sender(branding.insurer_name), [to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    message.send()
