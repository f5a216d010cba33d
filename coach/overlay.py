"""A team's overlay on the shared classifier: what the team taught the coach, for that team only.

The shared model (`ClassifierProvider.get()`) is trained on the organisation's knowledge and the corrections an
administrator promoted. On top of it, each team that taught the coach something has a `TeamMemory`:

1. **exact** — the team's corrections by normalised text: identical text takes the team's label at once;
2. **near** — the team's corrected statements and its private labelled examples (`coach ingest --team`),
   consulted by nearest neighbour: a statement within `NEAR` cosine similarity of one takes its label;
3. **model** — when the team has taught enough (`classifier.team_model_min`), a model of its own, trained
   with the shared data plus the team's at its next training (start-up, `retrain`), never per request.

A team without corrections or examples of its own gets the shared classifier itself: another team's teaching
costs it nothing. The memory is reloaded when the store's stamp for the team moves (an add, a revert, a deleted
session), so a reverted correction stops applying at once, in every worker; a model that learned a correction
that no longer holds is dropped at that moment (the team falls back to the shared model and its memory).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coach.classifier import Classifier
from coach.cues import commitment_kind
from coach.domain import Classification, Evidence, Label, Statement
from coach.text import normalise

NEAR = 0.92  # cosine similarity from which a team's labelled statement decides for a new one


@dataclass
class TeamMemory:
    team: str
    stamp: tuple[int, int, str]
    exact: dict[str, Label] = field(default_factory=dict)  # normalised text → the team's label
    texts: list[str] = field(default_factory=list)  # corrected statements, then the team's own examples
    labels: list[Label] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # "correction" | "example"
    embeddings: np.ndarray | None = None
    model: Classifier | None = None  # the team's own model, from its last training
    model_learned: frozenset[tuple[str, str]] = frozenset()  # the (normalised text, label) pairs it learned

    @property
    def empty(self) -> bool:
        return not self.exact and not self.texts and self.model is None

    def still_valid(self, promoted: dict[str, Label]) -> bool:
        """A team model holds only while every correction it learned (the team's, the promoted) still holds."""
        return all(self.exact.get(k) == lab or promoted.get(k) == lab for k, lab in self.model_learned)


class TeamClassifier:
    """The shared classifier (or the team's own model) with the team's memory applied on top."""

    def __init__(self, base: Classifier, memory: TeamMemory) -> None:
        self.base = base
        self.memory = memory
        self.embedder = base.embedder
        self.clarify_below = base.clarify_below

    @property
    def team(self) -> str:
        return self.memory.team

    def classify(
        self, statements: Sequence[Statement], embeddings: np.ndarray | None = None, allow_none: bool = True
    ) -> list[Classification]:
        if not statements:
            return []
        emb = embeddings if embeddings is not None else self.embedder.embed([s.text for s in statements])
        found = (self.memory.model or self.base).classify(statements, emb, allow_none)
        mem = self.memory
        sims = emb @ mem.embeddings.T if mem.embeddings is not None and len(mem.texts) else None
        out: list[Classification] = []
        for i, c in enumerate(found):
            label = mem.exact.get(normalise(c.text))
            if label is not None:
                out.append(self._corrected(c, label))
                continue
            if sims is not None and c.label != "none":
                j = int(np.argmax(sims[i]))
                if float(sims[i][j]) >= NEAR:
                    out.append(self._near(c, j, float(sims[i][j])))
                    continue
            out.append(c)
        return out

    def _corrected(self, c: Classification, label: Label) -> Classification:
        conf = max(c.confidence, 0.95) if c.label == label else 0.95
        return c.model_copy(
            update={
                "label": label,
                "confidence": round(conf, 4),
                "rationale": f"Your team corrected this statement to {label}; the coach keeps that label for you.",
                "none_kind": None,
                "needs_clarification": False,
                "commitment": commitment_kind(c.text) if label == "output" else None,
            }
        )

    def _near(self, c: Classification, j: int, sim: float) -> Classification:
        mem = self.memory
        label, text = mem.labels[j], mem.texts[j]
        what = "corrected" if mem.kinds[j] == "correction" else "labelled"
        evidence = Evidence(kind="example", text=text, similarity=round(sim, 3), label=label, domain=mem.kinds[j])
        conf = max(c.confidence, sim) if c.label == label else sim
        return c.model_copy(
            update={
                "label": label,
                "confidence": round(min(conf, 0.99), 4),
                "rationale": f"Your team {what} a statement like this one ('{text}') as an {label}.",
                "needs_clarification": conf < self.clarify_below,
                "commitment": commitment_kind(c.text) if label == "output" else None,
                "evidence": [evidence, *[e for e in c.evidence if e.text != text]],
            }
        )
