"""The Redis cache, optional for correctness: when Redis does not answer, a read misses and a
write is dropped, with one log line (portal.faults), instead of an error page.

Nothing whose loss would be wrong lives in the cache (limits and decoys are GuardState rows,
emails are sent once by their rows); what remains there is only faster. After a failure the
cache is left alone for RETRY_AFTER seconds, so an outage costs one timeout per process and
interval, not one per read.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from portal.faults import log_fault

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
DOWN = (RedisConnectionError, RedisTimeoutError)


def _missing(fallback):
    """Run the cache operation unless Redis was found down a moment ago; `fallback(*args,
    **kwargs)` answers instead when it is, or when this call finds it down."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except DOWN as exc:
                self._down_until = time.monotonic() + RETRY_AFTER
                log_fault(logger, "cache unavailable", exc, operation=method.__name__)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _not_found(*args, **kwargs):
    raise ValueError("Key not found (cache unavailable)")


class OptionalRedisCache(RedisCache):
    """Django's Redis cache that answers as an empty cache while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    get = _missing(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _missing(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _missing(lambda *args, **kwargs: False)(RedisCache.has_key)
    add = _missing(lambda *args, **kwargs: False)(RedisCache.add)
    set = _missing(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _missing(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _missing(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _missing(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _missing(lambda *args, **kwargs: None)(RedisCache.delete_many)
    incr = _missing(_not_found)(RedisCache.incr)
    clear = _missing(lambda *args, **kwargs: False)(RedisCache.clear)
