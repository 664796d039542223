"""A real ClamAV daemon (Debian's clamav-daemon) the tests start, stop and start again.

Its signature database is one line written here: the EICAR test signature as a body signature
(`.ndb`), so it needs no download (no freshclam) and starts in well under a second. It listens
on a unix socket under the worktree's `var/`, so parallel runs never share a port.
"""

import binascii
import ctypes
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

# The industry's harmless test string (eicar.org): every antivirus reports it as a virus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE_NAME = "Guichet.Test.EICAR"
VAR_DIR = Path(__file__).resolve().parents[2] / "var"


def clamd_binary() -> str:
    found = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise RuntimeError(
            "The antivirus tests run a real clamd: install Debian's clamav-daemon "
            "(`make test` or `.ci/run` does it when run as root)."
        )
    return found


def _die_with_parent() -> None:
    """In the child: killed if the test run dies without stopping it (Linux prctl)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1


class Clamd:
    """`start()`, `stop()`, `frozen()`; `address` is what `CLAMD_ADDRESS` takes."""

    def __init__(self) -> None:
        VAR_DIR.mkdir(exist_ok=True)
        self.directory = Path(tempfile.mkdtemp(prefix="clamd-test-", dir=VAR_DIR))
        self.address = str(self.directory / "clamd.sock")
        self.log = self.directory / "clamd.log"
        database = self.directory / "db"
        database.mkdir()
        (database / "guichet-test.ndb").write_text(
            f"{SIGNATURE_NAME}:0:*:{binascii.hexlify(EICAR).decode()}\n"
        )
        self.config = self.directory / "clamd.conf"
        self.config.write_text(
            f"DatabaseDirectory {database}\n"
            f"LocalSocket {self.address}\n"
            "FixStaleSocket yes\n"
            "Foreground yes\n"
            f"LogFile {self.log}\n"
            f"TemporaryDirectory {self.directory}\n"
            "SelfCheck 0\n"
        )
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 30) -> "Clamd":
        if self.running:
            return self
        self.process = subprocess.Popen(
            [clamd_binary(), "-c", str(self.config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.ping():
                return self
            time.sleep(0.05)
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        self.stop()
        raise RuntimeError(f"clamd did not answer PING within {timeout} s:\n{log[-2000:]}")

    def ping(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                sock.connect(self.address)
                sock.sendall(b"zPING\0")
                return sock.recv(16).startswith(b"PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """The daemon killed at once, as a crash would leave it: the socket no longer answers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """The daemon hung: its socket accepts a connection but nothing answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
