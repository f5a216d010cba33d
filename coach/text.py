"""Input hygiene shared by every channel: clear errors for empty, oversized or garbled text."""

from __future__ import annotations

import re
import unicodedata

from coach.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")

MAX_STATEMENT = 2_000
MAX_MESSAGE = 10_000


def clean(text: object, limit: int = MAX_MESSAGE, what: str = "text") -> str:
    """NFC-normalise, drop control characters, refuse empty or oversized input with a helpful message."""
    if not isinstance(text, str):
        raise InvalidInput(f"The {what} must be a string.", "Send plain text, e.g. 'We closed 500 incident records'.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"The {what} is not valid Unicode: it holds a lone surrogate at character {exc.start + 1}.",
            "Send the text as valid UTF-8; a surrogate escape (\\ud800) is only valid as half of a pair.",
        ) from None
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidInput(
            f"The {what} is empty.", "Type a statement about your work, e.g. 'We ran 14 workshops this quarter'."
        )
    if len(text) > limit:
        raise InvalidInput(
            f"The {what} is too long ({len(text):,} characters; the limit is {limit:,}).",
            "Send a shorter message, or split it into several.",
        )
    return text


def normalise(text: str) -> str:
    """The key under which identical statements meet (case, spacing and Unicode forms folded)."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())
