"""Before a label: is this a statement about work at all, and is it in a language the cues can read?

- `NoneModel` separates statements about work from what is not one (gibberish, small talk, questions and commands
  to the coach), trained on `label: none` examples against the labelled statements: a logistic regression over
  the sentence embedding and a few shape features, calibrated like the main model. `kind_of` then names which
  of the four it is, so the coach can answer in kind.
- `LanguageGuard` flags statements in a language other than English. A cheap check runs on every statement
  (letters outside ASCII, function words of other languages, how many words the model has seen); only when it
  is in doubt does the language identifier (lingua, offline, low-accuracy mode, a fixed set of languages) run.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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


# ----- languages -------------------------------------------------------------------------------------------
# Frequent function words of other languages that are not English words (a hint to run the identifier).
FOREIGN_WORDS = frozenset(
    [
        "und",
        "der",
        "die",
        "das",
        "nicht",
        "ist",
        "mit",
        "für",
        "auf",
        "wir",
        "sind",
        "ein",
        "eine",
        "den",
        "dem",
        "des",
        "zu",
        "von",
        "bei",
        "uns",
        "unsere",
        "unser",
        "les",
        "des",
        "une",
        "est",
        "pour",
        "dans",
        "avec",
        "nous",
        "sont",
        "sur",
        "aux",
        "du",
        "et",
        "ce",
        "qui",
        "ne",
        "pas",
        "leur",
        "nos",
        "el",
        "los",
        "las",
        "del",
        "con",
        "para",
        "por",
        "una",
        "que",
        "es",
        "se",
        "su",
        "sus",
        "nuestro",
        "nuestra",
        "lo",
        "al",
        "como",
        "y",
        "il",
        "della",
        "delle",
        "degli",
        "per",
        "che",
        "sono",
        "gli",
        "nostri",
        "nostra",
        "het",
        "een",
        "van",
        "voor",
        "zijn",
        "niet",
        "ook",
        "naar",
        "bij",
        "wij",
        "onze",
        "och",
        "är",
        "att",
        "för",
        "på",
        "med",
        "som",
        "inte",
        "vi",
        "av",
        "til",
        "og",
        "ikke",
        "er",
        "det",
        "ett",
        "się",
        "nie",
        "jest",
        "oraz",
        "dla",
        "przez",
        "że",
        "na",
        "ve",
        "bir",
        "bu",
        "ile",
        "için",
        "da",
        "de",
    ]
)
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_OTHER_LETTERS = re.compile(r"[^\W\d_A-Za-z]")
LINGUA_LANGUAGES = [
    "ENGLISH",
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "DUTCH",
    "SWEDISH",
    "DANISH",
    "BOKMAL",
    "FINNISH",
    "POLISH",
    "CZECH",
    "ROMANIAN",
    "HUNGARIAN",
    "TURKISH",
    "RUSSIAN",
    "UKRAINIAN",
    "GREEK",
    "ARABIC",
    "HEBREW",
    "HINDI",
    "CHINESE",
    "JAPANESE",
    "KOREAN",
    "INDONESIAN",
    "VIETNAMESE",
]


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    name: str
    confidence: float


_DETECTOR: dict[str, Any] = {}  # one identifier per process, shared by every guard (it holds 27 language models)
_DETECTOR_LOCK = threading.Lock()


def _detector() -> Any:
    """The language identifier, built on first need; None when lingua cannot be loaded."""
    if "lingua" not in _DETECTOR:
        with _DETECTOR_LOCK:
            if "lingua" not in _DETECTOR:
                try:
                    from lingua import Language as L
                    from lingua import LanguageDetectorBuilder

                    langs = [getattr(L, n) for n in LINGUA_LANGUAGES]
                    _DETECTOR["lingua"] = (
                        LanguageDetectorBuilder.from_languages(*langs)
                        .with_low_accuracy_mode()
                        .with_preloaded_language_models()
                        .build()
                    )
                except Exception:  # a declared dependency; without it only the cheap check runs
                    log.warning("language identification unavailable (lingua could not be loaded)", exc_info=True)
                    _DETECTOR["lingua"] = None
    return _DETECTOR["lingua"]


def language_name(code: str) -> str:
    """'German' for 'de' (lingua's names); the code itself when lingua does not know it."""
    try:
        from lingua import IsoCode639_1
        from lingua import Language as L

        return str(L.from_iso_code_639_1(IsoCode639_1.from_str(code)).name.title())
    except Exception:  # an unknown code, or lingua unavailable
        return code


class LanguageGuard:
    """Says which statements are not English. Thread-safe; the identifier loads on first need (or `warm()`)."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        self.min_confidence = min_confidence

    def warm(self) -> None:
        _detector()

    def _get(self) -> Any:
        return _detector()

    @staticmethod
    def in_doubt(text: str, known: set[str]) -> bool:
        """The cheap check: could this be another language?"""
        if _OTHER_LETTERS.search(text):
            return True
        words = _WORD.findall(text.lower())
        if not words:
            return False
        if any(w in FOREIGN_WORDS for w in words):
            return True
        return sum(w in known for w in words) / len(words) < 0.5

    def detect(self, text: str, known: set[str]) -> Language | None:
        """The language of a statement when it is confidently not English, else None."""
        if not self.in_doubt(text, known):
            return None
        detector = self._get()
        if detector is None:
            if _OTHER_LETTERS.search(text) and not _ASCII_LETTERS.search(text):
                return Language("und", "a language other than English", 0.5)
            return None
        values = detector.compute_language_confidence_values(text)
        if not values:
            return None
        top = values[0]
        if top.language.name == "ENGLISH" or top.value < self.min_confidence:
            return None
        english = next((v.value for v in values if v.language.name == "ENGLISH"), 0.0)
        if english > 0.1:
            return None
        return Language(top.language.iso_code_639_1.name.lower(), top.language.name.title(), float(top.value))


def foreign_statement(text: str, language: Language) -> bool:
    """When the none model doubts a text in another language: is it a statement (ask for English) rather than a
    greeting, a placeholder or noise? Only when the language is certain and there is more than one word."""
    if language.confidence < 0.98 or "?" in text:
        return False
    if SMALL_TALK.match(text) or PLACEHOLDER.match(text) or COMMAND.match(text):
        return False
    words = _WORD.findall(text)
    latin = "".join(w for w in words if _ASCII_LETTERS.match(w)).lower()
    if latin and sum(ch in "aeiouy" for ch in latin) < 0.25 * len(latin):
        return False  # "xkcd zzzt": no language writes like that
    return len(words) >= 2 or (bool(_OTHER_LETTERS.search(text)) and len(text.strip()) >= 4)
