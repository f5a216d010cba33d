"""Dynamic micro-batching of embeddings across concurrent turns, the way model servers batch requests.

One sentence takes ~10 ms to embed alone, but a batch runs at ~400 sentences/s: turns that each embed their own
sentence, at the same moment, in their own threads, waste most of the machine (and contend for the same CPU
threads inside torch). `MicroBatcher` hands every request to one thread that collects whatever arrives within
`window` seconds of the first (or until `max_batch` texts), embeds them in one call, and gives each caller its
own rows. A lone request waits at most the window; under load the batches grow by themselves.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

log = logging.getLogger(__name__)

Encode = Callable[[list[str]], np.ndarray]


@dataclass
class _Request:
    texts: list[str]
    done: threading.Event = field(default_factory=threading.Event)
    result: np.ndarray | None = None
    error: BaseException | None = None


class MicroBatcher:
    def __init__(self, encode: Encode, window: float = 0.003, max_batch: int = 64) -> None:
        self.encode = encode
        self.window = window
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self.batches = 0  # embedding calls made
        self.requests = 0  # requests served through them
        self.texts = 0  # texts embedded through them

    def __call__(self, texts: list[str]) -> np.ndarray:
        if self.window <= 0 or len(texts) >= self.max_batch:
            return self.encode(texts)  # off, or already a batch of its own (ingest, training)
        req = _Request(list(texts))
        self._ensure_thread()
        self._queue.put(req)
        req.done.wait()
        if req.error is not None:
            raise req.error
        assert req.result is not None
        return req.result

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._start:  # started lazily: in the worker process, never before a fork
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="embed-batcher", daemon=True)
                    self._thread.start()

    def _collect(self) -> list[_Request]:
        first = self._queue.get()
        batch, n = [first], len(first.texts)
        deadline = time.perf_counter() + self.window
        while n < self.max_batch:
            left = deadline - time.perf_counter()
            try:
                nxt = self._queue.get(timeout=left) if left > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            batch.append(nxt)
            n += len(nxt.texts)
        return batch

    def _run(self) -> None:
        while True:
            batch = self._collect()
            unique = list(dict.fromkeys(t for r in batch for t in r.texts))
            try:
                vectors = self.encode(unique)
                row = {t: i for i, t in enumerate(unique)}
                for r in batch:
                    r.result = vectors[[row[t] for t in r.texts]]
            except BaseException as exc:  # every caller of this batch gets the error, the thread lives on
                log.warning("batched embedding of %d texts failed: %s", len(unique), exc)
                for r in batch:
                    r.error = exc
            finally:
                self.batches += 1
                self.requests += len(batch)
                self.texts += len(unique)
                for r in batch:
                    r.done.set()

    def stats(self) -> dict[str, float]:
        return {
            "batches": self.batches,
            "requests": self.requests,
            "texts": self.texts,
            "mean_batch": round(self.texts / self.batches, 2) if self.batches else 0.0,
        }
