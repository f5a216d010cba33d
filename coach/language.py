"""Is a statement in a language the cues can read? `LanguageGuard` flags statements in a language other than
English: a cheap check runs on every statement (letters outside ASCII, function words of other languages, how many
words the model has seen); only when it is in doubt does the language identifier (lingua, offline, low-accuracy
mode, a fixed set of languages) run. `language_name` names a language for the person ('German' for 'de')."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from coach.screen import _WORD, COMMAND, PLACEHOLDER, SMALL_TALK

log = logging.getLogger(__name__)

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
