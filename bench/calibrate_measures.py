"""Calibrate the measure fit floor and the "close match" threshold on the TUNE half of the relevance set.

    python -m bench.calibrate_measures [FILE]

Ranks every tune-half outcome once, then tries floor × close-match pairs with the proposer's own selection
(`MeasureProposer.select`) and prints, for each, precision@3 on outcomes the library can serve, the share
served, and "no close match" precision/recall. The rule used for coach/measures.py: among pairs reaching
precision ≥ 0.90 (a margin over the 0.85 goal for the unseen half) and saying "no close match" for at least
85 % of the outcomes nothing in the library fits, the one serving most outcomes; ties go to the higher
precision, then to the stricter "close match". The recall condition matters because the library's keywords
and themes are improved by looking at this half's misses: its fits run higher than on unseen outcomes, and
serving most alone would push the floor down until unfitting outcomes get a library measure. The test half
is never looked at here; `coach eval-measures` reports it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from bench.common import KNOWLEDGE, build_service, log, temp_dir
from coach.measure_eval import read_relevance, split_of
from coach.measures import MeasureProposer, Scored

DEFAULT = Path(__file__).resolve().parent / "data" / "measure-relevance.jsonl"
GOAL = 0.90
NM_RECALL = 0.85


def metrics(ranked: list[list[Scored]], ok: list[set[str]], floor: float, close: float) -> tuple[float, ...]:
    tp = shown = served = servable = nm_tp = nm_fp = nm_fn = 0
    for r, good in zip(ranked, ok, strict=True):
        chosen = [s.measure.id for s in MeasureProposer.select(r, 3, floor=floor, close=close)]
        if good:
            servable += 1
            shown += len(chosen)
            hits = sum(c in good for c in chosen)
            tp += hits
            served += hits > 0
        none = not chosen
        nm_tp += none and not good
        nm_fp += none and bool(good)
        nm_fn += (not none) and not good
    return (
        tp / max(shown, 1),
        served / max(servable, 1),
        nm_tp / max(nm_tp + nm_fp, 1),
        nm_tp / max(nm_tp + nm_fn, 1),
    )


def rank_tune(path: Path, data_dir: Path) -> tuple[list[list[Scored]], list[set[str]]]:
    svc = build_service(data_dir, KNOWLEDGE)
    svc.ingest()
    rows = [r for r in read_relevance(path) if split_of(r.outcome) == "tune"]
    log(f"ranking {len(rows)} tune-half outcomes")
    return [svc.proposer.rank(r.outcome) for r in rows], [set(r.acceptable) for r in rows]


Pair = tuple[tuple[float, ...], float, float]  # (metrics, floor, close)


def choose(ranked: list[list[Scored]], ok: list[set[str]], table: bool = False) -> Pair | None:
    """The rule: precision ≥ GOAL and "no close match" recall ≥ NM_RECALL; then most served, higher precision,
    stricter close match."""
    best: Pair | None = None
    for floor in np.arange(0.40, 0.66, 0.01):
        for close in np.arange(floor, 0.76, 0.01):
            m = metrics(ranked, ok, float(floor), float(close))
            key = (m[1], m[0], float(close))
            if m[0] >= GOAL and m[3] >= NM_RECALL and (best is None or key > (best[0][1], best[0][0], best[2])):
                best = (m, float(floor), float(close))
            if table and (abs(close - floor) < 1e-9 or abs(close - floor - 0.08) < 1e-9):
                print(f"{floor:.2f}  {close:.2f}   {m[0]:.3f}       {m[1]:.3f}   {m[2]:.3f}        {m[3]:.3f}")
    return best


def cross_validated(ranked: list[list[Scored]], ok: list[set[str]], rounds: int = 10) -> np.ndarray:
    """How the rule does on outcomes it did not see, inside the tune half: split it in two at random, choose on
    one half, score the other (both ways), `rounds` times; the mean of precision, served, nm-P, nm-R."""
    rng, n, out = np.random.default_rng(0), len(ranked), []
    for _ in range(rounds):
        perm = rng.permutation(n)
        for a, b in ((perm[: n // 2], perm[n // 2 :]), (perm[n // 2 :], perm[: n // 2])):
            pair = choose([ranked[i] for i in a], [ok[i] for i in a])
            if pair is not None:
                out.append(metrics([ranked[i] for i in b], [ok[i] for i in b], pair[1], pair[2]))
    return np.asarray(out).mean(axis=0) if out else np.zeros(4)


def main(path: Path = DEFAULT, data_dir: Path | None = None) -> None:
    if data_dir is not None:  # an existing index (ingest is incremental)
        ranked, ok = rank_tune(path, data_dir)
    else:
        with temp_dir("coach-calibrate-") as tmp:
            ranked, ok = rank_tune(path, tmp)
    print("floor close  precision@3 served  nm-precision nm-recall")
    best = choose(ranked, ok, table=True)
    if best is None:
        print(f"no pair reaches precision {GOAL} and no-close-match recall {NM_RECALL} on the tune half")
        return
    m, floor, close = best
    print(
        f"\nchosen: FIT_FLOOR = {floor:.2f}, CLOSE_MATCH = {close:.2f}  (tune: precision@3 {m[0]:.3f}, "
        f"served {m[1]:.3f}, no-close-match precision {m[2]:.3f} / recall {m[3]:.3f})"
    )
    cv = cross_validated(ranked, ok)
    print(
        f"the rule on unseen tune-half outcomes (chosen on one random half, scored on the other, 20 times): "
        f"precision@3 {cv[0]:.3f}, served {cv[1]:.3f}, no-close-match precision {cv[2]:.3f} / recall {cv[3]:.3f}"
    )


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT,
        Path(sys.argv[2]) if len(sys.argv) > 2 else None,
    )
