"""How well the coach reads replies: macro-F1 over the acts, per-act precision/recall, per-context accuracy,
the confusions and the worst misreadings, on a labelled set of replies in context."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel
from sklearn.metrics import f1_score, precision_recall_fscore_support

from coach.conversation.acts import ACTS, ActRecognizer, ReplyExample


class ActScore(BaseModel):
    n: int
    precision: float
    recall: float
    f1: float


class Misreading(BaseModel):
    context: str
    text: str
    expected: str
    read_as: str


class ReplyEvalReport(BaseModel):
    n: int
    macro_f1: float
    accuracy: float
    per_act: dict[str, ActScore]
    per_context: dict[str, dict[str, float]]  # context → {n, accuracy}
    confusions: list[tuple[str, str, int]]  # (expected, read as, count), most frequent first
    worst: list[Misreading]


def evaluate_replies(recognizer: ActRecognizer, examples: Sequence[ReplyExample], worst: int = 15) -> ReplyEvalReport:
    gold = [e.act for e in examples]
    read = recognizer.read_many([e.text for e in examples], [e.context for e in examples])
    labels = [a for a in ACTS if a in gold or a in read]
    p, r, f, n = precision_recall_fscore_support(gold, read, labels=labels, zero_division=0)
    per_act: dict[str, ActScore] = {
        a: ActScore(
            n=int(n[i]), precision=round(float(p[i]), 4), recall=round(float(r[i]), 4), f1=round(float(f[i]), 4)
        )
        for i, a in enumerate(labels)
        if n[i]
    }
    contexts: dict[str, list[bool]] = {}
    for e, got in zip(examples, read, strict=True):
        contexts.setdefault(e.context, []).append(got == e.act)
    wrong = [(e, got) for e, got in zip(examples, read, strict=True) if got != e.act]
    pairs = Counter((e.act, got) for e, got in wrong)
    return ReplyEvalReport(
        n=len(examples),
        macro_f1=round(float(f1_score(gold, read, labels=sorted(set(gold)), average="macro", zero_division=0)), 4),
        accuracy=round(sum(g == x for g, x in zip(gold, read, strict=True)) / max(len(gold), 1), 4),
        per_act=per_act,
        per_context={c: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)} for c, v in sorted(contexts.items())},
        confusions=[(a, b, c) for (a, b), c in pairs.most_common(12)],
        worst=[Misreading(context=e.context, text=e.text, expected=e.act, read_as=got) for e, got in wrong[:worst]],
    )
