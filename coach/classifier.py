"""Statement → Classification: label, calibrated confidence, a plain rationale and cited evidence.

Three questions, in order:
1. Is it in a language the cues can read? If not (`LanguageGuard`), the label is only a guess: confidence is
   capped below the clarification threshold, `language` names the language and the coach asks.
2. Is it a statement about work at all? If not (`NoneModel` in `coach/screen.py`), the label is `none`, with
   the kind (gibberish, small talk, question, command) and the reason.
3. Output or outcome? The calibrated model of `coach/model.py` (embedding, cues, n-grams, neighbour vote).

The rationale names the deciding cue and quotes the person's words; the evidence lists the nearest labelled
statements and the guidance passage that backs the verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coach.cues import CueHit, commitment_kind, find_cues
from coach.domain import Citation, Classification, Evidence, Label, Statement, Verdict
from coach.language import Language, LanguageGuard, foreign_statement
from coach.model import FittedModel, Hyper, TrainingSet, train_or_load
from coach.ports import Embedder, SecondOpinion
from coach.screen import kind_of, none_reason

__all__ = [
    "Classifier",
    "FittedModel",
    "GuidanceMemory",
    "Hyper",
    "Memory",
    "TrainingSet",
    "train_or_load",
]

log = logging.getLogger(__name__)
LABELS: tuple[Label, Label] = ("output", "outcome")
FOREIGN_CAP = 0.55  # the most confidence a label of a statement in another language can carry
NONE_AT = 0.5  # p(not a statement) from which the label is `none`


@dataclass
class Memory:
    """Labelled statements kept in memory for nearest-example evidence and exact-match corrections."""

    texts: list[str]
    labels: list[Label]
    domains: list[str]
    embeddings: np.ndarray
    corrected: dict[str, Label] = field(default_factory=dict)


@dataclass
class GuidanceMemory:
    embeddings: np.ndarray
    texts: list[str]
    citations: list[Citation]


_OUTPUT_ORDER = [
    "change_by_activity",
    "people_receiving",
    "more_of_our_output",
    "count_of_activity",
    "things_delivered",
    "reaction_to_event",
    "reach_or_attendance",
    "service_level_commitment",
    "compliance_milestone",
    "imperative_production",
    "reported_production",
]
_OUTCOME_ORDER = [
    "people_changed",
    "people_who",
    "decision_by_others",
    "practice_adopted",
    "customer_behaviour",
    "beneficiary_change",
    "state_or_attitude",
    "result_moves",
    "short_change_phrase",
    "subject_changes",
]

# What to look up in the guidance to back a verdict, by the cue that decided it.
GUIDANCE_QUERIES: dict[str, str] = {
    "output": "outputs are the products, services and activities a team delivers, not the change they cause",
    "outcome": "an outcome is a change in behaviour, knowledge, skills, status or condition for the people served",
    "count_of_activity": "counting activities held or people served is an output, not an outcome",
    "reach_or_attendance": "attendance, participation and people served are outputs, not outcomes",
    "people_receiving": "the number of people receiving a service is an output; how many of them changed is the outcome",
    "things_delivered": "units delivered, built or distributed are outputs of a programme, not outcomes",
    "reaction_to_event": "satisfaction with an event or reaction to training is not an outcome; behaviour and results are",
    "more_of_our_output": "outputs disguised with words like increase or improve: more of what we produce",
    "change_by_activity": "outputs disguised with words like increase or improve: the commitment is an activity",
    "compliance_milestone": "when an output is a legitimate commitment such as a compliance deadline",
    "service_level_commitment": "response times and service levels about our own activity versus the customer's experience",
    "result_moves": "business results such as revenue, cost, retention and risk are outcomes",
    "subject_changes": "an outcome is a change in conditions for people or the environment, not an activity",
    "short_change_phrase": "an outcome is a change in conditions for people or the environment, not an activity",
    "state_or_attitude": "outcomes without numbers: changes in trust, confidence and attitudes",
    "beneficiary_change": "outcomes are changes in human behaviour that drive results",
    "practice_adopted": "outcomes are changes in human behaviour: practice adopted by the people a programme serves",
    "decision_by_others": "a decision taken by others, such as a council adopting a proposed policy, is an outcome",
    "customer_behaviour": "outcomes are changes in customer behaviour such as adoption, retention and expansion",
    "people_changed": "state the outcome, then the indicator: number and percent of participants who",
    "people_who": "state the outcome, then the indicator: number and percent of participants who",
}


def limit_blas_threads() -> None:
    """One BLAS thread for numpy's small products, whatever was imported first; torch keeps its own threads."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    except Exception:  # a missing or unusual BLAS only costs speed
        log.debug("could not limit BLAS threads", exc_info=True)


