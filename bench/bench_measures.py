"""Measures benchmark: latency of proposing measures, and their quality on the relevance set.

python -m bench.bench_measures       # writes bench/results/measures.json

- A measures turn's own work: `CoachService.propose_measures` on outcomes never seen before (so the
  embedding cache never hits) — embed the outcome, parse its population, rank all the library measures
  (dense + BM25 + themes + keywords + domain re-rank), select or draft, adapt and write the prompts.
  Target (issue 10): ≤ 100 ms p50.
- The same with a context (the output that led to the outcome): one more embedding.
- Loading the library once (outcome themes embedded, spaCy parser loaded): paid at server start (`warm`).
- Quality: the figures of `coach eval-measures` on the test half of bench/data/measure-relevance.jsonl
  (thresholds were calibrated on the tune half).
"""

from __future__ import annotations

import time

from bench.common import (
    BENCH_DATA,
    Figure,
    build_service,
    latency_ms,
    load_avg,
    load_figure,
    log,
    peak_rss_mb,
    print_table,
    temp_dir,
    write_results,
)
from coach.measure_eval import evaluate_measures, read_relevance, split_of
from coach.measures import Context

NAME = "measures"
WARMUP = 10
TARGET_MS = 100.0


def main() -> list[Figure]:
    started = time.perf_counter()
    loads = [load_avg()]
    with temp_dir() as tmp:
        log("building the service and index")
        svc = build_service(tmp)
        svc.ingest()
        svc.classifier()
        t0 = time.perf_counter()
        svc.proposer.warm()
        t_warm = time.perf_counter() - t0
        rows = read_relevance(BENCH_DATA / "measure-relevance.jsonl")
        outcomes = [r.outcome for r in rows]
        plain, with_ctx, embeds = [], [], []
        for i, outcome in enumerate(outcomes):
            text = f"{outcome} (case {i})"  # fresh text: no cache hit
            t0 = time.perf_counter()
            svc.embedder.embed([f"{outcome} (probe {i})"])
            if i >= WARMUP:
                embeds.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            svc.propose_measures(text, k=3)
            t = time.perf_counter() - t0
            if i >= WARMUP:
                plain.append(t)
            if i % 3 == 0:
                ctx = Context([f"We ran {i + 2} workshops for the team (case {i})"])
                t0 = time.perf_counter()
                svc.proposer.propose(f"{outcome} (context case {i})", k=3, context=ctx)
                if i >= WARMUP:
                    with_ctx.append(time.perf_counter() - t0)
            if i % 50 == 0:
                loads.append(load_avg())
        log("evaluating on the relevance set")
        test = [r for r in rows if split_of(r.outcome) == "test"]
        report = evaluate_measures(test, lambda o: svc.propose_measures(o, k=3))
        loads.append(load_avg())
    p, c, e = latency_ms(plain), latency_ms(with_ctx), latency_ms(embeds)
    ratio = p["p50_ms"] / e["p50_ms"] if e["p50_ms"] else float("nan")
    figures = [
        Figure(
            "measures_p50_ms",
            "Propose 3 measures, p50",
            p["p50_ms"],
            "ms",
            target=f"≤ {TARGET_MS:.0f} ms",
            ok=p["p50_ms"] <= TARGET_MS,
            note=f"n={len(plain)}",
        ),
        Figure("measures_p95_ms", "Propose 3 measures, p95", p["p95_ms"], "ms"),
        Figure("measures_embed_p50_ms", "Embed one sentence p50 (interleaved)", e["p50_ms"], "ms"),
        Figure("measures_ratio_p50", "Propose 3 measures ÷ one embedding (p50)", round(ratio, 2), "×"),
        Figure(
            "measures_ctx_p50_ms", "Propose 3 measures with context, p50", c["p50_ms"], "ms", note=f"n={len(with_ctx)}"
        ),
        Figure("measures_warm_s", "Load the library once (themes embedded, parser loaded)", round(t_warm, 2), "s"),
        Figure(
            "eval_precision_at_3",
            "precision@3, test half (outcomes the library can serve)",
            round(report.precision_at_3, 3),
        ),
        Figure("eval_precision_at_3_all", "precision@3, test half (all outcomes)", round(report.precision_at_3_all, 3)),
        Figure("eval_served_at_3", "served@3, test half", round(report.served_at_3, 3)),
        Figure(
            "eval_lead_lag", "a leading and a lagging measure on topic, test half", round(report.lead_lag_on_topic, 3)
        ),
        Figure("eval_no_match_p", '"no close match" precision, test half', round(report.no_match_precision, 3)),
        Figure("eval_no_match_r", '"no close match" recall, test half', round(report.no_match_recall, 3)),
        Figure("measures_peak_rss_mb", "Peak RSS", round(peak_rss_mb(), 0), "MiB"),
        load_figure(loads),
    ]
    write_results(NAME, figures, {"plain": p, "context": c, "embed": e, "eval_test": report.as_dict()}, started)
    print_table("Measures (CoachService, real model)", figures)
    return figures


if __name__ == "__main__":
    main()
