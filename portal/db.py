"""The statement timeout of the process: a web request's (DB_STATEMENT_TIMEOUT) by default,
a job's (DB_JOB_STATEMENT_TIMEOUT) in Celery workers, beat and management commands."""

from django.conf import settings
from django.db import connections


def use_job_statement_timeout(*, seconds: int | None = None) -> None:
    """Give this process's PostgreSQL connections the jobs' longer statement timeout, or
    `seconds` (0: none), from its next connection on (open ones are closed)."""
    if settings.PGBOUNCER:  # set per role in PostgreSQL (README, "Scale-out")
        return
    if seconds is None:
        seconds = settings.DB_JOB_STATEMENT_TIMEOUT
    value = f"-c statement_timeout={seconds * 1000}"
    for alias, database in settings.DATABASES.items():
        if not database["ENGINE"].endswith("postgresql"):
            continue
        database.setdefault("OPTIONS", {})["options"] = value
        connection = connections[alias]
        connection.settings_dict.setdefault("OPTIONS", {})["options"] = value
        connection.close()
