"""Knowledge benchmark: model load, embedding speed, ingest (full, no-op, one file changed), search latency, RSS.

python -m bench.bench_knowledge        # writes bench/results/knowledge.json
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from bench.common import (
    REPO,
    Figure,
    build_service,
    clear_embedding_cache,
    copy_knowledge,
    distinct_queries,
    distinct_statements,
    knowledge_texts,
    latency_ms,
    load_avg,
    load_figure,
    log,
    median,
    peak_rss_mb,
    print_table,
    temp_dir,
    time_call,
    write_results,
)

NAME = "knowledge"
LOAD_RUNS = 3
SINGLE_N = 200
BATCH_N = 1000
QUERY_N = 200  # half guidance, half measures
NOOP_RUNS = 3

# Runs in a fresh interpreter: what a `coach` process pays before its first embedding.
_LOAD_SCRIPT = r"""
import json, os, resource, sys, time
os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1"); os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
t0 = time.perf_counter()
import sentence_transformers  # torch, transformers
from coach.adapters.embeddings import SentenceTransformerEmbedder
t1 = time.perf_counter()
emb = SentenceTransformerEmbedder()
emb.warm()
t2 = time.perf_counter()
emb.embed(["We ran 14 workshops and trained 200 managers"])
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_embed_s": t3 - t2,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def model_load() -> dict[str, Any]:
    runs: list[dict[str, float]] = []
    for i in range(LOAD_RUNS):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _LOAD_SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=600
        )
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"model load subprocess failed:\n{proc.stderr[-2000:]}")
        run = json.loads(proc.stdout.strip().splitlines()[-1])
        run["process_wall_s"] = wall
        runs.append(run)
        log(f"model load run {i + 1}: import {run['import_s']:.2f}s, load {run['load_s']:.2f}s")
    return {
        "runs": runs,
        "import_s": median([r["import_s"] for r in runs]),
        "load_s": median([r["load_s"] for r in runs]),
        "first_embed_s": median([r["first_embed_s"] for r in runs]),
        "process_wall_s": median([r["process_wall_s"] for r in runs]),
        "peak_rss_mb": median([r["peak_rss_mb"] for r in runs]),
    }


