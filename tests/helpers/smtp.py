"""A small SMTP server the tests start on a free local port: it accepts mail like a relay,
can refuse it for a while (4xx, as a relay under load) or be stopped (the port closed).

Written on socketserver because Python 3.11's smtpd is deprecated and aiosmtpd is not a
dependency; it speaks the part of RFC 5321 Django's SMTP backend uses.
"""

import email
import email.policy
import socket
import socketserver
import threading
import time


class _Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        sink: SMTPSink = self.server.sink
        self._reply("220 sink.localhost ESMTP test sink")
        recipients = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink.localhost\r\n250 8BITMIME\r\n")
            elif verb == "HELO":
                self._reply("250 sink.localhost")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "RSET":
                recipients = []
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            elif verb == "MAIL":
                if sink.refusing:
                    self._reply("451 4.3.0 Try again later")
                    continue
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command[8:].strip("<> "))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if not line or line in (b".\r\n", b".\n"):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                sink.received(b"".join(lines), recipients)
                # A relay that took the message but whose "OK" never comes back (yet).
                sink.answer.wait(timeout=60)
                self._reply("250 OK queued")
            else:
                self._reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SMTPSink:
    """`start()`, then point EMAIL_HOST/EMAIL_PORT at `host`/`port`. `messages` holds what was
    accepted, parsed; `refusing = True` answers 451 to every MAIL; `answer.clear()` keeps a
    message without ever confirming it; `stop()` closes the port (`start()` opens it again)."""

    host = "127.0.0.1"

    def __init__(self, port: int = 0):
        self.port = port
        self.messages: list[email.message.EmailMessage] = []
        self.refusing = False
        # Cleared: the message is kept, then the "250" answer waits until it is set again.
        self.answer = threading.Event()
        self.answer.set()
        self._lock = threading.Lock()
        self._server = None

    def start(self) -> "SMTPSink":
        self._server = _Server((self.host, self.port), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.answer.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def received(self, data: bytes, recipients: list[str]) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)

    def to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if address in str(m["To"])]

    def wait_for(self, count: int, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} emails"
            time.sleep(0.05)


def closed_port() -> int:
    """A local port nothing listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
