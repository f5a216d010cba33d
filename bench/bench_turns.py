"""Conversation benchmark: turn latency through CoachService with the real model and SQLite.

python -m bench.bench_turns          # writes bench/results/turns.json

Three kinds of turn, each on fresh text so the embedding cache never hits, interleaved with embedding one
fresh sentence so both are measured under the same load, and with reading a reply act given its embedding
(what the act model adds to a turn; target ≤ 2 ms p50):
  - first statement (classify + ladder question + directions retrieval + commit),
  - an outcome answer (classify + confirm + three measures proposed + commit),
  - a baseline answer (no classification; parse + outcome statement + commit).
Target (issue 4): a one-statement turn takes at most 3 × the time of one embedding (p50).
"""

from __future__ import annotations

import time

from bench.common import (
    Figure,
    build_service,
    distinct_statements,
    latency_ms,
    log,
    peak_rss_mb,
    print_table,
    temp_dir,
    write_results,
)

NAME = "turns"
ROUNDS = 60
WARMUP = 5
TARGET = 3.0

OUTCOMES = [
    "The people who reported them get back to work the same day",
    "Managers give useful feedback every week",
    "Families keep their tenancy for a year",
    "Customers renew without a sales call",
    "Patients stay well at home after discharge",
    "Pupils read for pleasure at home",
]


def main() -> list[Figure]:
    started = time.perf_counter()
    with temp_dir() as tmp:
        log("building the service and index")
        svc = build_service(tmp)
        svc.ingest()
        svc.warm()
        texts = distinct_statements(3 * (ROUNDS + WARMUP) + 50, seed=11)
        emb, first, answer, baseline, acts = [], [], [], [], []
        reader = svc.conversations.recognizer()
        for i in range(ROUNDS + WARMUP):
            probe = f"{texts[3 * i]} (probe {i})"
            t0 = time.perf_counter()
            svc.embedder.embed([probe])
            t_embed = time.perf_counter() - t0

            view = svc.start_session()
            # make sure the first statement is an output so the next turn is a ladder answer
            stmt = f"We ran {i + 3} workshops for the {texts[3 * i + 1].split()[-1]} team"
            t0 = time.perf_counter()
            r1 = svc.handle_message(view.id, stmt)
            t_first = time.perf_counter() - t0

            t_answer = t_base = None
            if r1.reply.state in ("ask_result", "ask_higher"):
                t0 = time.perf_counter()
                r2 = svc.handle_message(view.id, f"{OUTCOMES[i % len(OUTCOMES)]} (case {i})")
                t_answer = time.perf_counter() - t0
                if r2.reply.state == "ask_baseline":
                    t0 = time.perf_counter()
                    svc.handle_message(view.id, f"baseline {10 + i}%, target {5 + i % 5}% by June")
                    t_base = time.perf_counter() - t0
            vec = svc.embedder.embed([probe])[0]  # the act model's own work, given the embedding every turn makes
            t0 = time.perf_counter()
            reader.read(probe, "ask_result", vector=vec)
            t_act = time.perf_counter() - t0
            if i < WARMUP:
                continue
            acts.append(t_act)
            emb.append(t_embed)
            first.append(t_first)
            if t_answer is not None:
                answer.append(t_answer)
            if t_base is not None:
                baseline.append(t_base)
        e, f, a, b = latency_ms(emb), latency_ms(first), latency_ms(answer), latency_ms(baseline)
        r = latency_ms(acts)
        ratio = f["p50_ms"] / e["p50_ms"] if e["p50_ms"] else float("nan")
        figures = [
            Figure("embed_p50_ms", "Embed one sentence p50 (interleaved)", e["p50_ms"], "ms"),
            Figure(
                "act_read_p50_ms",
                "Reading the reply act (beyond the embedding) p50",
                r["p50_ms"],
                "ms",
                target="≤ 2 ms",
                ok=r["p50_ms"] <= 2.0,
            ),
            Figure("turn_first_p50_ms", "Turn: first statement p50", f["p50_ms"], "ms", note=f"n={len(first)}"),
            Figure("turn_first_p95_ms", "Turn: first statement p95", f["p95_ms"], "ms"),
            Figure(
                "turn_ratio_p50",
                "One-statement turn / one embedding (p50)",
                round(ratio, 2),
                "×",
                target=f"≤ {TARGET:.0f}×",
                ok=ratio <= TARGET,
            ),
            Figure(
                "turn_outcome_p50_ms",
                "Turn: outcome answer + 3 measures p50",
                a["p50_ms"],
                "ms",
                note=f"n={len(answer)}",
            ),
            Figure("turn_outcome_p95_ms", "Turn: outcome answer + 3 measures p95", a["p95_ms"], "ms"),
            Figure("turn_baseline_p50_ms", "Turn: baseline answer p50", b["p50_ms"], "ms", note=f"n={len(baseline)}"),
            Figure("turn_baseline_p95_ms", "Turn: baseline answer p95", b["p95_ms"], "ms"),
            Figure("turns_peak_rss_mb", "Peak RSS", round(peak_rss_mb(), 0), "MiB"),
        ]
        write_results(NAME, figures, {"embed": e, "act": r, "first": f, "answer": a, "baseline": b}, started)
        print_table("Conversation turns (CoachService, real model, SQLite)", figures)
        return figures


if __name__ == "__main__":
    main()
