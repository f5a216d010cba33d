"""Reply acts: what a message IS, given what the coach last asked (the context).

A statement of new work, an answer naming a result, an intermediate result, a reason or mandate, a non-answer,
an objection, a question about the conversation or about the ideas, numbers, a command, yes, no, small talk or
gibberish. The recogniser is a trained model — the sentence embedding, word and character n-grams, the surface
cues of `cues.py` and the context with its interactions — over the labelled replies in `knowledge/replies/`
(`README.md` there defines every act and context). It is trained once per distinct data set, cached on disk,
and never retrained per request; a bare command word is read by rule. An optional chat model (the
`ActOpinion` port) is consulted only when the local model is unsure, and only among the acts the context allows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import joblib
import numpy as np
from pydantic import BaseModel, Field, ValidationError
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from coach.config import DEFAULT_KNOWLEDGE
from coach.conversation.cues import CUE_NAMES, LABEL_CORRECTION, command_of, cue_vector, looks_like_gibberish
from coach.errors import KnowledgeError
from coach.once import exclusive, write_atomically
from coach.ports import ActOpinion, Embedder

log = logging.getLogger(__name__)

Act = Literal[
    "statement",
    "result",
    "intermediate",
    "reason",
    "non_answer",
    "objection",
    "meta_question",
    "knowledge_question",
    "numbers",
    "command",
    "affirm",
    "deny",
    "small_talk",
    "gibberish",
]
ACTS: tuple[Act, ...] = (
    "statement",
    "result",
    "intermediate",
    "reason",
    "non_answer",
    "objection",
    "meta_question",
    "knowledge_question",
    "numbers",
    "command",
    "affirm",
    "deny",
    "small_talk",
    "gibberish",
)
Context = Literal["welcome", "idle", "ask_result", "ask_higher", "clarify", "ask_mandate", "ask_baseline", "ask_target"]
CONTEXTS: tuple[Context, ...] = (
    "welcome",
    "idle",
    "ask_result",
    "ask_higher",
    "clarify",
    "ask_mandate",
    "ask_baseline",
    "ask_target",
)
Command = Literal["skip", "summary", "restart", "measures", "accept", "help"]
COMMANDS: tuple[Command, ...] = ("skip", "summary", "restart", "measures", "accept", "help")
REPLIES_DIR = DEFAULT_KNOWLEDGE / "replies"
FEATURE_VERSION = "acts-v2"
DEV_THRESHOLD = 52  # first byte of sha1 below this → dev (about 20 %), as for the labelled statements
UNSURE_BELOW = 0.55  # below this the optional chat model is asked


class ReplyExample(BaseModel):
    context: Context
    text: str = Field(min_length=1, max_length=2000)
    act: Act
    command: Command | None = None
    coach: str = ""
    origin: str = ""

    @property
    def split(self) -> str:
        digest = hashlib.sha1(f"{self.context}|{self.text.strip().lower()}".encode()).digest()
        return "dev" if digest[0] < DEV_THRESHOLD else "train"


def load_replies(paths: Sequence[Path] | None = None) -> list[ReplyExample]:
    """Labelled replies from JSONL files (a folder means every *.jsonl in it). Errors name the file and line."""
    files: list[Path] = []
    for p in paths or [REPLIES_DIR]:
        files += sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
    if not files:
        raise KnowledgeError("No labelled replies found.", f"Expected *.jsonl files in {REPLIES_DIR}.")
    out: list[ReplyExample] = []
    for path in files:
        try:
            lines = path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise KnowledgeError(f"Cannot read {path}: {exc}.", "Give a UTF-8 JSONL file of replies.") from None
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                out.append(ReplyExample.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as exc:
                first = str(exc).splitlines()[0]
                raise KnowledgeError(
                    f"{path}, line {n}: {first}", "Fix the line; see knowledge/replies/README.md."
                ) from None
    return out


@dataclass
class Reading:
    """How the coach read one message."""

    act: Act
    confidence: float
    command: Command | None = None
    source: Literal["model", "rule", "chat model"] = "model"
    probs: dict[str, float] = field(default_factory=dict)


_CTX: dict[str, int] = {c: i for i, c in enumerate(CONTEXTS)}
# Cues whose meaning depends most on the context (a bare "no", a number, "don't know", a mandate word …).
_CTX_CUES = [
    CUE_NAMES.index(n)
    for n in (
        "bare_yes",
        "bare_no",
        "yes",
        "no",
        "has_number",
        "has_percent",
        "unsure",
        "mandate",
        "we_did",
        "new_item",
        "so_that",
        "question_mark",
        "objection",
        "gibberish",
    )
]


class ActModel:
    """One multinomial logistic regression over embedding, n-grams, cues and context × cues."""

    def __init__(self, c: float = 3.0) -> None:
        self.c = c
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True)
        self.lr = LogisticRegression(C=c, max_iter=4000, class_weight="balanced")
        self.commands = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        self.allowed: dict[str, list[str]] = {}

    def _x(
        self, texts: Sequence[str], contexts: Sequence[str], emb: np.ndarray, fit: bool = False
    ) -> sparse.csr_matrix:
        lowered = [t.lower() for t in texts]
        w = self.words.fit_transform(lowered) if fit else self.words.transform(lowered)
        ch = self.chars.fit_transform(lowered) if fit else self.chars.transform(lowered)
        cues = np.vstack([cue_vector(t) for t in texts])
        ctx = np.zeros((len(texts), len(CONTEXTS)), dtype=np.float32)
        for i, c in enumerate(contexts):
            ctx[i, _CTX[c]] = 1.0
        inter = (ctx[:, :, None] * cues[:, None, _CTX_CUES]).reshape(len(texts), -1)
        dense = np.hstack([emb, cues, ctx, inter]).astype(np.float32)
        return sparse.hstack([sparse.csr_matrix(dense), w * 0.7, ch * 0.5]).tocsr()

    def fit(self, examples: Sequence[ReplyExample], emb: np.ndarray) -> ActModel:
        texts = [e.text for e in examples]
        x = self._x(texts, [e.context for e in examples], emb, fit=True)
        self.lr.fit(x, [e.act for e in examples])
        seen = Counter((e.context, e.act) for e in examples)
        self.allowed = {c: [a for a in ACTS if seen[(c, a)] >= 3] for c in CONTEXTS}
        cmd = [(e.text, e.command) for e in examples if e.act == "command" and e.command]
        if len({c for _, c in cmd}) >= 2:
            self.commands.fit(self.words.transform([t.lower() for t, _ in cmd]), [c for _, c in cmd])
        self._prepare(emb.shape[1])
        return self

    def _prepare(self, d_emb: int) -> None:
        """Split the fitted weights by feature block, in ACTS order, for the one-message fast path."""
        classes = list(self.lr.classes_)
        rows = [classes.index(a) if a in classes else -1 for a in ACTS]
        coef = np.vstack([self.lr.coef_[j] if j >= 0 else np.zeros(self.lr.coef_.shape[1]) for j in rows])
        bias = np.array([self.lr.intercept_[j] if j >= 0 else -1e9 for j in rows])
        d_dense = d_emb + len(CUE_NAMES) + len(CONTEXTS) + len(CONTEXTS) * len(_CTX_CUES)
        n_words = len(self.words.vocabulary_)
        self._w_dense = coef[:, :d_dense].T.astype(np.float64)
        self._w_words = coef[:, d_dense : d_dense + n_words].T.astype(np.float64)  # for the features × 0.7
        self._w_chars = coef[:, d_dense + n_words :].T.astype(np.float64)  # for the features × 0.5
        self._bias = bias
        self._masks: dict[str, np.ndarray] = {
            c: np.array([a in self.allowed.get(c, ACTS) for a in ACTS]) for c in CONTEXTS
        }

    def proba(self, texts: Sequence[str], contexts: Sequence[str], emb: np.ndarray) -> np.ndarray:
        """Probabilities over ACTS, with acts never seen in a context ruled out there."""
        if len(texts) == 1:
            return self.proba_one(texts[0], contexts[0], emb[0])[None, :]
        x = self._x(texts, contexts, emb)
        logits = x[:, : self._w_dense.shape[0]] @ self._w_dense
        logits += x[:, self._w_dense.shape[0] :] @ np.vstack([self._w_words, self._w_chars])
        return np.vstack([self._softmax(row + self._bias, c) for row, c in zip(logits, contexts, strict=True)])

    def proba_one(self, text: str, context: str, vec: np.ndarray) -> np.ndarray:
        """One message, without sklearn's per-call overhead (the same numbers as the batch path; tested)."""
        cues = cue_vector(text)
        ctx = np.zeros(len(CONTEXTS), dtype=np.float32)
        ctx[_CTX[context]] = 1.0
        dense = np.concatenate([vec, cues, ctx, (ctx[:, None] * cues[None, _CTX_CUES]).ravel()])
        logits = dense @ self._w_dense + self._bias
        lowered = text.lower()
        for vec_, weights, scale in ((self.words, self._w_words, 0.7), (self.chars, self._w_chars, 0.5)):
            row = _tfidf_row(vec_, lowered)
            if row is not None:
                idx, val = row
                logits += (val * scale) @ weights[idx]
        return self._softmax(logits, context)

    def _softmax(self, logits: np.ndarray, context: str) -> np.ndarray:
        z = np.exp(logits - logits.max())
        p = z / z.sum()
        row: np.ndarray = p * self._masks.get(context, np.ones(len(ACTS), dtype=bool))
        total = float(row.sum())
        return row / total if total > 0 else p

    def command(self, text: str) -> Command:
        found = command_of(text)
        if found is not None:
            return found  # type: ignore[return-value]
        if not hasattr(self.commands, "classes_"):
            return "skip"
        return str(self.commands.predict(self.words.transform([text.lower()]))[0])  # type: ignore[return-value]


