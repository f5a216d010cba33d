"""Before a label: is this a statement about work at all, and is it in a language the cues can read?

- `NoneModel` separates statements about work from what is not one (gibberish, small talk, questions and commands
  to the coach), trained on `label: none` examples against the labelled statements: a logistic regression over
  the sentence embedding and a few shape features, calibrated like the main model. `kind_of` then names which
  of the four it is, so the coach can answer in kind.
- Languages other than English are flagged by `coach/language.py`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from coach.domain import NoneKind

log = logging.getLogger(__name__)
_C = re.IGNORECASE
NONE_WEIGHT = {0: 1.0, 1: 3.0}  # non-statements are rare: weigh them up, but not to balance
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

COMMAND = re.compile(
    r"^\s*/?\s*(?:skip|next|back|undo|start over|start again|restart|reset|summary|summari[sz]e|show (?:me )?"
    r"(?:the |my )?(?:summary|map|list|options)|export|quit|exit|stop|menu|help(?: me)?|continue|go on|go ahead|"
    r"repeat(?: that)?|again|cancel|clear|tell me (?:a joke|more)|show me\b.*|give me\b.*|/\w+.*)\s*[.!]*\s*$",
    _C,
)
_SMALL_TALK_WORDS = (
    r"hi|hello|hey|hiya|yo|howdy|good (?:morning|afternoon|evening|night)|bye|goodbye|see (?:you|ya)(?: later)?|"
    r"ciao|bonjour|hola|hallo|guten tag|thanks|thank you|thx|ty|cheers|ok|okay|kk|k|sure|yes|no|yep|yeah|nope|"
    r"maybe|hmm+|umm+|uh huh|lol|haha|great|cool|nice|perfect|awesome|got it|fair enough|makes sense|i see|ah|"
    r"oh|oops|sorry|never mind|nevermind|idk|whatever|brb|one sec|hold on|done|that's it|i'm done|talk soon|"
    r"have a nice \w+|coach|there|a lot|so much|much appreciated|again|all|bot"
)
# A message made only of greetings, thanks, acknowledgements and the like.
SMALL_TALK = re.compile(rf"^\W*(?:(?:{_SMALL_TALK_WORDS})\b[\s,.!:;)(-]*)+\W*$", _C)
QUESTION_START = re.compile(
    r"^\s*(?:what|why|how|when|where|which|who|whom|whose|is|are|am|was|were|do|does|did|can|could|should|"
    r"would|will|shall|may|might|have|has)\b",
    _C,
)
PLACEHOLDER = re.compile(
    r"^\s*(?:<[^>]*>|\[[^\]]*\]|\{\{[^}]*\}\}|lorem ipsum.*|null|undefined|none|n/?a|tbd|tba|todo|xxx+|"
    r"test(?:ing)?(?: test| \d+)*(?: \d)*|this is a test|asdf.*|foo bar.*|hello world|ping)\s*[.!]*\s*$",
    _C,
)


def _shape(text: str, known: set[str]) -> list[float]:
    words = _WORD.findall(text.lower())
    letters = sum(ch.isalpha() for ch in text)
    sum(w in known for w in words)
    return [
        1.0 if "?" in text else 0.0,
        1.0 if QUESTION_START.match(text) else 0.0,
        1.0 if COMMAND.match(text) else 0.0,
        1.0 if SMALL_TALK.match(text) else 0.0,
        1.0 if PLACEHOLDER.match(text) else 0.0,
        min(len(words), 12) / 12.0,
        letters / max(len(text), 1),
        0.0,  # (the share of known words made short jargon statements look like noise)
        1.0 if not words else 0.0,
        1.0 if re.search(r"\d", text) else 0.0,
    ]


def known_words(texts: Sequence[str]) -> set[str]:
    return {w for t in texts for w in _WORD.findall(t.lower())}


class NoneModel:
    """p(not a statement about work) for a batch of texts and their embeddings."""

    def __init__(self, c: float = 1.0) -> None:
        self.c = c
        self.known: set[str] = set()
        self.w = np.zeros(0, dtype=np.float32)
        self.bias = 0.0
        self.platt = (1.0, 0.0)

    def _x(self, texts: Sequence[str], emb: np.ndarray) -> np.ndarray:
        shape = np.array([_shape(t, self.known) for t in texts], dtype=np.float32).reshape(len(texts), -1)
        return np.hstack([np.asarray(emb, dtype=np.float32), shape * 2.0])

    def fit(self, statements: Sequence[str], s_emb: np.ndarray, nones: Sequence[str], n_emb: np.ndarray) -> NoneModel:
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        self.known = known_words(statements)
        x = np.vstack([self._x(statements, s_emb), self._x(nones, n_emb)])
        y = np.array([0] * len(statements) + [1] * len(nones))
        lr = LogisticRegression(C=self.c, max_iter=3000, class_weight=NONE_WEIGHT)
        lr.fit(x, y)
        self.w, self.bias = lr.coef_[0].astype(np.float32), float(lr.intercept_[0])
        if len(nones) >= 10:
            folds = StratifiedKFold(5, shuffle=True, random_state=7)
            scores = cross_val_predict(
                LogisticRegression(C=self.c, max_iter=3000, class_weight=NONE_WEIGHT),
                x,
                y,
                cv=folds,
                method="decision_function",
            )
            platt = LogisticRegression(C=1e6, max_iter=1000).fit(scores.reshape(-1, 1), y)
            self.platt = (float(platt.coef_[0][0]), float(platt.intercept_[0]))
        return self

    def proba(self, texts: Sequence[str], emb: np.ndarray) -> np.ndarray:
        if not len(self.w):
            return np.zeros(len(texts))
        a, b = self.platt
        z = self._x(texts, emb) @ self.w + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-(a * z + b))))


def kind_of(text: str, known: set[str] | None = None) -> NoneKind:
    """Which kind of non-statement a text is (called once the model has said it is not a statement); `known` is
    the vocabulary of the labelled statements (words in none of them, and no greeting, read as gibberish)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if COMMAND.match(text):
        return "command"
    if "?" in text or (QUESTION_START.match(text) and len(words) <= 12):
        return "question"
    if SMALL_TALK.match(text):
        return "small_talk"
    if not words or PLACEHOLDER.match(text) or len(set(words)) < max(1, len(words) // 2):
        return "gibberish"
    if known is not None and sum(w in known for w in words) < len(words) / 2:
        return "gibberish"
    return "small_talk" if len(words) >= 2 else "gibberish"


NONE_REASONS: dict[NoneKind, str] = {
    "gibberish": "This does not read as a statement about work — '{q}' has no words the coach can make sense of.",
    "small_talk": "This reads as conversation ('{q}'), not a statement about work: nothing to label.",
    "question": "This is a question ('{q}'), not a statement about work: the coach answers it rather than labelling it.",
    "command": "This is an instruction to the coach ('{q}'), not a statement about work.",
}


def none_reason(kind: NoneKind, text: str) -> str:
    q = " ".join(text.split())
    if len(q) > 60:
        q = q[:57].rsplit(" ", 1)[0] + "…"
    return NONE_REASONS[kind].format(q=q)
