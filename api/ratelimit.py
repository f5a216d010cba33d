"""Token buckets: `rate_limit_per_minute` tokens a minute per key, with bursts up to the same number. A request
costs one token per statement it carries; a widget key also has a bucket per visitor (see `api.deps.resolve`).

Scope and limits, on purpose: the buckets live in memory, **per process**. With N workers (or N servers behind
a balancer) a key can make up to N × the limit. That is the accepted trade-off for a coach whose expensive work
is already bounded by the body and statement limits; a shared limiter (Redis, PostgreSQL) can replace this
class without touching the routes, which only call `check(bucket)`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from coach.errors import RateLimited


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
