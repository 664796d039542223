"""Email and SMS delivery: the file outbox of the embedded default and the HTTP SMS gateway."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from portal.messaging import HttpSMSBackend, OutboxSMSBackend, SMSDeliveryError, send_sms


def test_the_outbox_lists_emails_and_sms_oldest_first(outbox):
    for n in range(30):
        if n % 2:
            send_sms(to="+33612345678", body=f"Message numéro {n}")
        else:
            mail.send_mail(f"Sujet {n}", f"Message numéro {n}", None, ["marie@example.org"])

    messages = outbox.all()

    assert [m.text.strip() for m in messages] == [f"Message numéro {n}" for n in range(30)]
    assert [m.kind for m in messages[:2]] == ["email", "sms"]
    assert {m.path.suffix for m in messages} == {".eml", ".txt"}


def test_an_outbox_email_keeps_its_subject_recipient_and_html_part(outbox):
    message = mail.EmailMultiAlternatives(
        "Votre code", "Votre code est 123456.", None, ["marie@example.org"]
    )
    message.attach_alternative("<p>Votre code est <b>123456</b>.</p>", "text/html")
    message.send()

    email = outbox.last("email")
    assert email.to == "marie@example.org"
    assert email.subject == "Votre code"
    assert email.code() == "123456"
    assert "<b>123456</b>" in email.html


def test_an_outbox_sms_names_its_recipient(outbox):
    OutboxSMSBackend().send(to="+33612345678", body="Code : 654321")

    sms = outbox.last("sms")
    assert sms.to == "+33612345678"
    assert sms.code() == "654321"
    assert "33612345678" in sms.path.name


class _Gateway:
    """A real HTTP server on 127.0.0.1 that records what it receives."""

    def __init__(self, status: int):
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers["Authorization"],
                        "content_type": self.headers["Content-Type"],
                        "json": json.loads(body),
                    }
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def http_sms(settings):
    settings.SMS_BACKEND = "portal.messaging.HttpSMSBackend"
    settings.SMS_API_TOKEN = "jeton-secret"
    settings.SMS_SENDER = "Guichet"
    return settings


def test_the_http_backend_posts_json_with_the_bearer_token(http_sms):
    with _Gateway(status=200) as gateway:
        http_sms.SMS_API_URL = gateway.url
        send_sms(to="+33612345678", body="Votre code : 123456")

    assert gateway.requests == [
        {
            "path": "/sms",
            "authorization": "Bearer jeton-secret",
            "content_type": "application/json",
            "json": {"to": "+33612345678", "from": "Guichet", "text": "Votre code : 123456"},
        }
    ]


def test_the_http_backend_raises_when_the_gateway_fails(http_sms):
    with _Gateway(status=500) as gateway:
        http_sms.SMS_API_URL = gateway.url
        with pytest.raises(SMSDeliveryError, match="answered 500"):
            HttpSMSBackend().send(to="+33612345678", body="Votre code : 123456")

    assert len(gateway.requests) == 1


def test_the_http_backend_raises_when_the_gateway_is_unreachable(http_sms):
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http_sms.SMS_API_URL = f"http://127.0.0.1:{port}/sms"

    with pytest.raises(SMSDeliveryError, match="unreachable"):
        HttpSMSBackend().send(to="+33612345678", body="Votre code : 123456")


def test_the_http_backend_needs_a_url(http_sms):
    http_sms.SMS_API_URL = ""

    with pytest.raises(ImproperlyConfigured, match="SMS_API_URL"):
        HttpSMSBackend().send(to="+33612345678", body="Votre code : 123456")
