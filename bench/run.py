"""`make bench` / `python -m bench [FIGURE ...]`: prepare the bench database, print the figures.

1. creates the database of BENCH_DATABASE_URL when missing (through the `postgres` database);
2. migrates it, collects the static files (the manifest storage needs them with DEBUG off);
3. runs each figure (all of bench/figures/, or those named), printing one line each on stdout.
   Progress and notes go to stderr. Each figure loads the data it needs, once.
"""

import importlib
import os
import signal
import sys
import time

from bench import DEFAULT_BENCH_DATABASE_URL


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)


def ensure_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist; True when it was created."""
    import psycopg
    from psycopg import sql

    from portal.env import parse_database_url

    database = parse_database_url("BENCH_DATABASE_URL", url)
    if not database["ENGINE"].endswith("postgresql"):
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database (postgres://...).")
    params = {
        "dbname": "postgres",
        "user": database["USER"] or None,
        "password": database["PASSWORD"] or None,
        "host": database["HOST"] or None,
        "port": database["PORT"] or None,
    }
    try:
        conn = psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)
    except psycopg.OperationalError as exc:
        raise SystemExit(
            f"bench: cannot reach PostgreSQL for BENCH_DATABASE_URL ({exc}). Start it "
            "(.ci/run shows how) or point BENCH_DATABASE_URL at a server."
        ) from None
    with conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]
        ).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
        return True


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so that `finally` blocks stop gunicorn


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

    from bench.figures import available

    figures = available()
    unknown = [name for name in names if name not in figures]
    if unknown:
        print(
            f"bench: unknown figure(s) {', '.join(unknown)}; available: {', '.join(figures)}",
            file=sys.stderr,
        )
        return 2
    if ensure_database(database_url()):
        print("bench: created the bench database", file=sys.stderr)

    import django
    from django.core.management import call_command

    django.setup()
    from portal.db import use_job_statement_timeout

    # Loading millions of rows is no web request: no statement timeout in this process (the
    # gunicorn servers it starts keep the web's).
    use_job_statement_timeout(seconds=0)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"bench: migrate + collectstatic {time.perf_counter() - started:.1f} s", file=sys.stderr)

    # Timings are only as good as the machine is quiet: say how busy it was.
    print(f"bench: load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)", file=sys.stderr)
    for name in names or figures:
        module = importlib.import_module(f"bench.figures.{name}")
        started = time.perf_counter()
        line = module.run()
        print(line, flush=True)
        print(
            f"bench: {name} took {time.perf_counter() - started:.1f} s "
            f"(load average {os.getloadavg()[0]:.2f})",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
