"""Embedding under concurrency: N threads each embedding one fresh sentence at a time, with and without
dynamic micro-batching (`COACH_EMBEDDING__BATCH_WINDOW_MS`).

python -m bench.bench_batching [--threads 1,8,32,64] [--seconds 10] [--window-ms 3]

Prints sentences/s and the per-call p50/p95 for each thread count, batching off (window 0) and on.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time

from bench.common import load_avg, percentile


def run(window_ms: float, threads: int, seconds: float, offset: int) -> dict[str, float]:
    from coach.adapters.embeddings import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder(cache_size=1, batch_window_ms=window_ms)
    emb.warm()
    emb.embed(["warm up the model once"])
    lat: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(k: int) -> None:
        i = 0
        while time.perf_counter() < stop:
            text = f"Team {k} ran {offset + i} workshops for new starters in region {k * 7 + i}"
            t0 = time.perf_counter()
            emb.embed([text])
            with lock:
                lat.append(time.perf_counter() - t0)
            i += 1

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    ms = [x * 1000 for x in lat]
    return {
        "window_ms": window_ms,
        "threads": threads,
        "per_s": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "mean_batch": emb.batcher.stats()["mean_batch"],
        "load_1m": load_avg(),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,8,32,64")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--window-ms", type=float, default=3.0)
    args = ap.parse_args()
    rows = []
    for n in (int(x) for x in args.threads.split(",")):
        for w in (0.0, args.window_ms):
            r = run(w, n, args.seconds, offset=len(rows) * 100_000)
            rows.append(r)
            print(json.dumps(r), flush=True)
    print(f"torch threads: {os.environ.get('OMP_NUM_THREADS', 'default')}")


if __name__ == "__main__":
    main()
