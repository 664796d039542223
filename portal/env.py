"""Typed readers for environment variables.

Every setting Guichet reads from the environment goes through one of these helpers, so a
malformed value stops the start-up with a message that names the variable, instead of a
confusing failure later. `env_secret` also reads `NAME_FILE` (Docker secrets).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the content of the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path!r} ({exc}).") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def parse_database_url(name: str, url: str) -> dict:
    """Turn `postgres://user:pass@host:port/db` or `sqlite:///path` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//") or path.startswith("/"):  # sqlite:////abs/path
            path = path[1:]
        if not path:
            raise ImproperlyConfigured(f"{name}={url!r}: a SQLite URL needs a file path.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        dbname = unquote(parsed.path.lstrip("/"))
        if not dbname:
            raise ImproperlyConfigured(f"{name}={url!r}: the database name is missing.")
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured(f"{name}={url!r}: the port is not a number.") from None
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"{name}={url!r}: unsupported scheme {parsed.scheme!r} (use postgres:// or sqlite:///)."
    )


def env_database(name: str, default: str) -> dict:
    return parse_database_url(name, env_secret(name, default))


def env_redis_url(name: str) -> str:
    url = env_secret(name, "")
    if url and urlparse(url).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"{name}={url!r} must start with redis:// or rediss://.")
    return url


def parse_storage_url(name: str, url: str, *, media_root: str) -> dict:
    """The STORAGES["default"] entry for `url`: empty for the local folder `media_root`;
    `s3://KEY:SECRET@host[:port]/bucket[/prefix]` (HTTPS) or `s3+http://…` (plain HTTP, a
    gateway on the same network) for S3-compatible object storage, through django-storages.
    Query options: `region` (default us-east-1), `addressing` (path, the default, or virtual)."""
    if not url:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media_root},
        }
    parsed = urlparse(url)
    if parsed.scheme not in {"s3", "s3+http"}:
        raise ImproperlyConfigured(
            f"{name}: unsupported scheme {parsed.scheme!r} (use s3:// or s3+http://)."
        )
    bucket, _slash, prefix = parsed.path.lstrip("/").partition("/")
    if not bucket or not parsed.hostname:
        raise ImproperlyConfigured(f"{name}: give the host and the bucket (s3://host/bucket).")
    try:
        port = f":{parsed.port}" if parsed.port else ""
    except ValueError:
        raise ImproperlyConfigured(f"{name}: the port is not a number.") from None
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    addressing = query.get("addressing", "path")
    if addressing not in {"path", "virtual"}:
        raise ImproperlyConfigured(f"{name}: addressing must be path or virtual.")
    from botocore.config import Config

    http = "http" if parsed.scheme == "s3+http" else "https"
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": prefix.strip("/"),
            "endpoint_url": f"{http}://{parsed.hostname}{port}",
            "access_key": unquote(parsed.username or ""),
            "secret_key": unquote(parsed.password or ""),
            "region_name": query.get("region", "us-east-1"),
            "addressing_style": addressing,
            "signature_version": "s3v4",
            # Names are random: no HEAD before each write to find a free one.
            "file_overwrite": True,
            "default_acl": None,
            # An unreachable storage answers fast: the person gets the French message within
            # seconds, not after minutes of retries.
            "client_config": Config(
                connect_timeout=2,
                read_timeout=20,
                retries={"max_attempts": 2, "mode": "standard"},
                signature_version="s3v4",
                s3={"addressing_style": addressing},
            ),
        },
    }


def env_storage(name: str, *, media_root: str) -> dict:
    return parse_storage_url(name, env_secret(name, ""), media_root=media_root)
