"""MicroBatcher: concurrent callers share embedding calls, each gets its own rows, a lone caller waits at most
the window, and a failure reaches every caller of its batch."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from coach.adapters.batching import MicroBatcher


class Recorder:
    def __init__(self, delay: float = 0.02) -> None:
        self.calls: list[list[str]] = []
        self.delay = delay
        self.lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        with self.lock:
            self.calls.append(list(texts))
        time.sleep(self.delay)  # like a model: one call costs about the same for 1 or 20 texts
        return np.array([[float(len(t)), float(sum(map(ord, t)))] for t in texts], dtype=np.float32)


def expected(texts: list[str]) -> np.ndarray:
    return np.array([[float(len(t)), float(sum(map(ord, t)))] for t in texts], dtype=np.float32)


def test_concurrent_callers_share_calls_and_get_their_own_rows() -> None:
    enc = Recorder()
    batcher = MicroBatcher(enc, window=0.01, max_batch=64)
    results: dict[int, np.ndarray] = {}
    barrier = threading.Barrier(24)

    def call(i: int) -> None:
        texts = [f"turn {i}", "shared sentence", f"turn {i} second"]
        barrier.wait()
        results[i] = batcher(texts)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(results) == 24
    for i, got in results.items():
        np.testing.assert_array_equal(got, expected([f"turn {i}", "shared sentence", f"turn {i} second"]))
    assert len(enc.calls) <= 6, [len(c) for c in enc.calls]  # 24 callers, a handful of calls
    assert all(len(c) <= 64 for c in enc.calls)
    flat = [t for c in enc.calls for t in c]
    assert flat.count("shared sentence") == len(enc.calls)  # each text once per call
    assert batcher.requests == 24 and batcher.batches == len(enc.calls)


def test_a_lone_call_waits_at_most_the_window() -> None:
    enc = Recorder(delay=0.0)
    batcher = MicroBatcher(enc, window=0.05)
    batcher(["warm the thread"])
    t0 = time.perf_counter()
    batcher(["alone"])
    assert time.perf_counter() - t0 < 0.05 + 0.04
    assert enc.calls[-1] == ["alone"]


def test_window_zero_and_large_requests_go_straight_through() -> None:
    enc = Recorder(delay=0.0)
    off = MicroBatcher(enc, window=0.0)
    off(["a", "b"])
    assert off.batches == 0 and enc.calls == [["a", "b"]]
    on = MicroBatcher(enc, window=0.01, max_batch=4)
    on(["1", "2", "3", "4", "5"])  # already a batch (ingest, training): no queue
    assert on.batches == 0 and enc.calls[-1] == ["1", "2", "3", "4", "5"]


def test_a_failure_reaches_every_caller_and_the_batcher_survives() -> None:
    fail = threading.Event()
    fail.set()

    def encode(texts: list[str]) -> np.ndarray:
        if fail.is_set():
            raise RuntimeError("model exploded")
        return np.zeros((len(texts), 2), dtype=np.float32)

    batcher = MicroBatcher(encode, window=0.001)
    with pytest.raises(RuntimeError, match="model exploded"):
        batcher(["x"])
    fail.clear()
    assert batcher(["y"]).shape == (1, 2)
