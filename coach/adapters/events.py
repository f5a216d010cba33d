"""The `EventBus` port over Redis pub/sub (COACH_REDIS_URL): every worker and host sees every live event.

Publishing is synchronous and best effort (a turn is never failed because Redis is away; streams fall back to
reading the database on their slow timer). Subscribing is asynchronous, one connection per open stream, for
the HTTP edge (`api/events.py`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)


class RedisEventBus:
    def __init__(self, url: str, prefix: str = "coach:") -> None:
        import redis

        self.url = url
        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._last_warning = 0.0

    def channel(self, topic: str) -> str:
        return f"{self.prefix}ev:{topic}"

    def publish(self, topic: str, event: dict[str, Any]) -> None:
        try:
            self.client.publish(self.channel(topic), json.dumps(event, ensure_ascii=False))
        except Exception as exc:  # redis.RedisError, OSError
            now = time.monotonic()
            if now - self._last_warning > 60:
                self._last_warning = now
                log.warning("live events: Redis unavailable (%s); streams fall back to polling", type(exc).__name__)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        import redis.asyncio as aredis

        client: Any = aredis.Redis.from_url(self.url, socket_connect_timeout=2)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(*(self.channel(t) for t in topics))
            yield Subscription(pubsub, len(self.prefix) + 3)
        finally:
            try:
                await pubsub.aclose()
            finally:
                await client.aclose()


class Subscription:
    """`await next(timeout)`: the next event as (topic, data), or None when `timeout` seconds pass first."""

    def __init__(self, pubsub: Any, strip: int) -> None:
        self.pubsub = pubsub
        self.strip = strip

    async def next(self, timeout: float) -> tuple[str, dict[str, Any]] | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            msg = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
            if msg is None or msg.get("type") != "message":
                continue
            channel = msg["channel"].decode() if isinstance(msg["channel"], bytes) else str(msg["channel"])
            try:
                data = json.loads(msg["data"])
            except (TypeError, ValueError):
                data = {}
            return channel[self.strip :], data if isinstance(data, dict) else {}
        return None
