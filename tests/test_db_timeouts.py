"""PostgreSQL statement timeouts: 10 s for a web request, longer for jobs and commands."""

import os
import subprocess
import sys

from django.conf import settings

from tests.test_env_settings import VARIABLES

PRINT_OPTIONS = (
    "import django; django.setup(); from django.db import connection; "
    "{switch}print(connection.settings_dict['OPTIONS'].get('options'))"
)


def _options(tmp_path, *, job: bool, **variables) -> str:
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        GUICHET_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL="postgres://guichet@db.example.org:5432/guichet",
        **variables,
    )
    switch = "from portal.db import use_job_statement_timeout; use_job_statement_timeout(); "
    code = PRINT_OPTIONS.format(switch=switch if job else "")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_web_request_gets_a_10_second_statement_timeout(tmp_path):
    assert _options(tmp_path, job=False) == "-c statement_timeout=10000"


def test_jobs_and_commands_get_a_longer_one(tmp_path):
    assert _options(tmp_path, job=True) == "-c statement_timeout=600000"


def test_the_jobs_timeout_can_be_set(tmp_path):
    variables = {"DB_STATEMENT_TIMEOUT_SECONDS": "5", "DB_JOB_STATEMENT_TIMEOUT_SECONDS": "60"}
    assert _options(tmp_path, job=True, **variables) == "-c statement_timeout=60000"


def test_behind_pgbouncer_the_connection_keeps_no_server_state(tmp_path):
    """Transaction pooling: no startup options (PgBouncer refuses them), no prepared
    statements, no server-side cursors."""
    code = (
        "import django; django.setup(); from django.db import connection as c; "
        "print(c.settings_dict['OPTIONS'], c.settings_dict['DISABLE_SERVER_SIDE_CURSORS'])"
    )
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        GUICHET_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL="postgres://guichet@pgbouncer.example.org:6432/guichet",
        PGBOUNCER="1",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'prepare_threshold': None} True"
