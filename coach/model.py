"""The statement model: one logistic regression over four views of a statement, calibrated, cached on disk.

Views: the sentence embedding (meaning), the linguistic cues of `coach/cues.py`, word n-grams (TF-IDF) and a
nearest-neighbour vote over the labelled examples (similarity-weighted share of outcomes among the k nearest,
and the margin between the nearest outcome and the nearest output). For the training rows the vote leaves the
row itself out, so the regression learns how far to trust the vote on statements it has not seen.

Calibration: decision scores from cross-validation grouped by source file (a fold never holds statements of the
file it is scored on, so the scores look like scores on a new kind of text) are mapped to probabilities with a
sigmoid (Platt scaling).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from coach.cues import CueHit, cue_vector
from coach.domain import Label
from coach.once import exclusive, write_atomically
from coach.screen import NoneModel, known_words

log = logging.getLogger(__name__)
FEATURE_VERSION = "v6"
TOKEN_PATTERN = r"(?u)[#%]|\b\w+\b"
MIN_VOTERS = 50  # fewer labelled examples than this: no neighbour vote (it would only echo the training set)


@dataclass
class TrainingSet:
    texts: list[str]
    labels: list[Label]
    embeddings: np.ndarray
    weights: list[float]
    domains: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # source file of each statement, for grouped calibration
    none_texts: list[str] = field(default_factory=list)  # examples labelled `none`: not statements about work
    none_embeddings: np.ndarray | None = None

    def key(self, embedder_name: str) -> str:
        h = hashlib.sha256(f"{FEATURE_VERSION}|{embedder_name}".encode())
        for t, lab, w in sorted(zip(self.texts, self.labels, self.weights, strict=True)):
            h.update(f"{t}\x1f{lab}\x1f{w}\x1e".encode())
        for t in sorted(self.none_texts):
            h.update(f"{t}\x1fnone\x1e".encode())
        if self.groups:
            h.update("\x1d".join(sorted(set(self.groups))).encode())
        return h.hexdigest()[:20]


@dataclass
class Hyper:
    c: float = 4.0
    cue_weight: float = 1.0
    tfidf_weight: float = 0.6
    knn_k: int = 10
    knn_weight: float = 1.0
    calibrate: bool = True
    folds: int = 5


def label_split(y: np.ndarray) -> int | None:
    """When the examples are sorted outputs first (y = 0…0 1…1): how many outputs; else None."""
    return int(len(y) - y.sum()) if len(y) and bool(np.all(y[:-1] <= y[1:])) else None


def knn_vote(sims: np.ndarray, y: np.ndarray, k: int, split: int | None = None) -> np.ndarray:
    """Per row: similarity-weighted outcome share among the k nearest (scaled to -1..1), and the margin between
    the nearest outcome and the nearest output. `sims` is rows × examples, `y` 1 for outcome; `split` (from
    `label_split`) lets the two maxima read contiguous slices instead of masking the whole matrix."""
    n = sims.shape[1]
    if n < MIN_VOTERS:
        return np.zeros((sims.shape[0], 2), dtype=np.float32)
    k = min(k, n)
    # Rounded first: a product of one row and of a batch differ in the last bits, which must not decide which of two
    # equally near examples votes (classify one statement or many, the same answer).
    sims = np.round(sims, 5)
    idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    top = np.take_along_axis(sims, idx, axis=1)
    w = np.exp(8.0 * (top - top.max(axis=1, keepdims=True)))
    sign = 2.0 * y[idx] - 1.0
    closeness = np.clip(top.max(axis=1), 0.0, 1.0)  # a vote among distant neighbours says little
    vote = (w * sign).sum(axis=1) / w.sum(axis=1) * closeness
    none = np.full(len(sims), -1.0)
    if split is not None:
        neg = sims[:, :split].max(axis=1) if split > 0 else none
        pos = sims[:, split:].max(axis=1) if split < n else none
    else:
        pos = np.where(y[None, :] == 1, sims, -1.0).max(axis=1) if y.any() else none
        neg = np.where(y[None, :] == 0, sims, -1.0).max(axis=1) if (1 - y).any() else none
    return np.stack([vote, 4.0 * (pos - neg)], axis=1).astype(np.float32)


class FittedModel:
    """The trained artefact: TF-IDF vocabulary, one linear model over four views, a Platt calibrator, and the
    labelled embeddings the neighbour vote reads. Pickled with joblib."""

    def __init__(self, hyper: Hyper) -> None:
        self.hyper = hyper
        self.tfidf = TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=2,
            sublinear_tf=True,
            lowercase=True,
            token_pattern=TOKEN_PATTERN,
            max_features=20000,
        )
        self.w_emb = np.zeros(0, dtype=np.float32)
        self.w_cue = np.zeros(0, dtype=np.float32)
        self.w_tf = np.zeros(0, dtype=np.float64)
        self.w_knn = np.zeros(2, dtype=np.float32)
        self.bias = 0.0
        self.platt = (1.0, 0.0)
        self.nn_emb = np.zeros((0, 0), dtype=np.float32)
        self.nn_y = np.zeros(0, dtype=np.float64)
        self.nn_split: int | None = None
        self.none = NoneModel()
        self.known: set[str] = set()
        self._terms: dict[str, tuple[float, float]] = {}

    # ----- features -----------------------------------------------------------------------------------------
    def _stack(self, texts: Sequence[str], emb: np.ndarray, knn: np.ndarray, fit: bool = False) -> sparse.csr_matrix:
        h = self.hyper
        tf = self.tfidf.fit_transform(texts) if fit else self.tfidf.transform(texts)
        cues = np.vstack([cue_vector(t) for t in texts]) * h.cue_weight
        parts = [sparse.csr_matrix(emb), sparse.csr_matrix(cues), tf * h.tfidf_weight]
        parts.append(sparse.csr_matrix(knn * h.knn_weight))
        return sparse.hstack(parts).tocsr()

    def _lr(self) -> LogisticRegression:
        return LogisticRegression(C=self.hyper.c, max_iter=4000, class_weight="balanced")

    def fit(self, data: TrainingSet) -> FittedModel:
        h = self.hyper
        emb = np.asarray(data.embeddings, dtype=np.float32)
        y = np.array([1 if lab == "outcome" else 0 for lab in data.labels])
        w = np.array(data.weights, dtype=np.float64)
        self.nn_emb, self.nn_y = emb, y.astype(np.float64)
        self.nn_split = label_split(self.nn_y)
        sims = emb @ emb.T
        np.fill_diagonal(sims, -1.0)  # leave the row itself out of its own vote
        knn = knn_vote(sims, self.nn_y, h.knn_k, self.nn_split)
        x = self._stack(data.texts, emb, knn, fit=True)
        lr = self._lr().fit(x, y, sample_weight=w)
        coef = lr.coef_[0]
        d_emb, d_cue = emb.shape[1], len(cue_vector(""))
        d_tf = len(self.tfidf.vocabulary_)
        self.w_emb = coef[:d_emb].astype(np.float32)
        self.w_cue = (coef[d_emb : d_emb + d_cue] * h.cue_weight).astype(np.float32)
        self.w_tf = coef[d_emb + d_cue : d_emb + d_cue + d_tf] * h.tfidf_weight
        self.w_knn = (coef[d_emb + d_cue + d_tf :] * h.knn_weight).astype(np.float32)
        self.bias = float(lr.intercept_[0])
        self._index_terms()
        if h.calibrate and len(y) >= 50 and min(np.bincount(y, minlength=2)) >= 5:
            self.platt = self._calibrate(x, y, w, data.groups)
        self.known = known_words(data.texts)
        if data.none_texts and data.none_embeddings is not None:
            self.none = NoneModel().fit(data.texts, emb, data.none_texts, data.none_embeddings)
        return self

    def _calibrate(self, x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, groups: list[str]) -> tuple[float, float]:
        from sklearn.model_selection import GroupKFold, StratifiedKFold

        scores = np.zeros(len(y))
        n_groups = len(set(groups)) if groups else 0
        if n_groups >= self.hyper.folds:
            splits = GroupKFold(self.hyper.folds).split(x, y, groups)
        else:
            splits = StratifiedKFold(self.hyper.folds, shuffle=True, random_state=7).split(x, y)
        for train, test in splits:
            if len(set(y[train])) < 2:
                continue
            m = self._lr().fit(x[train], y[train], sample_weight=w[train])
            scores[test] = m.decision_function(x[test])
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(scores.reshape(-1, 1), y)
        return float(platt.coef_[0][0]), float(platt.intercept_[0])

    def _index_terms(self) -> None:
        """term → (idf, weight) for the hand-rolled TF-IDF dot product used at prediction time."""
        idf = self.tfidf.idf_
        self._terms = {t: (float(idf[j]), float(self.w_tf[j])) for t, j in self.tfidf.vocabulary_.items()}
        self._analyzer = self.tfidf.build_analyzer()

    def _tfidf_dot(self, text: str) -> float:
        """tfidf(text) · w_tf, as sklearn computes it (sublinear tf, l2 norm), without its per-call overhead."""
        counts = Counter(g for g in self._analyzer(text) if g in self._terms)
        if not counts:
            return 0.0
        vals = [((1.0 + math.log(c)) * self._terms[g][0], self._terms[g][1]) for g, c in counts.items()]
        norm = math.sqrt(sum(v * v for v, _ in vals)) or 1.0
        return sum(v * wt for v, wt in vals) / norm

    # ----- prediction ---------------------------------------------------------------------------------------
    def decision(
        self,
        texts: Sequence[str],
        emb: np.ndarray,
        hits: Sequence[list[CueHit]] | None = None,
        sims: np.ndarray | None = None,
    ) -> np.ndarray:
        """Raw decision scores; `sims` = emb @ nn_emb.T when the caller has it already."""
        if not self._terms and len(self.w_tf):
            self._index_terms()
        cues = np.vstack([cue_vector(t, hits[i] if hits is not None else None) for i, t in enumerate(texts)])
        if sims is None:
            sims = emb @ self.nn_emb.T if len(self.nn_y) else np.zeros((len(texts), 0), dtype=np.float32)
        knn = knn_vote(sims, self.nn_y, self.hyper.knn_k, getattr(self, "nn_split", None))
        tf = np.array([self._tfidf_dot(t) for t in texts])
        return np.asarray(emb @ self.w_emb + cues @ self.w_cue + tf + knn @ self.w_knn + self.bias).ravel()

    def proba_outcome(
        self,
        texts: Sequence[str],
        emb: np.ndarray,
        hits: Sequence[list[CueHit]] | None = None,
        sims: np.ndarray | None = None,
    ) -> np.ndarray:
        a, b = self.platt
        return np.asarray(1.0 / (1.0 + np.exp(-(a * self.decision(texts, emb, hits, sims) + b))))

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_analyzer", None)
        state["_terms"] = {}
        return state


_SAFE_KEY = re.compile(r"[^0-9a-f-]")


def train_or_load(
    data: TrainingSet, embedder_name: str, cache_dir: Path | None, hyper: Hyper | None = None
) -> FittedModel:
    """Fit once per distinct training set; reuse the cached model while the data is unchanged."""
    hyper = hyper or Hyper()
    key = data.key(embedder_name) + "-" + hashlib.sha1(repr(hyper).encode()).hexdigest()[:6]
    path = cache_dir / f"classifier-{_SAFE_KEY.sub('', key)}.joblib" if cache_dir else None
    if path is None:
        return _fit(data, hyper)
    model = _cached(path)
    if model is not None:
        return model
    with exclusive(path):  # one process trains; the others wait here, then load what it wrote
        model = _cached(path)
        if model is None:
            model = _fit(data, hyper)
            write_atomically(path, lambda tmp: joblib.dump(model, tmp))
    return model


def _cached(path: Path) -> FittedModel | None:
    if not path.exists():
        return None
    try:
        model = joblib.load(path)
        if isinstance(model, FittedModel):
            return model
    except Exception:
        log.warning("classifier cache %s unreadable; retraining", path)
    return None


def _fit(data: TrainingSet, hyper: Hyper) -> FittedModel:
    t0 = time.perf_counter()
    model = FittedModel(hyper).fit(data)
    log.info("classifier trained on %d statements in %.2fs", len(data.texts), time.perf_counter() - t0)
    return model
