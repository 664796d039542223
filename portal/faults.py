"""What a part that is down (SMTP relay, Redis, the database, the disk) leaves in the logs.

One line per failure, naming the part and the error's class but never its message (an SMTP
refusal or a database error can quote an address or a value); the traceback of a kind of
failure at most once per minute per process, so that an outage under traffic cannot fill a
disk with the same 200 lines a thousand times.
"""

import logging
import threading
import time

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
