"""Django's Redis cache, cheaper per call and failing open when Redis is down.

Cheaper: rate limits (answer links, sign-in, password reset) call the cache on every
request: `add` then `incr`. Django's client builds a new `redis.Redis` object for each call
(with its table of some 170 response callbacks) and answers `incr` in two round trips
(EXISTS, then INCRBY). Here each connection pool keeps one client (redis-py clients are
thread-safe), and `incr` is one server-side script. Behaviour is Django's: `incr` of a
missing key raises ValueError.

Failing open: nothing the cache holds is worth refusing an owner's answer for. While
Redis cannot be reached every call answers as an empty cache would (`get` the default,
`add` False, `incr` ValueError "not found", writes dropped), so rate limits let requests
through (RATELIMIT_FAIL_OPEN) and the page works. Each such call is counted and logged
(once a minute at most, with the count) and `/readyz` reports it (`cache_status`). After a
failure the cache is not tried again for RETRY_AFTER_SECONDS: where Redis hangs rather than
refuses, each request would otherwise wait for the connect timeout.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache.backends import redis as django_redis

log = logging.getLogger(__name__)

T = TypeVar("T")

# INCRBY only if the key exists: Django's contract, in one round trip.
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""

# Counters of one window: each key incremented, given its time to live when new, in one
# round trip. Returns the counts in the keys' order.
_HIT_ALL = """
local counts = {}
for i, key in ipairs(KEYS) do
    local n = redis.call('INCR', key)
    if n == 1 then redis.call('EXPIRE', key, ARGV[1]) end
    counts[i] = n
end
return counts
"""

# What "Redis cannot be reached" looks like from redis-py (refused, reset, timed out,
# still loading its data after a restart). Anything else is a bug and propagates.
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

RETRY_AFTER_SECONDS = 2.0
LOG_EVERY_SECONDS = 60.0


@dataclasses.dataclass
class FailOpenCounter:
    """Calls this process answered without Redis, for logs and /readyz."""

    calls: int = 0
    last_at: float | None = None  # time.time() of the last one
    last_error: str = ""  # for the log: the message can name hosts and ports
    last_error_type: str = ""  # for /readyz, which anyone can read
    skip_until: float = 0.0  # time.monotonic(): don't try Redis before this
    _logged_at: float | None = None
    _logged_calls: int = 0
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False)

    def record(self, operation: str, error: BaseException | None) -> None:
        now = time.monotonic()
        with self._lock:
            self.calls += 1
            self.last_at = time.time()
            if error is not None:
                self.last_error = f"{type(error).__name__}: {error}"[:300]
                self.last_error_type = type(error).__name__
                self.skip_until = now + RETRY_AFTER_SECONDS
            due = self._logged_at is None or now - self._logged_at >= LOG_EVERY_SECONDS
            if due:
                since_log = self.calls - self._logged_calls
                self._logged_at, self._logged_calls = now, self.calls
        if due:
            log.warning(
                "Cache unavailable, failing open (%s; %d call(s) since the last report, "
                "%d in this process): %s",
                operation,
                since_log,
                self.calls,
                self.last_error,
            )

    def skipping(self) -> bool:
        return time.monotonic() < self.skip_until

    def reset(self) -> None:
        with self._lock:
            self.calls, self.last_at, self.skip_until = 0, None, 0.0
            self.last_error = self.last_error_type = ""
            self._logged_at, self._logged_calls = None, 0


fail_open = FailOpenCounter()


def _guarded(operation: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
    if fail_open.skipping():
        fail_open.record(operation, None)
        return fallback()
    try:
        return call()
    except UNAVAILABLE as error:
        fail_open.record(operation, error)
        return fallback()


def _not_found(key: str) -> Callable[[], Any]:
    def fallback():
        raise ValueError(f"Key '{key}' not found (cache unavailable).")

    return fallback


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}
        self._incr_scripts: dict[int, object] = {}
        self._hit_scripts: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _incr(self, key, delta):
        client = self.get_client(key, write=True)
        script = self._incr_scripts.get(id(client))
        if script is None:
            script = self._incr_scripts[id(client)] = client.register_script(_INCR_EXISTING)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    # Each operation answers as an empty cache would while Redis is unreachable.

    def add(self, key, value, timeout):
        return _guarded(
            "add", lambda: super(RedisCacheClient, self).add(key, value, timeout), lambda: False
        )

    def get(self, key, default):
        return _guarded(
            "get", lambda: super(RedisCacheClient, self).get(key, default), lambda: default
        )

    def set(self, key, value, timeout):
        return _guarded(
            "set", lambda: super(RedisCacheClient, self).set(key, value, timeout), lambda: None
        )

    def touch(self, key, timeout):
        return _guarded(
            "touch", lambda: super(RedisCacheClient, self).touch(key, timeout), lambda: False
        )

    def delete(self, key):
        return _guarded("delete", lambda: super(RedisCacheClient, self).delete(key), lambda: False)

    def get_many(self, keys):
        return _guarded("get_many", lambda: super(RedisCacheClient, self).get_many(keys), dict)

    def has_key(self, key):
        return _guarded(
            "has_key", lambda: super(RedisCacheClient, self).has_key(key), lambda: False
        )

    def incr(self, key, delta):
        return _guarded("incr", lambda: self._incr(key, delta), _not_found(key))

    def set_many(self, data, timeout):
        return _guarded(
            "set_many", lambda: super(RedisCacheClient, self).set_many(data, timeout), lambda: None
        )

    def delete_many(self, keys):
        return _guarded(
            "delete_many", lambda: super(RedisCacheClient, self).delete_many(keys), lambda: None
        )

    def clear(self):
        return _guarded("clear", lambda: super(RedisCacheClient, self).clear(), lambda: False)

    def hit_all(self, keys, timeout):
        """Count one hit on each counter (created with `timeout`), in one round trip.
        Redis unreachable: counts of 0, which no limit refuses."""

        def call():
            client = self.get_client(write=True)
            script = self._hit_scripts.get(id(client))
            if script is None:
                script = self._hit_scripts[id(client)] = client.register_script(_HIT_ALL)
            return [int(n) for n in script(keys=keys, args=[timeout])]

        return _guarded("hit_all", call, lambda: [0] * len(keys))

    def ping(self) -> None:
        """Raises when Redis cannot be reached (for /readyz; never fails open)."""
        self.get_client(write=True).ping()


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def ping(self) -> None:
        self._cache.ping()

    def hit_all(self, keys, timeout: int) -> list[int]:
        keys = [self.make_and_validate_key(key) for key in keys]
        return self._cache.hit_all(keys, timeout)


def cache_status(cache) -> tuple[bool, str]:
    """(reachable, what to report) for /readyz. Unreachable is a degraded state, not a
    failure: answers and sign-ins still work, without rate limits."""
    counted = ""
    if fail_open.calls:
        ago = int(time.time() - (fail_open.last_at or time.time()))
        counted = (
            f"; {fail_open.calls} call(s) failed open in this process, the last {ago} s ago"
            f" ({fail_open.last_error_type})"
        )
    if not isinstance(cache, RedisCache):
        return True, f"{type(cache).__name__}, not shared over the network{counted}"
    try:
        cache.ping()
    except UNAVAILABLE as error:
        return False, f"unreachable, rate limits fail open: {type(error).__name__}{counted}"
    return True, f"reachable{counted}"
