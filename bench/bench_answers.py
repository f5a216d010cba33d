"""Knowledge-answer benchmark: quality on the independent question set, and time per answer.

python -m bench.bench_answers        # writes bench/results/answers.json

Quality: `bench/data/questions.jsonl` (553 in-scope questions in 230 paraphrase groups, 38 out of scope),
written independently of the engine. Groups are split in two stable halves by a hash of the group name; the
"tune" half was used to choose the weights and the relevance floor, the "held-out" half never was, and is
reported apart. Time: one answer (embedding the question, ranking every section, selection) interleaved with
embedding one fresh sentence, and a question asked inside a session (a full turn, commit included).
Target: an answer takes at most 3 × one embedding (p50), the conversation's turn budget.
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
    print_table,
    temp_dir,
    write_results,
)
from coach.answer_eval import load_questions

NAME = "answers"
TARGET = 3.0
ROUNDS = 80


def main() -> list[Figure]:
    started = time.perf_counter()
    loads = [load_avg()]
    cases = load_questions(BENCH_DATA / "questions.jsonl")
    with temp_dir() as tmp:
        log("building the service and index")
        svc = build_service(tmp)
        svc.ingest()
        svc.warm()
        loads.append(load_avg())
        log(f"answering {len(cases)} questions")
        report = svc.evaluate_answers(cases)
        loads.append(load_avg())

        log("timing answers against one embedding")
        asked = [c.question for c in cases if not c.out_of_scope][: ROUNDS + 5]
        emb, ans, turn = [], [], []
        view = svc.start_session()
        for i, q in enumerate(asked):
            t0 = time.perf_counter()
            svc.embedder.embed([f"{q} (probe {i})"])
            t_embed = time.perf_counter() - t0
            t0 = time.perf_counter()
            svc.answers.answer(f"{q} ({i})")
            t_answer = time.perf_counter() - t0
            t0 = time.perf_counter()
            svc.handle_message(view.id, f"{q.rstrip('?')} — question {i}?")
            t_turn = time.perf_counter() - t0
            if i >= 5:
                emb.append(t_embed)
                ans.append(t_answer)
                turn.append(t_turn)
        loads.append(load_avg())

    e, a, t = latency_ms(emb), latency_ms(ans), latency_ms(turn)
    ratio = a["p50_ms"] / e["p50_ms"] if e["p50_ms"] else float("nan")
    o, tune, held = report.overall, report.halves["tune"], report.halves["held-out"]
    figures = [
        Figure(
            "hit_rate",
            "Answer hit rate, all (right section cited + required words)",
            round(100 * o.hit_rate, 1),
            "%",
            target="≥ 90 %",
            ok=o.hit_rate >= 0.9,
            note=f"n={o.n_in}",
        ),
        Figure(
            "hit_rate_tune", "Answer hit rate, tune half", round(100 * tune.hit_rate, 1), "%", note=f"n={tune.n_in}"
        ),
        Figure(
            "hit_rate_held_out",
            "Answer hit rate, held-out half",
            round(100 * held.hit_rate, 1),
            "%",
            note=f"n={held.n_in}",
        ),
        Figure("right_section_cited", "Right section cited, all", round(100 * o.any_section / o.n_in, 1), "%"),
        Figure(
            "oos_recall",
            "Out of scope declined (recall), all",
            round(100 * o.oos_recall, 1),
            "%",
            target="≥ 95 %",
            ok=o.oos_recall >= 0.95,
            note=f"n={o.n_out}",
        ),
        Figure(
            "oos_recall_held_out",
            "Out of scope declined, held-out half",
            round(100 * held.oos_recall, 1),
            "%",
            note=f"n={held.n_out}",
        ),
        Figure(
            "oos_precision", "Declined that were out of scope (precision), all", round(100 * o.oos_precision, 1), "%"
        ),
        Figure("embed_p50_ms", "Embed one sentence p50 (interleaved)", e["p50_ms"], "ms"),
        Figure("answer_p50_ms", "Answer p50", a["p50_ms"], "ms", note=f"n={len(ans)}"),
        Figure("answer_p95_ms", "Answer p95", a["p95_ms"], "ms"),
        Figure(
            "answer_ratio_p50",
            "Answer / one embedding (p50)",
            round(ratio, 2),
            "×",
            target=f"≤ {TARGET:.0f}×",
            ok=ratio <= TARGET,
        ),
        Figure("question_turn_p50_ms", "Turn: a question in a session p50 (commit included)", t["p50_ms"], "ms"),
        Figure("question_turn_p95_ms", "Turn: a question in a session p95", t["p95_ms"], "ms"),
        load_figure(loads),
    ]
    write_results(NAME, figures, {"report": report.as_dict(), "embed": e, "answer": a, "turn": t}, started)
    print_table("Knowledge answers (real model, the question set)", figures)
    return figures


if __name__ == "__main__":
    main()
