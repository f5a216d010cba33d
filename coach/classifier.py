"""Statement → Classification: label, calibrated confidence, a plain rationale and cited evidence.

The model is a calibrated logistic regression over three views of a statement: its sentence embedding
(meaning), linguistic cues (deliverable nouns and production verbs vs. change-of-state verbs and the people
served) and word n-grams (phrasing such as "# of", "number of … held"). It is trained on the knowledge base's
labelled examples plus stored corrections, cached on disk under the hash of its training data, and never
retrained per request.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from coach.cues import CueHit, commitment_kind, cue_vector, find_cues
from coach.domain import Citation, Classification, Evidence, Label, Statement
from coach.ports import Embedder, SecondOpinion

log = logging.getLogger(__name__)
FEATURE_VERSION = "v4"
LABELS: tuple[Label, Label] = ("output", "outcome")


@dataclass
class TrainingSet:
    texts: list[str]
    labels: list[Label]
    embeddings: np.ndarray
    weights: list[float]
    domains: list[str] = field(default_factory=list)

    def key(self, embedder_name: str) -> str:
        h = hashlib.sha256(f"{FEATURE_VERSION}|{embedder_name}".encode())
        for t, lab, w in sorted(zip(self.texts, self.labels, self.weights, strict=True)):
            h.update(f"{t}\x1f{lab}\x1f{w}\x1e".encode())
        return h.hexdigest()[:20]


@dataclass
class Hyper:
    c: float = 4.0
    cue_weight: float = 1.0
    tfidf_weight: float = 0.6
    calibrate: bool = True


class FittedModel:
    """The trained artefact: TF-IDF vocabulary, one linear model and a Platt calibrator. Pickled with joblib.

    Calibration: the decision scores of 5-fold cross-validation are mapped to probabilities with a sigmoid
    (Platt scaling), so confidence means "how often a label said with this score is right".
    """

    def __init__(self, hyper: Hyper) -> None:
        self.hyper = hyper
        self.tfidf = TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=2,
            sublinear_tf=True,
            lowercase=True,
            token_pattern=r"(?u)[#%]|\b\w+\b",
            max_features=20000,
        )
        self.w_emb = np.zeros(0, dtype=np.float32)
        self.w_cue = np.zeros(0, dtype=np.float32)
        self.w_tf = np.zeros(0, dtype=np.float32)
        self.bias = 0.0
        self.platt = (1.0, 0.0)

    def _stack(self, texts: Sequence[str], emb: np.ndarray, fit: bool = False) -> sparse.csr_matrix:
        tf = self.tfidf.fit_transform(texts) if fit else self.tfidf.transform(texts)
        cues = np.vstack([cue_vector(t) for t in texts]) * self.hyper.cue_weight
        return sparse.hstack([sparse.csr_matrix(emb), sparse.csr_matrix(cues), tf * self.hyper.tfidf_weight]).tocsr()

    def fit(self, data: TrainingSet) -> FittedModel:
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        x = self._stack(data.texts, data.embeddings, fit=True)
        y = np.array([1 if lab == "outcome" else 0 for lab in data.labels])
        w = np.array(data.weights)
        lr = LogisticRegression(C=self.hyper.c, max_iter=3000, class_weight="balanced")
        lr.fit(x, y, sample_weight=w)
        coef = lr.coef_[0].astype(np.float32)
        d_emb, d_cue = data.embeddings.shape[1], len(cue_vector(""))
        self.w_emb = coef[:d_emb]
        self.w_cue = coef[d_emb : d_emb + d_cue] * self.hyper.cue_weight
        self.w_tf = coef[d_emb + d_cue :] * self.hyper.tfidf_weight
        self.bias = float(lr.intercept_[0])
        if self.hyper.calibrate and len(y) >= 50 and min(np.bincount(y)) >= 5:
            folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
            scores = cross_val_predict(
                LogisticRegression(C=self.hyper.c, max_iter=3000, class_weight="balanced"),
                x,
                y,
                cv=folds,
                method="decision_function",
                params={"sample_weight": w},
            )
            platt = LogisticRegression(C=1e6, max_iter=1000).fit(scores.reshape(-1, 1), y)
            self.platt = (float(platt.coef_[0][0]), float(platt.intercept_[0]))
        return self

    def decision(self, texts: Sequence[str], emb: np.ndarray, hits: Sequence[list[CueHit]] | None = None) -> np.ndarray:
        cues = np.vstack([cue_vector(t, hits[i] if hits is not None else None) for i, t in enumerate(texts)])
        tf = self.tfidf.transform(texts)
        return np.asarray(emb @ self.w_emb + cues @ self.w_cue + tf @ self.w_tf + self.bias).ravel()

    def proba_outcome(
        self, texts: Sequence[str], emb: np.ndarray, hits: Sequence[list[CueHit]] | None = None
    ) -> np.ndarray:
        a, b = self.platt
        return np.asarray(1.0 / (1.0 + np.exp(-(a * self.decision(texts, emb, hits) + b))))


def train_or_load(
    data: TrainingSet, embedder_name: str, cache_dir: Path | None, hyper: Hyper | None = None
) -> FittedModel:
    """Fit once per distinct training set; reuse the cached model while the data is unchanged."""
    hyper = hyper or Hyper()
    key = data.key(embedder_name) + "-" + hashlib.sha1(repr(hyper).encode()).hexdigest()[:6]
    path = cache_dir / f"classifier-{key}.joblib" if cache_dir else None
    if path and path.exists():
        try:
            model = joblib.load(path)
            if isinstance(model, FittedModel):
                return model
        except Exception:
            log.warning("classifier cache %s unreadable; retraining", path)
    t0 = time.perf_counter()
    model = FittedModel(hyper).fit(data)
    log.info("classifier trained on %d statements in %.2fs", len(data.texts), time.perf_counter() - t0)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump(model, tmp)
        tmp.replace(path)
    return model


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
    "more_of_our_output",
    "count_of_activity",
    "reaction_to_event",
    "reach_or_attendance",
    "service_level_commitment",
    "compliance_milestone",
    "imperative_production",
    "reported_production",
]
_OUTCOME_ORDER = ["people_who", "beneficiary_change", "state_or_attitude", "result_moves", "subject_changes"]

# What to look up in the guidance to back a verdict, by the cue that decided it.
GUIDANCE_QUERIES: dict[str, str] = {
    "output": "outputs are the products, services and activities a team delivers, not the change they cause",
    "outcome": "an outcome is a change in behaviour, knowledge, skills, status or condition for the people served",
    "count_of_activity": "counting activities held or people served is an output, not an outcome",
    "reach_or_attendance": "attendance, participation and people served are outputs, not outcomes",
    "reaction_to_event": "satisfaction with an event or reaction to training is not an outcome; behaviour and results are",
    "more_of_our_output": "outputs disguised with words like increase or improve: more of what we produce",
    "change_by_activity": "outputs disguised with words like increase or improve: the commitment is an activity",
    "compliance_milestone": "when an output is a legitimate commitment such as a compliance deadline",
    "service_level_commitment": "response times and service levels about our own activity versus the customer's experience",
    "result_moves": "business results such as revenue, cost, retention and risk are outcomes",
    "subject_changes": "an outcome is a change in conditions for people or the environment, not an activity",
    "state_or_attitude": "outcomes without numbers: changes in trust, confidence and attitudes",
    "beneficiary_change": "outcomes are changes in human behaviour that drive results",
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
    ) -> None:
        self.embedder = embedder
        self.model = model
        self.memory = memory
        self.guidance = guidance
        self.clarify_below = clarify_below
        self.neighbours = neighbours
        self.second_opinion = second_opinion
        self._guidance_queries: dict[str, np.ndarray] = {}
        limit_blas_threads()

    def warm(self) -> None:
        if self.guidance is not None and not self._guidance_queries:
            keys = list(GUIDANCE_QUERIES)
            vecs = self.embedder.embed([GUIDANCE_QUERIES[k] for k in keys])
            self._guidance_queries = dict(zip(keys, vecs, strict=True))

    def classify(self, statements: Sequence[Statement], embeddings: np.ndarray | None = None) -> list[Classification]:
        if not statements:
            return []
        texts = [s.text for s in statements]
        emb = embeddings if embeddings is not None else self.embedder.embed(texts)
        hits = [find_cues(t) for t in texts]  # once per statement: features and rationale share them
        p_outcome = self.model.proba_outcome(texts, emb, hits)
        sims = emb @ self.memory.embeddings.T if len(self.memory.texts) else np.zeros((len(texts), 0))
        self.warm()
        out: list[Classification] = []
        for i, st in enumerate(statements):
            out.append(self._one(st, emb[i], float(p_outcome[i]), sims[i], hits[i]))
        return out

    def _one(self, st: Statement, vec: np.ndarray, p: float, sims: np.ndarray, cues: list[CueHit]) -> Classification:
        label: Label = "outcome" if p >= 0.5 else "output"
        conf = p if label == "outcome" else 1.0 - p
        key = " ".join(st.text.lower().split())
        corrected = self.memory.corrected.get(key)
        if corrected:
            label, conf = corrected, max(conf, 0.95) if corrected == label else 0.95
        order: list[int] = [int(j) for j in np.argsort(-sims)[: self.neighbours]] if sims.size else []
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
        rationale = self._rationale(st.text, label, deciding, cues, evidence, corrected is not None)
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
            needs_clarification=conf < self.clarify_below and corrected is None,
            commitment=commitment_kind(st.text) if label == "output" else None,
            second_opinion=second,
        )

    @staticmethod
    def _deciding_cue(cues: list[CueHit], label: Label) -> CueHit | None:
        order = _OUTPUT_ORDER if label == "output" else _OUTCOME_ORDER
        by_name = {c.name: c for c in cues}
        for name in order:
            if name in by_name:
                return by_name[name]
        return None

    @staticmethod
    def _rationale(
        text: str, label: Label, cue: CueHit | None, cues: list[CueHit], evidence: list[Evidence], corrected: bool
    ) -> str:
        if corrected:
            return f"You (or a colleague) corrected this statement to {label}; the coach keeps that label."
        if cue is not None:
            sentence = f"{cue.explanation[0].upper()}{cue.explanation[1:]} — '{cue.phrase}'."
        else:
            same = next((e for e in evidence if e.label == label), None)
            kind = "work the team produces" if label == "output" else "a change for someone outside the team"
            sentence = f"Reads as {kind}"
            sentence += f", like the labelled {label} '{same.text}'." if same else "."
        against = next((c for c in cues if c.points_to != label), None)
        if against is not None and cue is not None:
            sentence += f" (It also says '{against.phrase}', which on its own could suggest an {against.points_to}.)"
        return sentence

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
