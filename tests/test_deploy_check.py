"""Production variables give a deployment that Django's own deployment checklist accepts."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

from tests.test_env_settings import VARIABLES


def _run(tmp_path, *command, **variables) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        GUICHET_VAR_DIR=str(tmp_path / "var"),
        **variables,
    )
    return subprocess.run(
        [sys.executable, *command],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _production(tmp_path) -> dict:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "HTTPS": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'guichet.sqlite3'}",
    }


def test_check_deploy_finds_no_issue_with_production_variables(tmp_path):
    result = _run(tmp_path, "manage.py", "check", "--deploy", **_production(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    variables = _production(tmp_path)
    secret = tmp_path / "secret_key"
    secret.write_text(variables.pop("SECRET_KEY") + "\n", encoding="utf-8")

    result = _run(
        tmp_path, "manage.py", "check", "--deploy", SECRET_KEY_FILE=str(secret), **variables
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_about_the_embedded_default(tmp_path):
    """The default is for a laptop: the checklist must say so, so the test above means something."""
    result = _run(tmp_path, "manage.py", "check", "--deploy")

    assert "security.W009" in result.stderr  # the insecure development SECRET_KEY
    assert "security.W008" in result.stderr  # no HTTPS redirect


def test_https_switches_on_every_tls_setting(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_PROXY_SSL_HEADER)"
    )

    result = _run(tmp_path, "-c", code, **_production(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]
