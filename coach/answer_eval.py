"""Evaluation of knowledge answers on a question set (JSONL).

Each in-scope line: {"question", "doc_id", "section", "must_contain": [...], "type", "group"}; each out-of-scope
line: {"question", "out_of_scope": true, "group"}. An answer is a hit when the expected section is among the
answer's cited passages (at most two) AND every required word is in the passages' own text (the citation marks
do not count). Out-of-scope: recall = share of out-of-scope questions declined; precision = share of declined
questions that were out of scope. Groups (paraphrases of one question) are split in two stable halves by a hash
of the group name: one half may be used to choose thresholds and weights, the other is reported apart as held out.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from coach.answers import Answer
from coach.errors import InvalidInput

Half = Literal["tune", "held-out"]


class QuestionCase(BaseModel):
    question: str = Field(min_length=1)
    doc_id: str | None = None
    section: str | None = None
    must_contain: list[str] = Field(default_factory=list)
    type: str = "other"
    group: str = ""
    out_of_scope: bool = False

    @model_validator(mode="after")
    def _complete(self) -> QuestionCase:
        if not self.out_of_scope and not (self.doc_id and self.section):
            raise ValueError("an in-scope question needs doc_id and section (or set out_of_scope: true)")
        return self

    @property
    def half(self) -> Half:
        digest = hashlib.sha1((self.group or self.question).encode("utf-8")).digest()
        return "tune" if digest[0] % 2 == 0 else "held-out"


def load_questions(path: Path) -> list[QuestionCase]:
    if not path.is_file():
        raise InvalidInput(f"No question file at {path}.", "Pass a JSONL file of questions (see bench/data/).")
    cases: list[QuestionCase] = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            cases.append(QuestionCase.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            what = exc.msg if isinstance(exc, json.JSONDecodeError) else exc.errors()[0]["msg"]
            raise InvalidInput(f"{path}, line {n}: {what}.", "Each line is one JSON question object.") from None
    if not cases:
        raise InvalidInput(f"{path} has no questions.", "Add one JSON object per line.")
    return cases


@dataclass
class Outcome:
    case: QuestionCase
    answer: Answer
    seconds: float

    @property
    def declined(self) -> bool:
        return not self.answer.covered

    @property
    def right_section(self) -> bool:
        return any(c.doc_id == self.case.doc_id and c.section == self.case.section for c in self.answer.citations)

    @property
    def missing(self) -> list[str]:
        body = _norm(self.answer.body)
        return [w for w in self.case.must_contain if _norm(w) not in body]

    @property
    def hit(self) -> bool:
        return not self.case.out_of_scope and not self.declined and self.right_section and not self.missing

    @property
    def content_hit(self) -> bool:
        """The required content is in the answer, from whichever section holds it (an FAQ pair and the longer
        document on the same idea often answer a question alike, while the question set names only one)."""
        return not self.case.out_of_scope and not self.declined and not self.missing


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").split())


@dataclass
class Figures:
    n_in: int = 0
    hits: int = 0
    content_hits: int = 0
    primary_section: int = 0
    any_section: int = 0
    declined_in: int = 0
    n_out: int = 0
    declined_out: int = 0

    @property
    def hit_rate(self) -> float:
        return self.hits / self.n_in if self.n_in else 0.0

    @property
    def oos_recall(self) -> float:
        return self.declined_out / self.n_out if self.n_out else 0.0

    @property
    def oos_precision(self) -> float:
        declined = self.declined_out + self.declined_in
        return self.declined_out / declined if declined else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "in_scope": self.n_in,
            "hit_rate": round(self.hit_rate, 4),
            "content_hit_rate": round(self.content_hits / self.n_in, 4) if self.n_in else 0.0,
            "right_section_first": round(self.primary_section / self.n_in, 4) if self.n_in else 0.0,
            "right_section_cited": round(self.any_section / self.n_in, 4) if self.n_in else 0.0,
            "in_scope_declined": self.declined_in,
            "out_of_scope": self.n_out,
            "oos_recall": round(self.oos_recall, 4),
            "oos_precision": round(self.oos_precision, 4),
        }


def figures(outcomes: Iterable[Outcome]) -> Figures:
    f = Figures()
    for o in outcomes:
        if o.case.out_of_scope:
            f.n_out += 1
            f.declined_out += o.declined
            continue
        f.n_in += 1
        f.hits += o.hit
        f.content_hits += o.content_hit
        f.declined_in += o.declined
        f.any_section += o.right_section
        cites = o.answer.citations
        f.primary_section += bool(cites) and (cites[0].doc_id, cites[0].section) == (o.case.doc_id, o.case.section)
    return f


@dataclass
class AnswerReport:
    outcomes: list[Outcome]
    overall: Figures = field(init=False)
    halves: dict[str, Figures] = field(init=False)
    by_type: dict[str, Figures] = field(init=False)

    def __post_init__(self) -> None:
        self.overall = figures(self.outcomes)
        self.halves = {h: figures(o for o in self.outcomes if o.case.half == h) for h in ("tune", "held-out")}
        types = sorted({o.case.type for o in self.outcomes if not o.case.out_of_scope})
        self.by_type = {
            t: figures(o for o in self.outcomes if o.case.type == t and not o.case.out_of_scope) for t in types
        }

    def misses(self, limit: int = 20) -> list[Outcome]:
        wrong = [
            o
            for o in self.outcomes
            if (o.case.out_of_scope and not o.declined) or (not o.case.out_of_scope and not o.hit)
        ]
        return wrong[:limit]

    def p50_ms(self) -> float:
        times = sorted(o.seconds for o in self.outcomes)
        return 1000 * times[len(times) // 2] if times else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "halves": {h: f.as_dict() for h, f in self.halves.items()},
            "by_type": {t: f.as_dict() for t, f in self.by_type.items()},
            "answer_p50_ms": round(self.p50_ms(), 2),
        }


def evaluate_answers(cases: list[QuestionCase], answer: Callable[[str], Answer]) -> AnswerReport:
    outcomes: list[Outcome] = []
    for case in cases:
        t0 = time.perf_counter()
        got = answer(case.question)
        outcomes.append(Outcome(case, got, time.perf_counter() - t0))
    return AnswerReport(outcomes)
