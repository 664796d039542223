"""The real WSGI stack for timing: gunicorn in a subprocess, a keep-alive HTTP client, a session.

`gunicorn_server()` starts `portal.wsgi:application` with deploy/gunicorn.conf.py (one worker,
no periodic worker restart) on a free local port with the bench settings, and always stops it.
`member_cookies(user)` writes a signed-in, second-factor-verified session row for the user, as
the sign-in flow leaves it, and returns the cookies a browser would send.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.middleware import SESSION_STARTED_KEY
from accounts.models import CodeDevice

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0


def member_cookies(user) -> dict[str, str]:
    """A new session for `user`, past the second factor; returns {cookie name: value}."""
    device = CodeDevice.objects.filter(user=user, channel="email").first()
    if device is None:
        device = CodeDevice.objects.create(
            user=user, name="email", channel="email", target=user.email
        )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED_KEY] = int(time.time())
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One keep-alive connection that keeps the cookies it is given, like a browser tab."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = dict(cookies)
        self.connection = HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, bytes, float]:
        """GET `path`: (status, body, seconds from sending the request to the last byte)."""
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Accept": "text/html",
            "Accept-Language": "fr",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        started = time.perf_counter()
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.connection.close()  # the next request opens a new connection
        return response.status, body, seconds

    def timed_get(self, path: str) -> float:
        """Seconds for one GET of a page that must answer 200."""
        status, body, seconds = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        return seconds

    def close(self) -> None:
        self.connection.close()


class Server:
    def __init__(self, port: int):
        self.port = port

    def browser(self, cookies: dict[str, str]) -> Browser:
        return Browser(self.port, cookies)


@contextmanager
def gunicorn_server():
    """gunicorn serving the portal (bench settings) on a free port; stopped on the way out."""
    port = free_port()
    log_path = Path(settings.VAR_DIR) / "gunicorn.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", "1",
        "--max-requests", "0",  # no worker restart in the middle of a measure
        "portal.wsgi:application",
    ]  # fmt: skip
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(process, port, log_path)
        yield Server(port)
    finally:
        _stop(process)


def _wait_until_serving(process, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log_path}")
        connection = HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/health/", headers={"Host": f"127.0.0.1:{port}"})
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s; see {log_path}")


def _stop(process) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful: the idle worker exits at once
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def alternate_timings(
    cookies: dict[str, str], paths: list[str], *, warm_up: int = 20, requests: int = 200
) -> dict[str, list[float]]:
    """Seconds per GET of each path through gunicorn, after `warm_up` rounds: the paths are
    requested in turn, round after round, so that all of them see the same machine load."""
    samples = {path: [] for path in paths}
    with gunicorn_server() as server:
        browser = server.browser(cookies)
        try:
            for _ in range(warm_up):
                for path in samples:
                    browser.timed_get(path)
            for _ in range(requests):
                for path, times in samples.items():
                    times.append(browser.timed_get(path))
        finally:
            browser.close()
    return samples
