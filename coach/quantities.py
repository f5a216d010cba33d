"""Quantities and deadlines in ordinary phrasing: the lexical layer under `coach.numbers`.

`normalise` spells numbers as digits ("sixty two percent" → "62 percent"), `find_deadline` takes the
deadline out ("by next year" → "next year"), `find_quantities` reads each number with its unit and rate
("40 tickets a month", "£1.2m", "3.8 out of 5", "1 in 5"); a unit is never a preposition or a date word.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from text_to_num import alpha2digit


@dataclass(frozen=True)
class Quantity:
    """A number as the person gave it: its value, its unit (None if they gave none) and their words."""

    value: float
    unit: str | None
    text: str
    relative: bool = False  # a change ("by 20%", "halve it"), not a level
    sign: int = 0  # for a relative change: +1 up, -1 down


# ----- normalising --------------------------------------------------------------------------------------
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_PERIOD = r"(?:day|week|fortnight|month|quarter|year|term|semester|season|shift|sprint|release)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_DEADLINE = re.compile(
    r"\b(?:(?:by|before|until|till|no later than|for)\s+)?"
    r"(?P<when>(?:the\s+)?(?:(?:end|start|middle|beginning) of\s+(?:the\s+)?)?"
    rf"(?:(?:next|this|the next|the coming)\s+(?:financial\s+|school\s+|academic\s+)?(?:{_PERIOD}|{_SEASON})"
    rf"|(?:q[1-4]|h[12]|fy\s?\d{{2,4}})(?:\s*(?:of\s+)?(?:\d{{4}}|'?\d{{2}})\b)?"
    rf"|(?:(?:next|this|early|mid|late)[- ]\s*)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\b(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{{4}}\b)?"
    rf"|{_SEASON}(?:\s+\d{{4}})?"
    r"|(?:19|20)\d{2}(?:/\d{2})?"
    r"|(?:school|financial|academic|calendar|tax)\s+year|year[- ]end|the year|the quarter|the month))",
    re.IGNORECASE,
)
_WITHIN = re.compile(
    r"\b(?:in|within|over)\s+(?:the\s+next\s+)?(?P<n>\d+|a|an|one|two|three|six|twelve|eighteen)\s+"
    r"(?P<u>weeks?|months?|years?|quarters?)\b",
    re.IGNORECASE,
)

_NUMBER = (
    r"(?P<cur>[£$€])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s?(?P<mult>k|m|bn|million|thousand|billion)\b)?"
)
_TIME_UNIT = (
    r"(?:(?:working |business |calendar )?(?:days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|weeks?|months?|years?)|ms)"
)
_UNIT = (
    r"(?P<unit>%|\s?(?:percent(?:age points?)?|pp|points?|pts|stars?|times|x\b)"
    r"|\s?out of \d+|\s?/\s?\d+|\s?in \d+(?:[.,]\d+)?\b"
    rf"|\s{_TIME_UNIT}\b"
    r"|\s(?P<noun>[a-z][a-z-]{2,}s)\b)?"
)
_RATE = rf"(?P<rate>\s(?:a|an|per|each|every)\s(?:{_PERIOD}|1,?000\s+[a-z]+|100,?000\s+[a-z]+|[a-z]+))?"
_QUANTITY = re.compile(_NUMBER + _UNIT + _RATE, re.IGNORECASE)

# Words after a number that are never its unit: prepositions, conjunctions, time words, verbs of the cues.
_NOT_UNIT = frozenset(
    [
        "by",
        "to",
        "in",
        "within",
        "before",
        "until",
        "till",
        "from",
        "for",
        "of",
        "on",
        "at",
        "and",
        "or",
        "but",
        "so",
        "then",
        "now",
        "today",
        "currently",
        "this",
        "next",
        "last",
        "the",
        "a",
        "an",
        "per",
        "each",
        "every",
        "is",
        "are",
        "was",
        "were",
        "as",
        "than",
        "with",
        "without",
        "about",
        "around",
        "roughly",
        "nearly",
        "almost",
        "over",
        "under",
        "above",
        "below",
        "less",
        "more",
        "fewer",
        "tops",
        "max",
        "maximum",
        "minimum",
        "least",
        "most",
        "yet",
        "please",
        "thanks",
        "its",
        "it's",
    ]
) | frozenset(_MONTHS.split("|"))
_NOT_UNIT_NOUNS = frozenset(
    ["thanks", "yes", "years", "months", "weeks", "days", "hours", "minutes", "seconds", "this", "these", "those"]
)


_SMALL_VALUES = {"one": "1", "two": "2", "three": "3", "zero": "0", "none": "0"}
_SMALL = re.compile(
    r"(?:(?P<cue>\b(?:for|at|is|be|target|aim|baseline|want|from|to|about|around|currently|now|today|reach|hit)\s)"
    r"(?P<a>one|two|three|zero)\b(?!\s+(?:of|in\s+(?!\d)))"
    r"|\b(?P<b>one|two|three|zero)\b(?=\s+(?:(?:working |business )?(?:days?|hours?|weeks?|months?|years?|minutes?)|"
    r"percent|%|in \d|out of \d)))",
    re.IGNORECASE,
)


_FRACTION_VALUES = {
    "half": "50%",
    "a half": "50%",
    "a third": "33%",
    "one third": "33%",
    "two thirds": "67%",
    "a quarter": "25%",
    "one quarter": "25%",
    "three quarters": "75%",
}
_FRACTION = re.compile(
    r"\b(?P<cue>wants?|to|for|at|about|around|roughly|nearly|almost|over|under|reach|hit|is|are|be|now|today|"
    r"currently|only|just)\s+(?P<f>a half|half|a third|one third|two thirds|a quarter|one quarter|three quarters)\b"
    r"(?!\s+(?:an?\s+)?(?:hours?|days?|weeks?|months?|years?|miles?|points?|times?)\b)",
    re.IGNORECASE,
)

_FRACTION_BY = re.compile(  # "…, two thirds by 2027": a share with a deadline
    r"(?<![\w-])(?P<f>a half|half|a third|one third|two thirds|a quarter|one quarter|three quarters)(?=\s+by\b)",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    t = text.replace("’", "'").replace("–", "-").replace("—", "-")
    # "we want half by next summer", "about a third now": a share where a number is expected
    t = _FRACTION.sub(lambda m: f"{m.group('cue')} {_FRACTION_VALUES[m.group('f').lower()]}", t)
    t = _FRACTION_BY.sub(lambda m: _FRACTION_VALUES[m.group("f").lower()], t)
    t = re.sub(r"\s*(?:→|->|=>|⇒)\s*", " to ", t)
    t = re.sub(r"\bper\s*cent\b", "percent", t, flags=re.IGNORECASE)
    t = re.sub(r"\b(no|any|some|every) one\b", r"\1body", t, flags=re.IGNORECASE)
    t = re.sub(r"(\d)\s*-\s*(?=\d)", r"\1 to ", t) if re.search(r"\bfrom\s+\d", t, re.IGNORECASE) else t
    with contextlib.suppress(Exception):  # the converter is a convenience: digits still parse without it
        t = alpha2digit(t, "en")  # numbers above three, and every number in a group ("twenty one")
    # "one", "two", "three" alone are numbers only where a number is expected ("aim for one", "three days")
    return _SMALL.sub(lambda m: (m.group("cue") or "") + _SMALL_VALUES[(m.group("a") or m.group("b")).lower()], t)


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


# ----- quantities ---------------------------------------------------------------------------------------
@dataclass
class Found:
    q: Quantity
    start: int
    end: int


def _value(m: re.Match[str]) -> float:
    v = float(m.group("num").replace(",", ""))
    mult = (m.group("mult") or "").lower()
    return v * {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}.get(mult, 1.0)


def find_quantities(text: str) -> list[Found]:
    out: list[Found] = []
    for m in _QUANTITY.finditer(text):
        start, end = (m.start("cur") if m.group("cur") else m.start("num")), m.end()
        unit = (m.group("unit") or "").strip()
        noun = m.group("noun")
        if noun and (noun.lower() in _NOT_UNIT or noun.lower() in _NOT_UNIT_NOUNS):
            unit, end = "", m.start("unit")
        rate = (m.group("rate") or "").strip()
        if rate and rate.split()[-1].lower() in _NOT_UNIT:
            rate = ""
        if rate and not unit and m.group("unit"):
            rate = ""
        if rate:
            end = m.end("rate")
        elif m.group("rate"):
            end = m.end("unit") if unit else (m.end("mult") if m.group("mult") else m.end("num"))
        cur = m.group("cur") or ""
        unit_text = " ".join(x for x in (unit.lower() if unit not in ("%",) else "%", rate.lower()) if x)
        if unit_text in ("percent",):
            unit_text = "%"
        if cur:
            unit_text = cur + (f" {unit_text}" if unit_text else "")
        words = re.sub(r"\s+", " ", text[start:end].strip())
        value = _value(m)
        ratio = re.match(r"in (\d+(?:[.,]\d+)?)$", unit)
        if ratio and float(ratio.group(1).replace(",", ".")) > 0:
            value = value / float(ratio.group(1).replace(",", "."))
        out.append(Found(Quantity(value, unit_text or None, words), start, end))
    return out


def find_ranges(text: str, found: list[Found]) -> list[Found]:
    """'between 30 and 40%' is one quantity (the midpoint, written as a range), not a baseline and a target."""
    out: list[Found] = []
    i = 0
    while i < len(found):
        f = found[i]
        g = found[i + 1] if i + 1 < len(found) else None
        if (
            g is not None
            and re.search(r"\bbetween\s+$", text[max(0, f.start - 9) : f.start], re.IGNORECASE)
            and (re.fullmatch(r"\s+and\s+", text[f.end : g.start]))
        ):
            unit = g.q.unit or f.q.unit
            low = f.q.text.rstrip("%")
            q = Quantity((f.q.value + g.q.value) / 2, unit, f"{low}–{g.q.text}")
            out.append(Found(q, f.start, g.end))
            i += 2
            continue
        out.append(f)
        i += 1
    return out


def find_deadline(text: str) -> tuple[str | None, str]:
    """The deadline without its preposition, and the text with the deadline blanked out."""
    best: re.Match[str] | None = None
    for m in _DEADLINE.finditer(text):
        explicit = m.group(0).lower().split()[0] in ("by", "before", "until", "till", "no", "for")
        if explicit or best is None:
            best = m
            if explicit:
                break
    if best is not None:
        when = re.sub(r"\s+", " ", best.group("when").strip())
        return when, blank(text, best.start(), best.end())
    within = list(_WITHIN.finditer(text))
    if within:
        m = within[-1]
        n = m.group("n").lower()
        n = "1" if n in ("a", "an", "one") else n
        return f"{n} {m.group('u').lower()} from now", blank(text, m.start(), m.end())
    return None, text


def with_unit(text: str, unit: str) -> str:
    if re.fullmatch(r"0*1(?:\.0+)?", text) and re.match(r"(?:working |business |calendar )?\w+s\b", unit):
        first, _, rest = unit.partition(" ")
        unit = (
            f"{first[:-1]} {rest}".strip()
            if first not in ("working", "business", "calendar")
            else (f"{first} {rest.split()[0][:-1]} {' '.join(rest.split()[1:])}".strip())
        )
    if unit == "%":
        return f"{text}%"
    if unit.startswith(("£", "$", "€")):
        sym, _, rest = unit.partition(" ")
        return f"{sym}{text}" + (f" {rest}" if rest else "")
    return f"{text} {unit}"
