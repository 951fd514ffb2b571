"""Production's cache backend: Django's Redis cache, where a Redis in trouble is an empty cache.

Everything the portal keeps in the cache can be computed again from the
database: pages and their parts, versions, blocked terms, rate-limit
counters, views waiting to be written. So whatever goes wrong with Redis —
a refused connection, a timeout, or an error Redis answers with, such as
`OOM command not allowed` once `maxmemory` is reached under `noeviction` —
the operation answers as an empty cache that forgets at once what it is
given would: `get` the default, `get_many` nothing, `add` True (it "stored" a
key that was not there), `incr` a ValueError (the key is missing), `set`
and `delete` nothing. Pages are then rendered from the database, and a
refused write is a page not kept, never a 500.

That `add` succeeds is what the limits need (newsroom/site/counters.py):
a window's first hit is an `add`, so while Redis is away or full every hit
is the first of its window, and no comment or sign-in is refused for a
counter that cannot be kept. Limits are not enforced meanwhile: fewer
guards for a while rather than a site that accepts nothing.

A Redis that cannot be reached costs a refused connection, or a timeout
when its host is gone, on every call of every request. After such a
failure the backend leaves Redis alone for `failure_pause` seconds, during
which every call is a miss at once. A Redis that answers with an error
answers quickly, so each call still tries (reads go on working in a full
Redis). One warning is logged when trouble begins, one line when it ends.
"""

import logging
import os
import threading
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Redis runs beside the app servers: it answers in a millisecond or not at all.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
FAILURE_PAUSE = 5.0
REFUSAL_NOTE_SECONDS = 60.0

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Trouble:
    """What is known of one Redis server's health, shared by every thread of the process.

    Django gives each thread a cache object of its own; knowing that Redis is
    unreachable is kept per server so that one thread's timeout spares the
    others the wait.
    """

    def __init__(self, location, pause):
        self.location = location
        self.pause = pause
        self.lock = threading.Lock()
        self.since = None  # when Redis stopped answering (monotonic), or None
        self.retry_at = 0.0
        self.next_refusal_note = 0.0

    def allows_attempt(self) -> bool:
        return self.since is None or time.monotonic() >= self.retry_at

    def failed(self, error, *, unreachable):
        with self.lock:
            now = time.monotonic()
            if unreachable:
                self.retry_at = now + self.pause
                if self.since is None:
                    self.since = now
                    logger.warning(
                        "Cache unavailable (%s), serving without it and trying again "
                        "every %g s: %s",
                        self.location,
                        self.pause,
                        error,
                    )
            elif now >= self.next_refusal_note:
                # A full Redis refuses every write: one line a minute says so.
                self.next_refusal_note = now + REFUSAL_NOTE_SECONDS
                logger.warning(
                    "Cache refused an operation (%s): %s: %s",
                    self.location,
                    type(error).__name__,
                    error,
                )

    def succeeded(self):
        if self.since is None:
            return
        with self.lock:
            if self.since is not None:
                logger.info(
                    "Cache available again (%s) after %.1f s.",
                    self.location,
                    time.monotonic() - self.since,
                )
                self.since = None


_troubles = {}
_troubles_lock = threading.Lock()


def _trouble_for(location, pause) -> _Trouble:
    with _troubles_lock:
        return _troubles.setdefault(location, _Trouble(location, pause))


class _ReusedClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool, on one connection.

    Django makes a new `redis.Redis` for every cache call, and redis-py fills
    a table of some two hundred response callbacks each time: about 0.15 ms,
    three times on every cached page. Django gives each thread a cache
    object of its own, so the client made here is one thread's, and it keeps
    one connection (redis-py's `single_connection_client`) instead of taking
    one from the pool and giving it back on every call. The pool would have
    noticed a connection Redis closed when handing it out; a kept one finds
    out on its next command, which is sent again once on a new connection
    (the `retry` option). A process started by fork makes its own client,
    so that no two processes share a socket.
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        owner = (id(pool), os.getpid())
        client = clients.get(owner)
        if client is None:
            client = clients[owner] = self._client(
                connection_pool=pool, single_connection_client=True
            )
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis fails.

    OPTIONS are Django's (passed on to redis-py's connection pool), with
    short socket timeouts by default, plus `failure_pause`: seconds to leave
    an unreachable Redis alone before asking it again.
    """

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        # A connection Redis has closed (a restart, an idle timeout) is made
        # again once, at once; a timeout is not tried twice.
        options.setdefault("retry", Retry(NoBackoff(), 1, (RedisConnectionError,)))
        pause = float(options.pop("failure_pause", FAILURE_PAUSE))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClient
        self._trouble = _trouble_for(",".join(self._servers), pause)

    def validate_key(self, key):
        """Nothing to check: Redis takes any key.

        Django's check warns of keys memcached would refuse (long, or with
        spaces); it runs for every key of every call, a page's own included.
        """

    def _guarded(self, operation, fallback):
        """`operation()`, or `fallback()` when Redis fails or was unreachable a moment ago."""
        if not self._trouble.allows_attempt():
            return fallback()
        try:
            result = operation()
        except RedisError as error:
            self._trouble.failed(error, unreachable=isinstance(error, UNREACHABLE))
            return fallback()
        self._trouble.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().add, key, value, timeout, version), _true)

    def get(self, key, default=None, version=None):
        return self._guarded(partial(super().get, key, default, version), lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().set, key, value, timeout, version), _none)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().touch, key, timeout, version), _false)

    def delete(self, key, version=None):
        return self._guarded(partial(super().delete, key, version), _false)

    def get_many(self, keys, version=None):
        return self._guarded(partial(super().get_many, keys, version), dict)

    def has_key(self, key, version=None):
        return self._guarded(partial(super().has_key, key, version), _false)

    def incr(self, key, delta=1, version=None):
        # decr() and incr_version() come through here too.
        def missing():
            raise ValueError(f"Key '{key}' not found: the cache is unavailable.")

        return self._guarded(partial(super().incr, key, delta, version), missing)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored, here all of them.
        return self._guarded(partial(super().set_many, data, timeout, version), lambda: list(data))

    def delete_many(self, keys, version=None):
        return self._guarded(partial(super().delete_many, keys, version), _none)

    def clear(self):
        return self._guarded(super().clear, _false)


def _true():
    return True


def _false():
    return False


def _none():
    return None
