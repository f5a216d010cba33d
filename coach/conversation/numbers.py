"""Baseline and target numbers in a reply ("baseline 40%, target 25% by June", "from 12 to 6 days by Q3",
"unknown"). The conversation reads them through `read_numbers`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A unit must end at a word boundary: "900 within" is 900, not "900 wit".
_NUM = r"[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s*(?:%|percent|pp|days?|hours?|hrs?|minutes?|mins?|weeks?|months?|years?|k|m|bn|[a-z£$€]{1,3})(?![a-z]))?"
_UNKNOWN = re.compile(
    r"\b(?:unknown|don'?t know|do not know|not sure|no idea|no baseline|no data|nobody knows|n/?a)\b", re.I
)
_FROM_TO = re.compile(rf"\bfrom\s+(?:about\s+|around\s+)?({_NUM})\s+to\s+({_NUM})", re.I)
_BASE = re.compile(
    rf"\b(?:baseline|currently|today|now|at the moment|it'?s|it is|we are at|we're at)\s*(?:is|of|:|=|at|about|around)?\s*({_NUM})",
    re.I,
)
_TARGET = re.compile(
    rf"\b(?:target|aim(?:ing)?(?: for)?|goal|get (?:it )?to|reach|want(?: it)?(?: to be)?)\s*(?:is|of|:|=|at|for|to)?\s*({_NUM})",
    re.I,
)
_WHEN = re.compile(
    r"\b(?:by|before|within|in)\s+((?:the\s+)?(?:end of\s+)?(?:q[1-4](?:\s*\d{4})?|\d{4}|next\s+\w+|january|february|march|april|may|june|july|august|september|october|november|december|\d+\s+(?:days?|weeks?|months?|years?))(?:\s+\d{4})?)",
    re.I,
)


@dataclass
class BaselineAnswer:
    baseline: str | None
    target: str | None
    when: str | None
    unknown: bool


def parse_baseline(text: str) -> BaselineAnswer | None:
    """Read 'baseline 40%, target 25% by June', 'from 12 to 6 days by Q3' or 'unknown'. None if neither."""
    unknown = bool(_UNKNOWN.search(text))
    base = target = None
    m = _FROM_TO.search(text)
    if m:
        base, target = m.group(1).strip(), m.group(2).strip()
    else:
        mb, mt = _BASE.search(text), _TARGET.search(text)
        base = mb.group(1).strip() if mb else None
        target = mt.group(1).strip() if mt else None
    w = _WHEN.search(text)
    when = w.group(1).strip() if w else None
    if not (unknown or base or target):
        return None
    return BaselineAnswer(base, target, when, unknown)


_ANY = re.compile(_NUM, re.I)


def read_numbers(text: str, asked: str = "baseline") -> BaselineAnswer | None:
    """Baseline, target and date in `text`; a lone number answers the question asked (`baseline`/`target`)."""
    found = parse_baseline(text)
    if found is not None:
        return found
    m = _ANY.search(re.sub(r"\b(?:by|in|before)\s+(?:q[1-4]|\d{4})\b", "", text, flags=re.I))
    if not m:
        return None
    value = m.group(0).strip()
    w = _WHEN.search(text)
    when = w.group(1).strip() if w else None
    if asked == "target":
        return BaselineAnswer(None, value, when, False)
    return BaselineAnswer(value, None, when, False)
