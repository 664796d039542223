"""Celery beat that sends the periodic jobs only while it holds a lock.

Two beat processes started by mistake (a second host, a container restarted next to a live
one) would each send every periodic job: emails caught up twice as often, purges racing. Each
beat here first takes a lock: in Redis (`SET NX` with an expiry, renewed at every tick) when
REDIS_URL is set, else a file lock under var/ (one host). The other one waits, and takes over
within BEAT_LOCK_SECONDS if the holder dies without releasing it.
"""

import contextlib
import fcntl
import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)


class RedisLock:
    """A lock with an expiry, renewed while held: a dead holder loses it within `seconds`."""

    # Renew only our own lock: compare the token and extend in one step.
    _RENEW = (
        "if redis.call('get', KEYS[1]) == ARGV[1] then "
        "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
    )
    _RELEASE = (
        "if redis.call('get', KEYS[1]) == ARGV[1] then "
        "return redis.call('del', KEYS[1]) else return 0 end"
    )

    def __init__(self, url: str, key: str, seconds: int):
        import redis

        self.key = key
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.milliseconds = seconds * 1000
        self.held = False

    def hold(self) -> bool:
        """True while this process holds the lock (taken now, or renewed)."""
        try:
            if self.held and self.client.eval(
                self._RENEW, 1, self.key, self.token, self.milliseconds
            ):
                return True
            self.held = bool(self.client.set(self.key, self.token, nx=True, px=self.milliseconds))
        except Exception as exc:  # noqa: BLE001 - Redis down: the broker is too, send nothing
            if self.held:
                logger.warning("beat lock: Redis unreachable (%s)", exc.__class__.__name__)
            self.held = False
        return self.held

    def release(self) -> None:
        with contextlib.suppress(Exception):
            self.client.eval(self._RELEASE, 1, self.key, self.token)
        self.held = False


class FileLock:
    """The embedded default (no Redis): an exclusive lock on a file, held while the process
    lives; the kernel releases it when the process dies."""

    def __init__(self, path):
        self.path = path
        self.handle = None

    def hold(self) -> bool:
        if self.handle is not None:
            return True
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def beat_lock():
    seconds = settings.BEAT_LOCK_SECONDS
    if settings.REDIS_URL:
        return RedisLock(settings.REDIS_URL, settings.BEAT_LOCK_KEY, seconds)
    return FileLock(os.path.join(settings.VAR_DIR, "celerybeat.lock"))


class LockedScheduler(PersistentScheduler):
    """PersistentScheduler that sends nothing unless it holds the beat lock."""

    def __init__(self, *args, **kwargs):
        self.lock = beat_lock()
        self.was_holding = None
        super().__init__(*args, **kwargs)

    def _wake_up(self) -> float:
        # Renewed well within the lock's lifetime.
        return settings.BEAT_LOCK_SECONDS / 3

    def tick(self, *args, **kwargs):
        holding = self.lock.hold()
        if holding != self.was_holding:
            logger.info(
                "beat lock %s: %s",
                "taken" if holding else "not held",
                "sending the periodic jobs" if holding else "another beat sends them, waiting",
            )
            self.was_holding = holding
        if not holding:
            return self._wake_up()
        return min(super().tick(*args, **kwargs), self._wake_up())

    def close(self):
        try:
            super().close()
        finally:
            self.lock.release()
