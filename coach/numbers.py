"""Baseline and target in ordinary phrasing, filed against the right measure.

The conversation engine calls one function when a person answers the baseline/target question::

    from coach.numbers import parse_numbers
    ans = parse_numbers("About 62% renew at full price today; we want 75% by next year",
                        measures=chain.measures, asked=0)
    ans.baseline.text   -> "62%"        ans.baseline.value -> 62.0   ans.baseline.unit -> "%"
    ans.target.text     -> "75%"        ans.by_when        -> "next year"
    ans.measure         -> 0            the index in `measures` the numbers belong to (named, or the asked one)
    ans.named           -> False        True when the text itself named that measure
    ans.ambiguous       -> ()           several measures named and none asked about: ask which one
    ans.direction       -> "increase"   the change the numbers describe (None when it cannot tell)
    ans.direction_conflict -> False     True when that change goes against the measure's direction
    ans.baseline_unknown / ans.target_unknown   "no idea", "we don't have a target yet"
    ans.found           -> True         False when the text holds no number, date or "unknown" at all

What it reads: "about 62% today, want 75% by next year", "we're at 40 a month, want 70 by December",
"currently 3 days, aim for 1 by Q3", "from 40 to 70 by December", "12 → 5 days", "halve it by June",
"cut it by 20% within 6 months", "no idea", "baseline unknown, target 90%", spelled numbers ("sixty two
percent"), money ("£1.2m"), scores ("3.8 out of 5"), rates ("40 tickets a month").

Rules it keeps: a unit is never taken from a preposition or a date word ("70 by December" has no unit "by");
the deadline is returned without its preposition (so "by {by_when}" reads right); a lone number fills what
was asked (`expect`, the baseline by default) or the slot still empty; numbers naming a window inside the
measure ("within 7 days") are not mistaken for a deadline when a real deadline is given.

`example_answer(measure)` gives an example reply whose numbers move in the measure's direction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coach.domain import Direction, Measure
from coach.quantities import (
    Found,
    Quantity,
    find_deadline,
    find_quantities,
    find_ranges,
    normalise,
    with_unit,
)
from coach.retrieval import tokens

Slot = Literal["baseline", "target"]
__all__ = ["NumbersAnswer", "Quantity", "Slot", "example_answer", "parse_numbers"]


@dataclass(frozen=True)
class NumbersAnswer:
    baseline: Quantity | None = None
    target: Quantity | None = None
    by_when: str | None = None
    baseline_unknown: bool = False
    target_unknown: bool = False
    measure: int | None = None
    named: bool = False
    ambiguous: tuple[int, ...] = ()
    direction: Direction | None = None
    direction_conflict: bool = False

    @property
    def found(self) -> bool:
        return bool(self.baseline or self.target or self.by_when or self.baseline_unknown or self.target_unknown)


_UNKNOWN = re.compile(
    r"\b(?:unknown|don'?t know|dunno|do not know|not sure|unsure|no idea|no clue|no baseline|no target|"
    r"no data|nobody knows|no one knows|(?:don'?t|do not|doesn'?t|does not) (?:measure|track|have|collect|record)|haven'?t (?:got|set|measured|decided)|have not (?:got|set|measured|decided)|"
    r"not (?:measured|tracked|set|decided)|n/?a|tbc|tbd|to be (?:decided|confirmed)|can'?t say|cannot say)\b",
    re.IGNORECASE,
)
_TARGET_WORD = re.compile(r"\b(?:target|goal|aim|ambition|where (?:we|to) (?:want|go))\b", re.IGNORECASE)
_BASE_WORD = re.compile(r"\b(?:baseline|today|currently|current|now|starting point|where we are)\b", re.IGNORECASE)

_FROM_TO = re.compile(r"\bfrom\s+(?:about\s+|around\s+|roughly\s+|~\s?)?(?P<a>[£$€]?\d[^\s]*)", re.IGNORECASE)
_BASE_BEFORE = re.compile(
    r"(?:baseline|currently|current(?:\s+(?:value|rate|level|figure))?|today(?:'s)?|right now|now|at the moment|"
    r"at the minute|at present|presently|we'?re at|we are at|we'?re on|we are on|it'?s at|it is at|it'?s|it is|"
    r"stands? at|sits? at|running at|sitting at|hovering around|was|were|last (?:year|quarter|month|term)|"
    r"this (?:year|quarter|month)|so far|on average|averages?|starting point|start(?:ing)? from|started at|"
    r"is|are|has|have|had|get|gets|takes?|took|see|saw|with)"
    r"(?:\s+(?:is|of|at|about|around|roughly|approximately|nearly|almost|just (?:over|under)|some|only|"
    r"maybe|probably|likely|an? average of|somewhere near))*\s*[:=]?\s*$",
    re.IGNORECASE,
)
_BASE_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,4}?(?:today|now|right now|currently|at the moment|at the minute|at present|this year|"
    r"last year|this quarter|last quarter|so far|these days|as things stand|on average)\b",
    re.IGNORECASE,
)
_TARGET_BEFORE = re.compile(
    r"(?:target(?:ing)?|aim(?:ing)?(?:\s+(?:for|at|to (?:get|reach|hit|be at)))?|goal|ambition|want(?:s|ing)?|"
    r"would like|'d like|hope|hoping|expect|plan(?:ning)?|like it|need(?:s)?|should be|to be|"
    r"get(?:ting)?(?:\s+(?:it|that|this|them))?(?:\s+(?:up|down|back))?\s+to|"
    r"bring(?:ing)?(?:\s+(?:it|that|this|them))?(?:\s+(?:up|down|back))?\s+to|"
    r"(?:raise|lift|increase|grow|push|cut|reduce|lower|drop|decrease)(?:\s+(?:it|that|this|them))?\s+to|"
    r"reach|hit|achieve|make it|under|below|less than|fewer than|above|over|more than|at least|at most|"
    r"no more than|no less than|down to|up to)"
    r"(?:\s+(?:is|of|at|about|around|roughly|it|to|be|reach|hit|get to|see|a|an|under|below|above|over|"
    r"at least|at most|closer to|nearer))*\s*[:=]?\s*$",
    re.IGNORECASE,
)
_RELATIVE_BEFORE = re.compile(
    r"(?P<verb>raise|lift|increase|grow|improve|boost|push up|cut|reduce|lower|drop|decrease|shrink|bring down|"
    r"bring (?:it|that|this) down|get (?:it|that|this) down|get (?:it|that|this) up|up|down)"
    r"(?:\s+(?:it|that|this|them))?\s+by\s*$",
    re.IGNORECASE,
)
_HALVE = re.compile(r"\b(?P<w>halved?|cut (?:it |that |this )?in half|doubled?|tripled?)\b", re.IGNORECASE)
_DOWNWARD = re.compile(r"(?:under|below|less than|fewer than|at most|no more than|down to)\W*$", re.IGNORECASE)
_UPWARD = re.compile(r"(?:above|over|more than|at least|no less than|up to)\W*$", re.IGNORECASE)
_DOWN_VERBS = {"cut", "reduce", "lower", "drop", "decrease", "shrink", "down"}

_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "fifth": 4}
_ORDINAL_REF = re.compile(
    r"\b(?P<o>first|1st|second|2nd|third|3rd|fourth|fifth|last)\s+(?:one|measure|metric|indicator)\b", re.IGNORECASE
)
_KIND_REF = re.compile(r"\b(?P<k>leading|lagging)\s+(?:one|measure|metric|indicator)\b", re.IGNORECASE)
_GENERIC_NAME_WORDS = frozenset(
    tokens("rate share percentage number score time level average per of who the total year month week day")
)  # time words come with deadlines ("by next year"): they never name a measure


# ----- the parser ---------------------------------------------------------------------------------------
def _unknowns(text: str) -> tuple[bool, bool]:
    base = target = False
    for clause in re.split(r"[.;,!?]|\bbut\b|\band\b|\bhowever\b", text, flags=re.IGNORECASE):
        if not _UNKNOWN.search(clause):
            continue
        if re.search(r"\bno target\b", clause, re.IGNORECASE) or (
            _TARGET_WORD.search(clause) and not _BASE_WORD.search(clause)
        ):
            target = True
        else:
            base = True
    return base, target


def _relative(text: str, f: Found) -> Quantity | None:
    m = _RELATIVE_BEFORE.search(text[: f.start])
    if not m:
        return None
    verb = m.group("verb").lower().split()
    sign = -1 if (set(verb) & _DOWN_VERBS) else 1
    word = "lower" if sign < 0 else "higher"
    return Quantity(f.q.value, f.q.unit, f"{f.q.text} {word}", relative=True, sign=sign)


def _cue(text: str, f: Found) -> Slot | None:
    before = text[max(0, f.start - 48) : f.start]
    before = re.split(r"[.;!?]|,\s*(?=\w)", before)[-1]
    after = re.split(r"[.;,!?]", text[f.end : f.end + 40])[0]
    if _TARGET_BEFORE.search(before):
        return "target"
    if _BASE_BEFORE.search(before) or _BASE_AFTER.search(after):
        return "baseline"
    return None


def parse_numbers(
    text: str, measures: Sequence[Measure] = (), asked: int | None = None, expect: Slot = "baseline"
) -> NumbersAnswer:
    """Read baseline, target, deadline and 'unknown' from a reply; see the module docstring."""
    t = normalise(text)
    base_unknown, target_unknown = _unknowns(t)
    when, rest = find_deadline(t)
    baseline: Quantity | None = None
    target: Quantity | None = None
    found = find_ranges(rest, find_quantities(rest))
    # "from A to B"
    m = _FROM_TO.search(rest)
    if m:
        first = next((f for f in found if f.start >= m.start("a") - 1 and f.start <= m.end("a")), None)
        second = next((f for f in found if first is not None and f.start > first.end), None)
        if first is not None and second is not None and re.match(r"^\W*to\W*$", rest[first.end : second.start]):
            baseline, target = first.q, second.q
            found = [f for f in found if f is not first and f is not second]
    loose: list[Found] = []
    for f in found:
        rel = _relative(rest, f)
        if rel is not None and target is None:
            target = rel
            continue
        cue = _cue(rest, f)
        if cue == "target" and target is None:
            target = f.q
        elif cue == "baseline" and baseline is None:
            baseline = f.q
        elif cue is None:
            loose.append(f)
    if target is None:
        h = _HALVE.search(rest)
        if h:
            w = h.group("w").lower()
            factor, sign = (0.5, -1) if "hal" in w else ((2.0, 1) if w.startswith("double") else (3.0, 1))
            target = Quantity(
                factor, "×", {0.5: "half of today", 2.0: "double today", 3.0: "three times today"}[factor], True, sign
            )
    dated = when is not None and len(loose) == 1 and baseline is None and target is None
    for f in loose:
        if dated:  # "5 days by June", "70% by December": one value with a deadline is where they want to be
            target = f.q
        elif baseline is None and (expect == "baseline" or target is not None):
            baseline = f.q
        elif target is None:
            target = f.q
    if baseline is not None:
        base_unknown = False
    if target is not None:
        target_unknown = False
    if baseline and target and not baseline.unit and target.unit and not target.relative:
        baseline = Quantity(baseline.value, target.unit, with_unit(baseline.text, target.unit))
    if baseline and target and baseline.unit and not target.unit and not target.relative:
        target = Quantity(target.value, baseline.unit, with_unit(target.text, baseline.unit))
    index, named, ambiguous = _which_measure(text, measures, asked)
    direction = _direction(baseline, target, rest)
    conflict = bool(
        direction and index is not None and index < len(measures) and measures[index].direction != direction
    )
    return NumbersAnswer(
        baseline=baseline,
        target=target,
        by_when=when,
        baseline_unknown=base_unknown,
        target_unknown=target_unknown,
        measure=index,
        named=named,
        ambiguous=ambiguous,
        direction=direction,
        direction_conflict=conflict,
    )


def _direction(baseline: Quantity | None, target: Quantity | None, text: str) -> Direction | None:
    if target is None:
        return None
    if target.relative:
        return "increase" if target.sign > 0 else "decrease"
    if baseline is not None and not baseline.relative and baseline.value != target.value:
        return "increase" if target.value > baseline.value else "decrease"
    idx = text.find(target.text)
    before = text[:idx] if idx >= 0 else ""
    if _DOWNWARD.search(before):
        return "decrease"
    if _UPWARD.search(before):
        return "increase"
    return None


def _which_measure(
    text: str, measures: Sequence[Measure], asked: int | None
) -> tuple[int | None, bool, tuple[int, ...]]:
    """The measure the text names (by name, keyword, 'the second one' or 'the lagging one'), else the asked one."""
    if not measures:
        return asked, False, ()
    o = _ORDINAL_REF.search(text)
    if o:
        word = o.group("o").lower()
        i = len(measures) - 1 if word == "last" else _ORDINALS[word]
        if i < len(measures):
            return i, True, ()
    k = _KIND_REF.search(text)
    if k:
        of_kind = [i for i, m in enumerate(measures) if m.kind == k.group("k").lower()]
        if len(of_kind) == 1:
            return of_kind[0], True, ()
    words = set(tokens(text))
    names = [
        list(dict.fromkeys(w for w in tokens(m.rendered().name) if w not in _GENERIC_NAME_WORDS)) for m in measures
    ]
    shared = set.intersection(*(set(n) for n in names)) if len(names) > 1 else set()
    scores: list[float] = []
    for m, all_words in zip(measures, names, strict=True):
        name = [w for w in all_words if w not in shared] or all_words
        hits = sum(w in words for w in name)
        score = hits / len(name) if name else 0.0
        if hits >= 2:  # two distinctive words of a long name ("maths ... standard") name it too
            score = max(score, 0.5)
        for kw in m.keywords:
            kw_tokens = tokens(kw)
            if kw_tokens and all(w in words for w in kw_tokens):
                score = max(score, 0.8 if len(kw_tokens) > 1 else 0.6)
        scores.append(score)
    best = max(scores)
    if best >= 0.5:
        top = tuple(i for i, s in enumerate(scores) if s >= best - 1e-9)
        if len(top) == 1:
            return top[0], True, ()
        if asked in top:
            return asked, True, ()
        return None, False, top
    return asked, False, ()


def example_answer(measure: Measure) -> str:
    """An example reply whose numbers move the way the measure should (higher or lower is better)."""
    unit = measure.unit.lower()
    up = measure.direction == "increase"
    if "percent" in unit or unit.strip() == "%":
        a, b, u = ("40%", "55%", "") if up else ("40%", "25%", "")
    elif "day" in unit:
        a, b, u = ("6", "9", " days") if up else ("12", "5", " days")
    elif "hour" in unit:
        a, b, u = ("6", "9", " hours") if up else ("10", "4", " hours")
    elif "minute" in unit:
        a, b, u = ("20", "30", " minutes") if up else ("20", "8", " minutes")
    elif "score" in unit or "scale" in unit or "rating" in unit:
        a, b, u = ("3.4", "4.0", "") if up else ("3.4", "2.5", "")
    else:
        a, b, u = ("40", "55", "") if up else ("40", "25", "")
    return f"about {a}{u} today, want {b}{u} by June"
