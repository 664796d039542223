"""What a part that is down (SMTP relay, Redis, the database, the disk) leaves in the logs.

One line per failure, naming the part and the error's class but never its message (an SMTP
refusal or a database error can quote an address or a value); the traceback of a kind of
failure at most once per minute per process, so that an outage under traffic cannot fill a
disk with the same 200 lines a thousand times.
"""

import logging
import threading
import time

from django.db import DatabaseError

TRACEBACK_EVERY_SECONDS = 60

_last_traceback: dict[str, float] = {}
_lock = threading.Lock()


def describe(exc: BaseException) -> str:
    """`ConnectionRefusedError`, `SMTPDataError 451`, `OperationalError`: what failed, without
    the message."""
    name = exc.__class__.__name__
    code = getattr(exc, "smtp_code", None) or getattr(exc, "errno", None)
    return f"{name} {code}" if code else name


def traceback_due(kind: str, *, now: float | None = None) -> bool:
    """True once per TRACEBACK_EVERY_SECONDS for `kind` (in this process)."""
    now = time.monotonic() if now is None else now
    with _lock:
        last = _last_traceback.get(kind)
        if last is not None and now - last < TRACEBACK_EVERY_SECONDS:
            return False
        _last_traceback[kind] = now
        return True


def log_fault(logger: logging.Logger, what: str, exc: BaseException, **fields) -> None:
    """One warning line `<what>: <error> k=v...`; with the traceback the first time a minute."""
    kind = f"{logger.name}:{what}:{exc.__class__.__name__}"
    details = "".join(f" {key}={value}" for key, value in fields.items())
    logger.warning(
        "%s: %s%s", what, describe(exc), details, exc_info=exc if traceback_due(kind) else None
    )


def database_error_in(exc: BaseException | None) -> DatabaseError | None:
    """The database error behind `exc` (itself, or what caused it: a session that could not be
    saved is a SessionInterrupted caused by one), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DatabaseError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


class TracebackOncePerMinute(logging.Filter):
    """A handler filter: a record carrying a traceback keeps it the first time a minute for its
    kind (logger and error class); the other times it is one line naming the error."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            if not traceback_due(f"{record.name}:{exc.__class__.__name__}"):
                record.msg = f"{record.getMessage()} ({describe(exc)}; traceback logged earlier)"
                record.args = ()
                record.exc_info = None
                record.exc_text = None
        return True


def refused_for_good(exc: BaseException) -> bool:
    """True for a relay's permanent refusal (an SMTP 5xx: unknown recipient, message refused),
    which no retry will change; False for what may pass later (network, 4xx, database)."""
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False