class Classifier:
    def __init__(
        self,
        embedder: Embedder,
        model: FittedModel,
        memory: Memory,
        guidance: GuidanceMemory | None = None,
        clarify_below: float = 0.65,
        neighbours: int = 3,
        second_opinion: SecondOpinion | None = None,
        language_guard: LanguageGuard | None = None,
    ) -> None:
        self.embedder = embedder
        self.model = model
        self.memory = memory
        self.guidance = guidance
        self.clarify_below = clarify_below
        self.neighbours = neighbours
        self.second_opinion = second_opinion
        self.language_guard = language_guard or LanguageGuard()
        self._guidance_queries: dict[str, np.ndarray] = {}
        self._warm_language = False
        # The evidence memory is usually the model's own neighbour set, row for row: then one product serves both.
        self._shared_sims = memory.embeddings.shape == model.nn_emb.shape and bool(
            np.array_equal(memory.embeddings, model.nn_emb)
        )
        limit_blas_threads()

    def warm(self) -> None:
        """Embed the guidance queries and load the language identifier (once; called by the first classify)."""
        if not self._warm_language:
            self.language_guard.warm()
            self._warm_language = True
        if self.guidance is not None and not self._guidance_queries:
            keys = list(GUIDANCE_QUERIES)
            vecs = self.embedder.embed([GUIDANCE_QUERIES[k] for k in keys])
            self._guidance_queries = dict(zip(keys, vecs, strict=True))

    def classify(
        self, statements: Sequence[Statement], embeddings: np.ndarray | None = None, allow_none: bool = True
    ) -> list[Classification]:
        """Label each statement. With `allow_none=False` the label is always output or outcome (for callers that
        cannot yet take `none`): a non-statement then gets its best guess, flagged `needs_clarification`."""
        if not statements:
            return []
        texts = [s.text for s in statements]
        emb = embeddings if embeddings is not None else self.embedder.embed(texts)
        hits = [find_cues(t) for t in texts]  # once per statement: features and rationale share them
        sims = emb @ self.memory.embeddings.T if len(self.memory.texts) else np.zeros((len(texts), 0))
        p_outcome = self.model.proba_outcome(texts, emb, hits, sims if self._shared_sims else None)
        p_none = self.model.none.proba(texts, emb)
        self.warm()
        return [
            self._one(st, emb[i], float(p_outcome[i]), float(p_none[i]), sims[i], hits[i], allow_none)
            for i, st in enumerate(statements)
        ]

    def _one(
        self,
        st: Statement,
        vec: np.ndarray,
        p: float,
        p_none: float,
        sims: np.ndarray,
        cues: list[CueHit],
        allow_none: bool = True,
    ) -> Classification:
        key = " ".join(st.text.lower().split())
        corrected = self.memory.corrected.get(key)
        language = None if corrected else self.language_guard.detect(st.text, self.model.known)
        is_none = corrected is None and self._is_none(st.text, p_none, cues)
        if is_none and language is not None and not foreign_statement(st.text, language):
            language = None  # a greeting or noise that merely looks foreign: not a statement either way
        if is_none and language is None and allow_none:
            kind = kind_of(st.text, self.model.known)
            return Classification(
                text=st.text,
                start=st.start,
                end=st.end,
                label="none",
                confidence=round(p_none, 4),
                rationale=none_reason(kind, st.text),
                none_kind=kind,
            )
        label: Label = "outcome" if p >= 0.5 else "output"
        conf = p if label == "outcome" else 1.0 - p
        if corrected:
            label, conf = corrected, max(conf, 0.95) if corrected == label else 0.95
        if language is not None:
            conf = min(conf, FOREIGN_CAP)
        if is_none and language is None:  # not a statement, but the caller needs a label: only a guess, ask
            conf = min(conf, max(0.5, self.clarify_below - 0.01), FOREIGN_CAP)
        order: list[int] = []
        if sims.size:
            k = min(self.neighbours, sims.size)
            top = np.argpartition(-sims, k - 1)[:k] if k < sims.size else np.arange(sims.size)
            order = [int(j) for j in top[np.argsort(-sims[top], kind="stable")]]
        evidence = [
            Evidence(
                kind="example",
                text=self.memory.texts[j],
                similarity=round(float(sims[j]), 3),
                label=self.memory.labels[j],
                domain=self.memory.domains[j],
            )
            for j in order
        ]
        deciding = self._deciding_cue(cues, label)
        if language is not None:
            rationale = self._foreign_rationale(language, label)
        else:
            rationale = self._rationale(label, deciding, cues, evidence, corrected is not None)
        guidance = self._guidance_evidence(vec, deciding.name if deciding else label)
        if guidance:
            evidence.append(guidance)
        second = self.second_opinion.classify(st.text) if self.second_opinion else None
        return Classification(
            text=st.text,
            start=st.start,
            end=st.end,
            label=label,
            confidence=round(conf, 4),
            rationale=rationale,
            cues=[c.name for c in cues],
            evidence=evidence,
            needs_clarification=(conf < self.clarify_below or language is not None or is_none) and corrected is None,
            commitment=commitment_kind(st.text) if label == "output" else None,
            second_opinion=second,
            language=language.code if language else None,
        )

    @staticmethod
    def _is_none(text: str, p_none: float, cues: list[CueHit]) -> bool:
        """Not a statement about work: the model says so, and no cue found work in it (unless it asks)."""
        if p_none < NONE_AT:
            return False
        return not cues or "?" in text

    @staticmethod
    def _deciding_cue(cues: list[CueHit], label: Verdict) -> CueHit | None:
        order = _OUTPUT_ORDER if label == "output" else _OUTCOME_ORDER
        by_name = {c.name: c for c in cues}
        for name in order:
            if name in by_name:
                return by_name[name]
        return None

    @staticmethod
    def _rationale(
        label: Label, cue: CueHit | None, cues: list[CueHit], evidence: list[Evidence], corrected: bool
    ) -> str:
        if corrected:
            return f"You (or a colleague) corrected this statement to {label}; the coach keeps that label."
        if cue is not None:
            sentence = f"{cue.explanation[0].upper()}{cue.explanation[1:]}."
        else:
            same = next((e for e in evidence if e.label == label), None)
            kind = "work the team produces" if label == "output" else "a change for someone outside the team"
            sentence = f"Reads as {kind}"
            sentence += f", like the labelled {label} '{same.text}'." if same else "."
        against = next((c for c in cues if c.points_to != label), None)
        if against is not None and cue is not None:
            sentence += f" (It also says '{against.phrase}', which on its own could suggest an {against.points_to}.)"
        return sentence

    @staticmethod
    def _foreign_rationale(language: Language, label: Label) -> str:
        return (
            f"This looks like {language.name}; the coach's cues and examples are English, so '{label}' is only a "
            "guess. Could you say it in English?"
        )

    def _guidance_evidence(self, vec: np.ndarray, key: str) -> Evidence | None:
        if self.guidance is None or not len(self.guidance.texts):
            return None
        q = self._guidance_queries.get(key)
        query = vec if q is None else q + 0.35 * vec
        query = query / (np.linalg.norm(query) or 1.0)
        sims = self.guidance.embeddings @ query
        j = int(np.argmax(sims))
        return Evidence(
            kind="guidance",
            text=self.guidance.texts[j],
            similarity=round(float(sims[j]), 3),
            citation=self.guidance.citations[j],
        )