def _tfidf_row(vectorizer: TfidfVectorizer, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """A fitted TfidfVectorizer's row for one text (sublinear tf, idf, l2 norm), as (columns, values)."""
    vocab = vectorizer.vocabulary_
    counts = Counter(vocab[g] for g in vectorizer.build_analyzer()(text) if g in vocab)
    if not counts:
        return None
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
    val = tf * vectorizer.idf_[idx]
    return idx, val / np.linalg.norm(val)


def data_key(examples: Sequence[ReplyExample], embedder_name: str) -> str:
    h = hashlib.sha256(f"{FEATURE_VERSION}|{embedder_name}".encode())
    for e in sorted(examples, key=lambda e: (e.context, e.text, e.act)):
        h.update(f"{e.context}\x1f{e.text}\x1f{e.act}\x1f{e.command}\x1e".encode())
    return h.hexdigest()[:20]


def train_or_load(examples: Sequence[ReplyExample], embedder: Embedder, cache_dir: Path | None) -> ActModel:
    """Fit once per distinct set of replies and embedder; reuse the cached model while they are unchanged.
    Several processes starting at once train it once: the others wait on the cache's lock and load it."""
    if cache_dir is None:
        return _fit_acts(examples, embedder)
    path = cache_dir / f"acts-{data_key(examples, embedder.name)}.joblib"
    model = _cached_acts(path)
    if model is not None:
        return model
    with exclusive(path):
        model = _cached_acts(path)
        if model is None:
            model = _fit_acts(examples, embedder)
            write_atomically(path, lambda tmp: joblib.dump(model, tmp))
    return model


def _cached_acts(path: Path) -> ActModel | None:
    if not path.exists():
        return None
    try:
        model = joblib.load(path)
        if isinstance(model, ActModel):
            return model
    except Exception:
        log.warning("reply-act model cache %s unreadable; retraining", path)
    return None


def _fit_acts(examples: Sequence[ReplyExample], embedder: Embedder) -> ActModel:
    t0 = time.perf_counter()
    emb = embedder.embed([e.text for e in examples])
    model = ActModel().fit(examples, emb)
    log.info("reply-act model trained on %d replies in %.2fs", len(examples), time.perf_counter() - t0)
    return model


class ActRecognizer:
    """Reads one message in context: rules for the unmistakable, the trained model for the rest."""

    def __init__(self, embedder: Embedder, model: ActModel, opinion: ActOpinion | None = None) -> None:
        self.embedder = embedder
        self.model = model
        self.opinion = opinion

    def read(self, text: str, context: str, question: str = "", vector: np.ndarray | None = None) -> Reading:
        ctx = context if context in _CTX else "idle"
        cmd = command_of(text)
        if cmd is not None:
            return Reading("command", 1.0, command=cmd, source="rule")  # type: ignore[arg-type]
        if looks_like_gibberish(text):
            return Reading("gibberish", 1.0, source="rule")
        if LABEL_CORRECTION.search(text):
            return Reading("objection", 1.0, source="rule")
        vec = vector if vector is not None else self.embedder.embed([text])[0]
        probs = self.model.proba([text], [ctx], vec[None, :])[0]
        best = int(np.argmax(probs))
        act, conf = ACTS[best], float(probs[best])
        if conf < UNSURE_BELOW and self.opinion is not None:
            allowed = self.model.allowed.get(ctx) or list(ACTS)
            said = self.opinion.act(text, ctx, question, allowed)
            chosen = next((a for a in ACTS if a == said and a in allowed), None)
            if chosen is not None:
                return Reading(
                    chosen,
                    conf,
                    command=self._command(chosen, text),
                    source="chat model",
                    probs=dict(zip(ACTS, probs.round(4).tolist(), strict=True)),
                )
        return Reading(
            act,
            conf,
            command=self._command(act, text),
            probs=dict(zip(ACTS, probs.round(4).tolist(), strict=True)),
        )

    def read_many(self, texts: Sequence[str], contexts: Sequence[str]) -> list[Act]:
        """Batch reading for evaluation (rules, then the model; no chat model)."""
        emb = self.embedder.embed(list(texts))
        probs = self.model.proba(texts, contexts, emb)
        out: list[Act] = []
        for i, t in enumerate(texts):
            if command_of(t) is not None:
                out.append("command")
            elif looks_like_gibberish(t):
                out.append("gibberish")
            elif LABEL_CORRECTION.search(t):
                out.append("objection")
            else:
                out.append(ACTS[int(np.argmax(probs[i]))])
        return out

    def _command(self, act: str, text: str) -> Command | None:
        return self.model.command(text) if act == "command" else None
