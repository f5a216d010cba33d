"""Token buckets: `rate_limit_per_minute` tokens a minute per key, with bursts up to the same number. A request
costs one token per statement it carries; a widget key also has a bucket per visitor (see `api.deps.resolve`).

Scope: `TokenBucketLimiter` keeps the buckets in memory, **per process** (the single-process default). With N
workers or hosts, set COACH_REDIS_URL: `RedisTokenBucketLimiter` keeps the same buckets in Redis, so a key
gets its limit once, whichever process answers. The routes only call `check(bucket)`.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from coach.errors import RateLimited

log = logging.getLogger(__name__)


class Limiter(Protocol):
    """What the routes use: spend `cost` tokens of `key`'s bucket or raise RateLimited."""

    @property
    def enabled(self) -> bool: ...

    def check(self, key: str, cost: float = 1.0, per_minute: int | None = None) -> None: ...

    def reset(self) -> None: ...


def build_limiter(per_minute: int, redis_url: str | None, prefix: str = "coach:") -> Limiter:
    """In memory for one process; in Redis (shared by every worker and host) when COACH_REDIS_URL is set."""
    if not redis_url:
        return TokenBucketLimiter(per_minute)
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
    return RedisTokenBucketLimiter(client, per_minute, prefix=prefix)


class TokenBucketLimiter:
    """`check(key)` spends one token or raises RateLimited with the seconds until the next token."""

    def __init__(
        self,
        per_minute: int,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = 10_000,
    ) -> None:
        self.per_minute = per_minute
        self.capacity = float(burst if burst is not None else per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self.max_buckets = max_buckets
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, last refill time)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def check(self, key: str, cost: float = 1.0, per_minute: int | None = None) -> None:
        """Spend `cost` tokens of `key`'s bucket (`per_minute` overrides the limiter's rate for this bucket)."""
        rate_per_minute = self.per_minute if per_minute is None else per_minute
        if rate_per_minute <= 0 or not self.enabled:
            return
        capacity = self.capacity if per_minute is None else float(per_minute)
        rate = rate_per_minute / 60.0
        cost = min(max(cost, 0.0), capacity)  # a request may empty a bucket, never need more than it holds
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens < cost:
                self._buckets[key] = (tokens, now)
                raise RateLimited(max(1, math.ceil((cost - tokens) / rate)))
            self._buckets[key] = (tokens - cost, now)
            if len(self._buckets) > self.max_buckets:
                self._prune(now)

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled completely: they behave exactly like new ones."""
        full_after = self.capacity / self.rate if self.rate else 0.0
        for key in [k for k, (_, last) in self._buckets.items() if now - last >= full_after]:
            del self._buckets[key]

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


# The same bucket as `TokenBucketLimiter`, kept in Redis and updated atomically by one script, so every worker
# and every host spends from one bucket per key. Redis's own clock (TIME) refills it: hosts need not agree.
_BUCKET_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or capacity
local ts = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local ok = 0
if tokens >= cost then
  tokens = tokens - cost
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {ok, string.format('%.6f', (cost - tokens) / rate)}
"""


class RedisTokenBucketLimiter:
    """`TokenBucketLimiter` shared through Redis (COACH_REDIS_URL): one bucket per key across all processes.

    If Redis cannot be reached the request is let through and the failure logged (at most once a minute): a
    rate limit protects capacity, and an outage of Redis should not become an outage of the coach."""

    def __init__(self, client: Any, per_minute: int, prefix: str = "coach:", burst: int | None = None) -> None:
        self.client = client
        self.per_minute = per_minute
        self.capacity = float(burst if burst is not None else per_minute)
        self.prefix = f"{prefix}rl:"
        self._script = client.register_script(_BUCKET_LUA)
        self._last_warning = 0.0

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def check(self, key: str, cost: float = 1.0, per_minute: int | None = None) -> None:
        rate_per_minute = self.per_minute if per_minute is None else per_minute
        if rate_per_minute <= 0 or not self.enabled:
            return
        capacity = self.capacity if per_minute is None else float(per_minute)
        rate = rate_per_minute / 60.0
        cost = min(max(cost, 0.0), capacity)
        try:
            ok, wait = self._script(keys=[self.prefix + key], args=[capacity, rate, cost])
        except Exception as exc:  # redis.RedisError, OSError: fail open, loudly
            now = time.monotonic()
            if now - self._last_warning > 60:
                self._last_warning = now
                log.warning("rate limiter: Redis unavailable (%s); requests are not limited", type(exc).__name__)
            return
        if int(ok) != 1:
            raise RateLimited(max(1, math.ceil(float(wait))))

    def reset(self) -> None:
        for k in self.client.scan_iter(match=self.prefix + "*", count=500):
            self.client.delete(k)
