"""One lock per key (a session id), shared by everything in this process that handles turns.

Turns hold no database lock while they work (see `Conversations.handle`): two workers may work out a turn for
one session at the same time, and the later one re-runs against the new state. Within one process that
re-run is avoidable waste, so turns on one session queue here instead. Locks are dropped once nobody holds or
waits for them, so the registry stays as small as the number of sessions being answered right now.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class KeyedLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}  # key → (lock, holders + waiters)

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users <= 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        with self._guard:
            return len(self._locks)


#: The process's registry: every `Conversations` in this process shares it unless given its own.
PROCESS_TURN_LOCKS = KeyedLocks()
