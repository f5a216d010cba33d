"""Accuracy report for any labelled set: accuracy, macro-F1, confusion matrix, per-domain, worst mistakes."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from coach.domain import Classification
from coach.knowledge import Example


class Mistake(BaseModel):
    text: str
    expected: str
    predicted: str
    confidence: float
    domain: str


class EvalReport(BaseModel):
    n: int
    accuracy: float
    macro_f1: float
    confusion: dict[str, dict[str, int]]  # expected → predicted → count
    per_domain: dict[str, dict[str, float]]  # domain → {n, accuracy}
    mean_confidence_right: float
    mean_confidence_wrong: float
    clarify_rate: float
    worst: list[Mistake]


def evaluate(examples: list[Example], predictions: list[Classification], worst: int = 10) -> EvalReport:
    y = [e.label for e in examples]
    p = [c.label for c in predictions]
    labels = ["output", "outcome"]
    cm = confusion_matrix(y, p, labels=labels)
    by_domain: dict[str, list[bool]] = defaultdict(list)
    for e, c in zip(examples, predictions, strict=True):
        by_domain[e.domain].append(e.label == c.label)
    right = [c.confidence for e, c in zip(examples, predictions, strict=True) if e.label == c.label]
    wrong = [c.confidence for e, c in zip(examples, predictions, strict=True) if e.label != c.label]
    mistakes = sorted(
        (
            Mistake(text=e.text, expected=e.label, predicted=c.label, confidence=c.confidence, domain=e.domain)
            for e, c in zip(examples, predictions, strict=True)
            if e.label != c.label
        ),
        key=lambda m: -m.confidence,
    )
    return EvalReport(
        n=len(y),
        accuracy=round(float(accuracy_score(y, p)), 4) if y else 0.0,
        macro_f1=round(float(f1_score(y, p, labels=labels, average="macro", zero_division=0)), 4) if y else 0.0,
        confusion={a: {b: int(cm[i][j]) for j, b in enumerate(labels)} for i, a in enumerate(labels)},
        per_domain={d: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)} for d, v in sorted(by_domain.items())},
        mean_confidence_right=round(sum(right) / len(right), 4) if right else 0.0,
        mean_confidence_wrong=round(sum(wrong) / len(wrong), 4) if wrong else 0.0,
        clarify_rate=round(sum(c.needs_clarification for c in predictions) / len(predictions), 4)
        if predictions
        else 0.0,
        worst=mistakes[:worst],
    )
