"""Settings read from the environment: a malformed value stops start-up and names the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_redis_url,
    env_secret,
    parse_database_url,
)

VARIABLES = (
    "DATABASE_URL",
    "DATABASE_URL_FILE",
    "REDIS_URL",
    "REDIS_URL_FILE",
    "DEBUG",
    "EMAIL_BACKEND",
    "EMAIL_PORT",
    "SMS_BACKEND",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "HTTPS",
    "ALLOWED_HOSTS",
    "CELERY_TASK_ALWAYS_EAGER",
)


def manage_check(tmp_path, **variables) -> subprocess.CompletedProcess:
    """`manage.py check` in a fresh process, with the real settings and only `variables` set."""
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        GUICHET_VAR_DIR=str(tmp_path / "var"),
        **variables,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_embedded_default_starts_with_no_variable_set(tmp_path):
    result = manage_check(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://x", "unsupported scheme 'mysql'"),
        ("DATABASE_URL", "postgres://db.example.org:port/guichet", "the port is not a number"),
        ("DATABASE_URL", "postgres://db.example.org:5432/", "the database name is missing"),
        ("DEBUG", "perhaps", "is not a boolean"),
        ("HTTPS", "oui", "is not a boolean"),
        ("EMAIL_PORT", "abc", "is not an integer"),
        ("EMAIL_PORT", "0", "must be at least 1"),
        ("REDIS_URL", "http://x", "must start with redis://"),
        ("SMS_BACKEND", "carrier-pigeon", "must be one of: outbox, http"),
        ("EMAIL_BACKEND", "pigeon", "must be one of: outbox, smtp, console"),
        ("SECRET_KEY_FILE", "/nonexistent/secret", "cannot read"),
    ],
)
def test_a_malformed_variable_stops_start_up_naming_it(tmp_path, variable, value, message):
    result = manage_check(tmp_path, **{variable: value})

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert variable in last_line
    assert message in last_line


# -- Unit tests of the readers --------------------------------------------------------------------
def test_a_postgres_url_gives_every_connection_field():
    db = parse_database_url(
        "DATABASE_URL", "postgres://gui%40chet:p%2Fss@db:6432/portail?sslmode=require"
    )

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("portail", "gui@chet", "p/ss")
    assert (db["HOST"], db["PORT"]) == ("db", "6432")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_a_postgres_url_without_port_or_password_leaves_them_empty():
    db = parse_database_url("DATABASE_URL", "postgresql://postgres@127.0.0.1/guichet")

    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == ("postgres", "", "127.0.0.1", "")


def test_a_sqlite_url_takes_an_absolute_path():
    db = parse_database_url("DATABASE_URL", "sqlite:////srv/guichet/db.sqlite3")

    assert db == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/guichet/db.sqlite3"}


def test_a_sqlite_url_takes_a_relative_path():
    db = parse_database_url("DATABASE_URL", "sqlite:///var/db.sqlite3")

    assert db["NAME"] == "var/db.sqlite3"


def test_a_sqlite_url_without_path_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL=.*needs a file path"):
        parse_database_url("DATABASE_URL", "sqlite://")


def test_a_secret_is_read_from_the_variable(monkeypatch):
    monkeypatch.setenv("SMS_API_TOKEN", "jeton")
    monkeypatch.delenv("SMS_API_TOKEN_FILE", raising=False)

    assert env_secret("SMS_API_TOKEN") == "jeton"


def test_a_secret_file_wins_over_the_variable_and_loses_its_newline(monkeypatch, tmp_path):
    secret = tmp_path / "token"
    secret.write_text("depuis-le-fichier\n", encoding="utf-8")
    monkeypatch.setenv("SMS_API_TOKEN", "jeton")
    monkeypatch.setenv("SMS_API_TOKEN_FILE", str(secret))

    assert env_secret("SMS_API_TOKEN") == "depuis-le-fichier"


def test_an_unreadable_secret_file_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("SMS_API_TOKEN_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured, match="SMS_API_TOKEN_FILE: cannot read"):
        env_secret("SMS_API_TOKEN")


def test_a_missing_secret_falls_back_to_its_default(monkeypatch):
    monkeypatch.delenv("SMS_API_TOKEN", raising=False)
    monkeypatch.delenv("SMS_API_TOKEN_FILE", raising=False)

    assert env_secret("SMS_API_TOKEN", "défaut") == "défaut"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("YES", True), ("off", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)

    assert env_bool("DEBUG") is expected


def test_readers_fall_back_to_their_default_when_the_variable_is_unset(monkeypatch):
    for name in ("DEBUG", "EMAIL_PORT", "ALLOWED_HOSTS", "SMS_BACKEND", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("REDIS_URL_FILE", raising=False)

    assert env_bool("DEBUG", True) is True
    assert env_int("EMAIL_PORT", 25) == 25
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]
    assert env_choice("SMS_BACKEND", "outbox", ("outbox", "http")) == "outbox"
    assert env_redis_url("REDIS_URL") == ""


def test_a_list_ignores_spaces_and_empty_items(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " portail.example.org, ,www.example.org ")

    assert env_list("ALLOWED_HOSTS", []) == ["portail.example.org", "www.example.org"]
