"""`scripts/serve` (make run): SIGTERM or Ctrl-C stops the portal and the worker with its beat
within 10 seconds, leaving no process behind (issue 16, point 12)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "serve"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = Path(f"/proc/{parent}/task/{parent}/children")
        if children.exists():
            for child in children.read_text().split():
                found.add(int(child))
                todo.append(int(child))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@contextlib.contextmanager
def _serving(env: dict, log: Path, ready, what: str):
    """`scripts/serve` started with `env`, its output in `log`, once `ready(log text)` holds
    and its port answers; whatever is left of it is killed at the end."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(SCRIPT)], env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    port = int(env["ADDRESS"].rsplit(":", 1)[1])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if ready(log.read_text(errors="replace")):
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
            time.sleep(0.3)
        else:
            pytest.fail(f"{what} did not start:\n{log.read_text()}")
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for pid in _descendants(process.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite database of its own, as `make run` leaves it before serving."""
    folder = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/serve.sqlite3",
        "GUICHET_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env,
        check=True, capture_output=True,
    )  # fmt: skip
    return env


@pytest.mark.parametrize("signal_sent", [signal.SIGTERM, signal.SIGINT])
def test_the_serve_script_stops_both_processes_within_ten_seconds(migrated, tmp_path, signal_sent):
    env = {**migrated, "PY": sys.executable, "ADDRESS": f"127.0.0.1:{_free_port()}"}
    log = tmp_path / "serve.log"

    def ready(text):
        # Up, and the worker has run a job (its start-up heartbeat): a pool that worked.
        worked = "portal.tasks.heartbeat" in text and "succeeded" in text
        return "beat: Starting" in text and worked

    with _serving(env, log, ready, "the portal and the worker") as process:
        family = _descendants(process.pid)
        assert len(family) >= 2
        started = time.monotonic()
        # Ctrl-C reaches the whole foreground group; `kill` reaches the script alone.
        if signal_sent == signal.SIGINT:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        assert time.monotonic() - started < 10, log.read_text()
        time.sleep(0.2)
        assert not [pid for pid in family if _alive(pid)], log.read_text()


def test_a_worker_that_hangs_at_shutdown_is_killed_and_the_whole_stops_within_ten_seconds(
    migrated, tmp_path
):
    """The hang reported after "beat: Shutting down": a worker that ignores the stop. The
    script's PY is a wrapper whose `-m celery` prints that line on SIGTERM and then goes on
    running, as the hung worker did; the portal is the real one."""
    port = _free_port()
    wrapper = tmp_path / "python"
    wrapper.write_text(
        "#!/usr/bin/env bash\n"
        'if [ "${1:-}" = "-m" ] && [ "${2:-}" = "celery" ]; then\n'
        "  trap 'echo \"beat: Shutting down\"' TERM INT\n"
        '  echo "worker: ready"\n'
        "  while true; do sleep 0.1; done\n"
        "fi\n"
        f'exec "{sys.executable}" "$@"\n'
    )
    wrapper.chmod(0o755)
    env = {**migrated, "PY": str(wrapper), "ADDRESS": f"127.0.0.1:{port}"}
    log = tmp_path / "serve.log"
    with _serving(env, log, lambda text: "worker: ready" in text, "the portal") as process:
        family = _descendants(process.pid)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 15 s after SIGTERM:\n{log.read_text()}")
        assert time.monotonic() - started < 10, log.read_text()
        text = log.read_text()
        assert "beat: Shutting down" in text  # the stop reached it, which went on running
        assert "killed" in text
        time.sleep(0.2)
        assert not [pid for pid in family if _alive(pid)], text
