"""`scale_out`: what a second web replica adds, through HAProxy (README, "Scale-out").

    scale_out replicas=1 rps=… replicas=2 rps=… ratio=…

- the same signed-in mix of member pages (home, requests, reimbursements, contract, card,
  beneficiaries, FAQ) asked by CLIENTS keep-alive clients in a loop for SECONDS, through HAProxy
  (round robin) in front of 1, or 2 gunicorn replicas of ONE worker each
  (deploy/gunicorn.conf.py: 2 threads), on PostgreSQL and Redis; the two set-ups take turns in
  SLICES slices (each after a short warm-up), so that both see the same machine load;
- rps: pages answered 200 per second; ratio: rps with 2 replicas / rps with 1.

Its own small data set (the demo data in the database of BENCH_SCALE_DATABASE_URL, default
guichet_bench_scale, created and loaded here), so the bench database is left alone; its own
Redis database (BENCH_SCALE_REDIS_URL, default db 9). One replica is one Python process: the
GIL keeps it on one core, so on a 2-core machine the second replica is what uses the second
core, shared with PostgreSQL, Redis, HAProxy and the clients.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from bench.server import Browser, _stop, _wait_until_serving, free_port

NAME = "scale_out"
CLIENTS = 16
SECONDS = 30
WARM_UP_SECONDS = 3
SLICES = 3
PAGES = [
    "/",
    "/demandes/",
    "/remboursements/",
    "/contrat/",
    "/carte/",
    "/beneficiaires/",
    "/aide/faq/",
]
MEMBERS = ["100001", "100002", "100004"]
BASE_DIR = Path(__file__).resolve().parent.parent.parent
SCALE_DIR = BASE_DIR / "var" / "bench" / "scale"


def _env() -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL_FILE", "STORAGE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=os.environ.get(
            "BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench_scale"
        ),
        REDIS_URL=os.environ.get("BENCH_SCALE_REDIS_URL", "redis://127.0.0.1:6379/9"),
        GUICHET_VAR_DIR=str(SCALE_DIR / "var"),
        STATIC_ROOT=str(SCALE_DIR / "staticfiles"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}")
    return result.stdout


def _prepare(env: dict) -> list[dict]:
    """The database with the demo data, the static files, and CLIENTS signed-in sessions."""
    from bench.run import ensure_database

    ensure_database(env["DATABASE_URL"])
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "load_demo")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    code = (
        "import json, django; django.setup(); "
        "from accounts.models import User; from bench.server import member_cookies; "
        f"users = [User.objects.get(member__member_number=n) for n in {MEMBERS!r}]; "
        f"print(json.dumps([member_cookies(users[i % len(users)]) for i in range({CLIENTS})]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"sessions:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _replica(stack: ExitStack, env: dict, name: str) -> int:
    port = free_port()
    log_path = SCALE_DIR / f"{name}.log"
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", "1",
        "--max-requests", "0",
        "--access-logfile", "/dev/null",
        "portal.wsgi:application",
    ]  # fmt: skip
    log = stack.enter_context(log_path.open("ab"))
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**env, "GUICHET_REPLICA": name},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack.callback(_stop, process)
    _wait_until_serving(process, port, log_path)
    return port


def _haproxy(stack: ExitStack, ports: list[int]) -> int:
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        raise RuntimeError("HAProxy is missing: apt-get install haproxy (scripts/cluster does)")
    port = free_port()
    servers = "\n".join(
        f"    server replica-{index} 127.0.0.1:{replica}" for index, replica in enumerate(ports)
    )
    config = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "haproxy.cfg"
    config.write_text(
        "global\n    maxconn 512\n"
        "defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n"
        "    timeout server 60s\n"
        f"frontend bench\n    bind 127.0.0.1:{port}\n    default_backend replicas\n"
        f"backend replicas\n    balance roundrobin\n{servers}\n"
    )
    process = subprocess.Popen(
        [haproxy, "-db", "-f", str(config)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stack.callback(_stop, process)
    _wait_until_serving(process, port, config)
    return port


def _load(port: int, sessions: list[dict], seconds: float) -> tuple[int, float]:
    """(pages answered 200, seconds) by CLIENTS clients over `seconds`, after a warm-up."""
    counting = threading.Event()
    stopping = threading.Event()
    counts = [0] * len(sessions)
    errors: list[str] = []

    def client(index: int) -> None:
        browser = Browser(port, sessions[index])
        turn = index
        try:
            while not stopping.is_set():
                path = PAGES[turn % len(PAGES)]
                turn += 1
                status, body, _seconds = browser.get(path)
                if status != 200:
                    errors.append(f"GET {path} answered {status}: {body[:200]!r}")
                    return
                if counting.is_set():
                    counts[index] += 1
        except OSError as exc:
            errors.append(f"client {index}: {exc!r}")
        finally:
            browser.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    time.sleep(WARM_UP_SECONDS)
    counting.set()
    started = time.perf_counter()
    time.sleep(seconds)
    counting.clear()
    elapsed = time.perf_counter() - started
    stopping.set()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise RuntimeError(errors[0])
    return sum(counts), elapsed


def run() -> str:
    SCALE_DIR.mkdir(parents=True, exist_ok=True)
    env = _env()
    sessions = _prepare(env)
    with ExitStack() as stack:
        replicas = [_replica(stack, env, f"replica-{n}") for n in (1, 2)]
        balancers = {1: _haproxy(stack, replicas[:1]), 2: _haproxy(stack, replicas)}
        # The two set-ups take turns, SLICES times, so that both see the same machine load (a
        # shared machine's load moves within a minute); SECONDS measured for each in all.
        done = {1: [0, 0.0], 2: [0, 0.0]}
        for _ in range(SLICES):
            for replicas_count, port in balancers.items():
                pages, elapsed = _load(port, sessions, SECONDS / SLICES)
                done[replicas_count][0] += pages
                done[replicas_count][1] += elapsed
    one, two = (done[n][0] / done[n][1] for n in (1, 2))
    # One line with the two set-ups side by side (format_line takes each key once).
    return f"{NAME} replicas=1 rps={one:.2f} replicas=2 rps={two:.2f} ratio={two / one:.2f}"
