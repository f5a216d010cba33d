"""Accuracy report for any labelled set: accuracy, macro-F1, calibration (ECE, confidence right and wrong),
confusion matrix, per-domain accuracy and the worst mistakes.

A set labelled by its source may carry `rule_label` where our labelling rule says otherwise: the report then
gives the accuracy against both. Examples labelled `none` (not statements about work) are scored like any label.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field
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
    ece: float = Field(description="Expected calibration error: |confidence − accuracy| over 10 confidence bins.")
    confusion: dict[str, dict[str, int]]  # expected → predicted → count
    per_domain: dict[str, dict[str, float]]  # domain → {n, accuracy}
    mean_confidence_right: float
    mean_confidence_wrong: float
    clarify_rate: float
    predicted_none: int = Field(description="Statements (expected output or outcome) labelled none.")
    accuracy_by_rule: float | None = Field(
        default=None, description="Accuracy against our labelling rule, when the set records where it differs."
    )
    rule_disagreements: int = 0
    worst: list[Mistake]


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Σ over equal-width confidence bins of (share of items in the bin) × |mean confidence − accuracy|."""
    conf = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    if not len(conf):
        return 0.0
    which = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            total += m.sum() * abs(conf[m].mean() - ok[m].mean())
    return float(total / len(conf))


def evaluate(examples: list[Example], predictions: list[Classification], worst: int = 10) -> EvalReport:
    y = [e.label for e in examples]
    p = [c.label for c in predictions]
    labels = ["output", "outcome"] + (["none"] if "none" in y or "none" in p else [])
    cm = confusion_matrix(y, p, labels=labels)
    by_domain: dict[str, list[bool]] = defaultdict(list)
    for e, c in zip(examples, predictions, strict=True):
        by_domain[e.domain].append(e.label == c.label)
    pairs = list(zip(examples, predictions, strict=True))
    right = [c.confidence for e, c in pairs if e.label == c.label]
    wrong = [c.confidence for e, c in pairs if e.label != c.label]
    mistakes = sorted(
        (
            Mistake(text=e.text, expected=e.label, predicted=c.label, confidence=c.confidence, domain=e.domain)
            for e, c in pairs
            if e.label != c.label
        ),
        key=lambda m: -m.confidence,
    )
    f1_labels = [lab for lab in labels if lab in y]
    disagreements = sum(1 for e in examples if e.rule_label and e.rule_label != e.label)
    by_rule = round(sum(e.expected_by_rule == c.label for e, c in pairs) / len(pairs), 4) if disagreements else None
    return EvalReport(
        n=len(y),
        accuracy=round(float(accuracy_score(y, p)), 4) if y else 0.0,
        macro_f1=round(float(f1_score(y, p, labels=f1_labels, average="macro", zero_division=0)), 4) if y else 0.0,
        ece=round(
            expected_calibration_error(
                [c.confidence for c in predictions], [a == b for a, b in zip(y, p, strict=False)]
            ),
            4,
        ),
        confusion={a: {b: int(cm[i][j]) for j, b in enumerate(labels)} for i, a in enumerate(labels)},
        per_domain={d: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)} for d, v in sorted(by_domain.items())},
        mean_confidence_right=round(sum(right) / len(right), 4) if right else 0.0,
        mean_confidence_wrong=round(sum(wrong) / len(wrong), 4) if wrong else 0.0,
        clarify_rate=round(sum(c.needs_clarification for c in predictions) / len(predictions), 4)
        if predictions
        else 0.0,
        predicted_none=sum(1 for e, c in pairs if e.label != "none" and c.label == "none"),
        accuracy_by_rule=by_rule,
        rule_disagreements=disagreements,
        worst=mistakes[:worst],
    )
