"""The `EventBus` port in memory, for unit tests: records what was published (no subscribers)."""

from __future__ import annotations

import threading
from typing import Any


class RecordingEventBus:
    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()

    def publish(self, topic: str, event: dict[str, Any]) -> None:
        with self._lock:
            self.published.append((topic, dict(event)))

    def topics(self) -> list[str]:
        with self._lock:
            return [t for t, _ in self.published]
