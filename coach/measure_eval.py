"""Evaluating proposed measures against a relevance set written independently of the library's wording.

A relevance file has one JSON object per line: `outcome`, `acceptable` (the library ids a practitioner would
accept; empty when none would do) and optionally `domain`. The figures:

- precision@3: of the library measures proposed (at most 3 per outcome) for outcomes the library can serve,
  the share a practitioner accepts. Drafted measures are not counted: they claim no library match.
- precision@3, all outcomes: the same over every outcome, so a library measure proposed where none is
  acceptable counts against it.
- served@3: outcomes with an acceptable measure where at least one proposed measure is acceptable.
- leading and lagging on topic: sets holding a leading and a lagging measure that are each acceptable or
  honestly drafted.
- "no close match": the coach says so (the best measure is drafted) — precision and recall against the
  outcomes where nothing is acceptable.

The split is stable: the first byte of sha1(outcome) even → "tune" (used to calibrate the fit floor and
labels), odd → "test" (reported).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from coach.domain import ProposedMeasure
from coach.errors import KnowledgeError


class RelevanceRow(BaseModel):
    outcome: str = Field(min_length=1, max_length=2000)
    acceptable: list[str]
    domain: str = ""


def split_of(outcome: str) -> str:
    return "tune" if hashlib.sha1(outcome.strip().lower().encode("utf-8")).digest()[0] % 2 == 0 else "test"


def read_relevance(path: Path, known_ids: set[str] | None = None) -> list[RelevanceRow]:
    """Read a relevance file; every error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(f"File not found: {path}.", "Give the path of a measure-relevance JSONL file.") from None
    except UnicodeDecodeError:
        raise KnowledgeError(f"{path} is not UTF-8 text.", "Save it as UTF-8.") from None
    rows: list[RelevanceRow] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = RelevanceRow.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise KnowledgeError(
                f"{path}, line {n}: not valid JSON ({exc.msg}).", "One JSON object per line."
            ) from None
        except ValidationError as exc:
            e = exc.errors()[0]
            where = ".".join(str(p) for p in e["loc"]) or "line"
            raise KnowledgeError(
                f"{path}, line {n}: field '{where}': {e['msg']}.",
                'Each line needs {"outcome": "...", "acceptable": ["measure-id", ...]}.',
            ) from None
        unknown = [i for i in row.acceptable if known_ids is not None and i not in known_ids]
        if unknown:
            raise KnowledgeError(
                f"{path}, line {n}: unknown measure id(s) {', '.join(unknown)}.",
                "Use ids from knowledge/measures/*.yaml (or ingest the library they come from).",
            )
        rows.append(row)
    if not rows:
        raise KnowledgeError(f"{path} has no outcomes.", 'Add lines like {"outcome": "...", "acceptable": [...]}.')
    return rows


@dataclass
class Miss:
    outcome: str
    proposed: list[str]
    acceptable: list[str]


@dataclass
class MeasureEvalReport:
    n: int
    servable: int
    precision_at_3: float
    precision_at_3_all: float
    served_at_3: float
    lead_lag_on_topic: float
    no_match_precision: float
    no_match_recall: float
    proposed_library: int
    drafted_sets: int
    labels: dict[str, tuple[int, int]] = field(default_factory=dict)  # label -> (acceptable, shown)
    misses: list[Miss] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "servable": self.servable,
            "precision_at_3": round(self.precision_at_3, 3),
            "precision_at_3_all_outcomes": round(self.precision_at_3_all, 3),
            "served_at_3": round(self.served_at_3, 3),
            "lead_lag_on_topic": round(self.lead_lag_on_topic, 3),
            "no_match_precision": round(self.no_match_precision, 3),
            "no_match_recall": round(self.no_match_recall, 3),
            "library_measures_proposed": self.proposed_library,
            "outcomes_with_no_close_match_said": self.drafted_sets,
            "labels": {k: {"acceptable": a, "shown": s} for k, (a, s) in self.labels.items()},
        }


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def evaluate_measures(
    rows: Sequence[RelevanceRow], propose: Callable[[str], list[ProposedMeasure]], worst: int = 10
) -> MeasureEvalReport:
    tp = shown = tp_all = shown_all = served = servable = balanced = 0
    nm_tp = nm_fp = nm_fn = said_none = 0
    labels: dict[str, list[int]] = {}
    misses: list[Miss] = []
    for row in rows:
        ok = set(row.acceptable)
        got = propose(row.outcome)[:3]
        library = [m for m in got if not m.drafted]
        good = [m for m in library if m.library_id in ok]
        shown_all += len(library)
        tp_all += len(good)
        if ok:
            servable += 1
            shown += len(library)
            tp += len(good)
            served += bool(good)
        for m in library:
            pair = labels.setdefault(m.fit_label, [0, 0])
            pair[0] += m.library_id in ok
            pair[1] += 1
        fine = {m.kind for m in got if m.drafted or m.library_id in ok}
        balanced += {"leading", "lagging"} <= fine
        none_said = not library
        said_none += none_said
        nm_tp += none_said and not ok
        nm_fp += none_said and bool(ok)
        nm_fn += (not none_said) and not ok
        wrong = [m for m in library if m.library_id not in ok]
        if wrong or (ok and not good):
            misses.append(
                Miss(row.outcome, [f"{m.library_id or 'drafted'} ({m.fit_label} {m.fit:.2f})" for m in got], sorted(ok))
            )
    return MeasureEvalReport(
        n=len(rows),
        servable=servable,
        precision_at_3=_ratio(tp, shown),
        precision_at_3_all=_ratio(tp_all, shown_all),
        served_at_3=_ratio(served, servable),
        lead_lag_on_topic=_ratio(balanced, len(rows)),
        no_match_precision=_ratio(nm_tp, nm_tp + nm_fp),
        no_match_recall=_ratio(nm_tp, nm_tp + nm_fn),
        proposed_library=shown_all,
        drafted_sets=said_none,
        labels={k: (v[0], v[1]) for k, v in labels.items()},
        misses=misses[:worst],
    )
