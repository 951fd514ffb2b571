"""The production cache: Redis, and a Redis outage is a cache miss, not an error page.

Everything the portal keeps in the cache can be computed again from the
database: whole pages, the menu, blocked terms, view counts waiting to be
written, rate-limit counters. So when Redis cannot be reached, every
operation answers as an empty cache would that forgets at once what it is
given — `get` the default, `get_many` nothing, `add` True (it "stored" a key
that was not there), `incr` a ValueError (the key is missing), `set` and
`delete` nothing at all — and pages are served, slower, straight from the
database.

That `add` succeeds is what the callers need. django-ratelimit adds the
counter and, when the add fails, increments it; an increment that fails too
makes it treat the reader as over the limit (unless RATELIMIT_FAIL_OPEN),
which would refuse every comment and every admin login for as long as Redis
is away. View counts (newsroom/articles/reading.py) and page versions
(newsroom/delivery/pagecache.py) likewise go on with the value they just "added". So
rate limits are not enforced during an outage: fewer guards for a few
minutes rather than a site that accepts nothing.

A Redis that is down costs a refused connection, or a connect timeout when
the host itself is gone; paid on every cache call of every request, that
would slow the whole site to a crawl. After a failure the backend does not
try again for `FAILURE_PAUSE` seconds: in between every call is a miss at
once. One warning is logged when an outage begins and one line when Redis
answers again.
"""

import logging
import threading
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis runs beside the app servers: it answers in a millisecond or not at all.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
FAILURE_PAUSE = 5.0

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Outage:
    """Whether a Redis server is worth asking, shared by every thread of the process.

    Django gives each thread a cache object of its own; the knowledge that
    Redis is down is kept per server so that one thread's failure spares
    the others the wait.
    """

    def __init__(self, location, pause):
        self.location = location
        self.pause = pause
        self.lock = threading.Lock()
        self.since = None  # when the current outage began (monotonic), or None
        self.retry_at = 0.0

    def allows_attempt(self) -> bool:
        return self.since is None or time.monotonic() >= self.retry_at

    def failed(self, error):
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + self.pause
            if self.since is None:
                self.since = now
                logger.warning(
                    "Cache unavailable (%s), serving without it and trying again every %g s: %s",
                    self.location,
                    self.pause,
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


_outages = {}
_outages_lock = threading.Lock()


def _outage_for(location, pause) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage(location, pause))


class _ReusedClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django makes a new `redis.Redis` for every cache call, and redis-py
    fills a table of some two hundred response callbacks each time: about
    0.15 ms, several times per page, on the path of every cached page. The
    client holds no state of its own beyond its pool, so one per pool is
    enough (and safe across threads, as the pool is).
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is unreachable.

    OPTIONS are Django's (passed on to redis-py's connection pool), with
    short socket timeouts by default, plus `failure_pause`: seconds to wait
    after a failure before asking Redis again.
    """

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        pause = float(options.pop("failure_pause", FAILURE_PAUSE))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClient
        self._outage = _outage_for(",".join(self._servers), pause)

    def _guarded(self, operation, fallback):
        """Run `operation()`; if Redis cannot be reached, or was not a moment ago, `fallback()`."""
        if not self._outage.allows_attempt():
            return fallback()
        try:
            result = operation()
        except UNREACHABLE as error:
            self._outage.failed(error)
            return fallback()
        self._outage.succeeded()
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

    # Messages between processes (newsroom/delivery/pagecache.py hears of new page
    # versions this way), while Redis is reachable.

    def channel(self, name):
        """A pub/sub channel of its own: channels are shared by all databases of a server."""
        pool = self._cache._get_connection_pool(True)
        return "{}:db{}".format(self.make_key(name), pool.connection_kwargs.get("db", 0))

    def publish(self, channel, message):
        client = self._cache.get_client(write=True)
        return self._guarded(partial(client.publish, channel, message), _none)

    def subscribe(self, channel):
        """A redis-py PubSub listening to `channel`, as Redis confirmed; None if unreachable."""
        if not self._outage.allows_attempt():
            return None
        pubsub = None
        try:
            pubsub = self._cache.get_client(write=True).pubsub()
            pubsub.subscribe(channel)
            confirmation = pubsub.get_message(timeout=DEFAULT_OPTIONS["socket_timeout"])
        except UNREACHABLE as error:
            self._outage.failed(error)
            confirmation = None
        if not confirmation or confirmation["type"] != "subscribe":
            if pubsub is not None:
                pubsub.close()
            return None
        return pubsub


def _true():
    return True


def _false():
    return False


def _none():
    return None