def main() -> int:
    started = time.perf_counter()
    details: dict[str, Any] = {}
    loads = [load_avg()]
    details["load_avg_1m"] = loads
    log("model load (fresh subprocesses)")
    load = model_load()
    details["model_load"] = load

    with temp_dir() as tmp:
        kdir = copy_knowledge(tmp / "knowledge")
        used = knowledge_texts(kdir)
        service = build_service(tmp / "data", kdir)
        emb = service.embedder
        in_proc_load, _ = time_call(getattr(emb, "warm", lambda: None))
        details["in_process_load_s"] = in_proc_load

        # -- embedding: warm-up (not measured), then single-sentence latency and batch throughput
        warm = distinct_statements(20, seed=100, exclude=used)
        for t in warm:
            emb.embed([t])
        singles = distinct_statements(SINGLE_N, seed=101, exclude=used)
        log(f"embedding: {SINGLE_N} single sentences")
        loads.append(load_avg())
        single_times = [time_call(emb.embed, [t])[0] for t in singles]
        details["embed_single"] = latency_ms(single_times)
        batch = distinct_statements(BATCH_N, seed=102, exclude=used)
        log(f"embedding: one batch of {BATCH_N} sentences")
        batch_s, vecs = time_call(emb.embed, batch)
        assert vecs.shape[0] == BATCH_N
        details["embed_batch"] = {
            "n": BATCH_N,
            "seconds": batch_s,
            "per_second": BATCH_N / batch_s,
            "mean_words": sum(len(t.split()) for t in batch) / BATCH_N,
        }

        # -- ingest: full (empty data dir, model already loaded, empty embedding cache), no-op, one file changed
        clear_embedding_cache(service)
        log("ingest: full")
        loads.append(load_avg())
        embed_time = [0.0]
        real_embed = emb.embed

        def counting_embed(texts: Any) -> Any:
            t, out = time_call(real_embed, texts)
            embed_time[0] += t
            return out

        emb.embed = counting_embed  # type: ignore[method-assign]
        try:
            full_s, full = time_call(service.ingest)
        finally:
            del emb.embed  # back to the class's method
        chunks = sum(full.counts.values())
        details["ingest_full"] = {
            "seconds": full_s,
            "files": full.files,
            "counts": full.counts,
            "chunks_added": full.chunks_added,
            "embedding_s": embed_time[0],
        }
        noop_times: list[float] = []
        for _ in range(NOOP_RUNS):
            clear_embedding_cache(service)
            secs, rep = time_call(service.ingest)
            assert rep.noop, f"re-ingest of an unchanged knowledge base was not a no-op: {rep.changed}"
            noop_times.append(secs)
        details["ingest_noop"] = {"runs_s": noop_times, "median_s": median(noop_times)}
        log("ingest: one guidance file changed")
        target = sorted((kdir / "guidance").glob("*.md"))[0]
        with target.open("a", encoding="utf-8") as fh:
            fh.write(f"\n\nBenchmark edit at {time.time():.0f}: one more paragraph about outcomes.\n")
        clear_embedding_cache(service)
        touched_s, touched = time_call(service.ingest)
        assert touched.changed == [f"knowledge/guidance/{target.name}"], touched.changed
        details["ingest_one_file"] = {
            "seconds": touched_s,
            "file": target.name,
            "chunks_added": touched.chunks_added,
            "counts": touched.counts,
        }

        # -- search latency (Chroma HNSW query + query embedding), distinct queries alternating kinds
        qseen: set[str] = set()
        warm_q = distinct_queries("guidance", 5, seed=200, exclude=qseen) + distinct_queries(
            "measures", 5, seed=201, exclude=qseen
        )
        for i, q in enumerate(warm_q):
            service.search(q, kind="guidance" if i < 5 else "measures")
        gq = distinct_queries("guidance", QUERY_N // 2, seed=202, exclude=qseen)
        mq = distinct_queries("measures", QUERY_N // 2, seed=203, exclude=qseen)
        log(f"search: {QUERY_N} queries")
        loads.append(load_avg())
        times: dict[str, list[float]] = {"guidance": [], "measures": []}
        for g, m in zip(gq, mq, strict=True):
            for kind, q in (("guidance", g), ("measures", m)):
                secs, hits = time_call(service.search, q, k=5, kind=kind)
                assert hits, f"no {kind} hits for {q!r}"
                times[kind].append(secs)
        details["search"] = {
            "all": latency_ms(times["guidance"] + times["measures"]),
            "guidance": latency_ms(times["guidance"]),
            "measures": latency_ms(times["measures"]),
            "k": 5,
        }
        details["peak_rss_mb"] = peak_rss_mb()
        loads.append(load_avg())

    es, eb, s = details["embed_single"], details["embed_batch"], details["search"]["all"]
    figures = [
        Figure(
            "model_import_s",
            "Model: import torch + sentence-transformers (fresh process)",
            load["import_s"],
            "s",
            note=f"median of {LOAD_RUNS} fresh subprocesses",
        ),
        Figure(
            "model_load_s",
            "Model: load all-MiniLM-L6-v2 (fresh process)",
            load["load_s"],
            "s",
            note=f"median of {LOAD_RUNS}",
        ),
        Figure("model_first_embed_s", "Model: first embedding after load", load["first_embed_s"], "s"),
        Figure("model_process_rss_mb", "Model: peak RSS of a process that only loads it", load["peak_rss_mb"], "MiB"),
        Figure("embed_single_p50_ms", "Embed one sentence p50", es["p50_ms"], "ms", note=f"{SINGLE_N} distinct"),
        Figure("embed_single_p95_ms", "Embed one sentence p95", es["p95_ms"], "ms"),
        Figure(
            "embed_batch_per_s",
            "Embed batch throughput",
            round(eb["per_second"], 1),
            "sentences/s",
            note=f"{BATCH_N} distinct short sentences, batch_size 64",
        ),
        Figure(
            "ingest_full_s",
            "Ingest: full, into an empty data dir",
            round(full_s, 2),
            "s",
            note=f"{details['ingest_full']['files']} files → {chunks} chunks; model already loaded",
        ),
        Figure("ingest_full_chunks_per_s", "Ingest: full, chunks per second", round(chunks / full_s, 1), "chunks/s"),
        Figure(
            "ingest_full_embed_share",
            "Ingest: full, share of time spent embedding",
            round(100 * embed_time[0] / full_s, 1),
            "%",
            note="the rest: scan, chunking, Chroma writes",
        ),
        Figure(
            "ingest_noop_s",
            "Ingest: no-op re-ingest (unchanged)",
            round(median(noop_times), 2),
            "s",
            target="< 5 s",
            ok=median(noop_times) < 5,
            note=f"median of {NOOP_RUNS}",
        ),
        Figure(
            "ingest_one_file_s",
            "Ingest: one guidance file changed",
            round(touched_s, 2),
            "s",
            note=f"{touched.chunks_added} chunks re-embedded",
        ),
        Figure(
            "search_p50_ms",
            "Search p50 (service.search, k=5)",
            s["p50_ms"],
            "ms",
            note=f"{QUERY_N} distinct queries, guidance + measures",
        ),
        Figure("search_p95_ms", "Search p95", s["p95_ms"], "ms"),
        Figure("search_guidance_p50_ms", "Search p50, guidance only", details["search"]["guidance"]["p50_ms"], "ms"),
        Figure("search_measures_p50_ms", "Search p50, measures only", details["search"]["measures"]["p50_ms"], "ms"),
        Figure(
            "peak_rss_mb",
            "Peak RSS of the benchmark process",
            details["peak_rss_mb"],
            "MiB",
            note="model + Chroma + 1,000-sentence batch",
        ),
        load_figure(loads),
    ]
    path = write_results(NAME, figures, details, started)
    print_table("Knowledge: model, embedding, ingest, search", figures)
    print(f"\nresults: {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
