"""Wording a good coach would use: the person's words turned to the second person correctly, fillers stripped,
outcomes confirmed as a state or a change (not a "should"), the kind of work recognised by whole words."""

from __future__ import annotations

import re
from collections.abc import Callable

_FILLER_WORDS = [
    "well",
    "oh",
    "oh and",
    "and also",
    "also",
    "plus",
    "btw",
    "by the way",
    "separately",
    "other than that",
    "um+",
    "uh+",
    "er+m*",
    "hmm+",
    "so",
    "so that",
    "so then",
    "that way",
    "then",
    "ok(?:ay)?",
    "yeah",
    "yes",
    "yep",
    "right",
    "actually",
    "honestly",
    "tbh",
    "to be honest",
    "basically",
    "i think",
    "i guess",
    "i suppose",
    "i mean",
    "i'?d say",
    "probably",
    "hopefully",
    "ideally",
    "and",
    "and so",
    "and then",
    "and that means",
    "that means",
    "this means",
    "it means",
    "it would mean",
    "which means",
    "which would mean",
    "meaning",
    "the idea is(?: that)?",
    "the goal is(?: that)?",
    "the aim is(?: that)?",
    "the point is(?: that)?",
    "in the end",
    "in order to",
    "in order that",
    "because",
    "cos",
    "cause",
    "i hope",
    "we hope",
    "we want(?: to see)?",
    "we'd like(?: to see)?",
    "we would like(?: to see)?",
    "it'?s so",
    "so (?:that )?(?:hopefully|eventually|then)",
    "lol",
    "haha",
    "and then",
    "and so",
    "so in the end",
]
# Longest first, so "so that" is taken before "so".
_FILLERS = re.compile(r"^\s*(?:" + "|".join(sorted(_FILLER_WORDS, key=len, reverse=True)) + r")\b[\s,.;:!-]*", re.I)
_MODAL = re.compile(
    r"\b([\w'-]+)(?P<adv>\s+(?:abroad|overseas|too|also|now|then|there|here|still|already|soon|finally|eventually|"
    r"really|locally|online|again|themselves|\w+ly))?"
    r"\s+(?:should|would|will|could|can|might|must|shall)\s+(?:be able to\s+|now\s+|actually\s+|also\s+)?"
    r"(\w+)",
    re.I,
)
_PLURAL_WORDS = {
    "they",
    "we",
    "you",
    "i",
    "people",
    "staff",
    "children",
    "police",
    "everyone",
    "teams",
    "both",
    "all",
    "more",
    "fewer",
    "many",
    "most",
    "men",
    "women",
    "folk",
    "cattle",
    "data",
    "personnel",
}
_SINGULAR_PRONOUNS = {"it", "this", "that", "he", "she", "everybody", "nobody", "someone", "everyone", "each"}
_TRAILING = re.compile(
    r"[\s,.;:!?-]*(?:i guess|i think|i hope|hopefully|tbh|lol|haha|maybe|probably)?[\s,.;:!?-]*$", re.I
)
_INFINITIVE = {
    "reduce": "fewer",
    "cut": "fewer",
    "lower": "lower",
    "increase": "more",
    "improve": "better",
    "raise": "higher",
    "boost": "more",
}

# Second person: each word of the person's own voice, whole words only.
_SWAPS = [
    (r"\bi am\b", "you are"),
    (r"\bi'm\b", "you're"),
    (r"\bi've\b", "you've"),
    (r"\bi'd\b", "you'd"),
    (r"\bi'll\b", "you'll"),
    (r"\bi was\b", "you were"),
    (r"\bwe're\b", "you're"),
    (r"\bwe've\b", "you've"),
    (r"\bwe'd\b", "you'd"),
    (r"\bwe'll\b", "you'll"),
    (r"\bourselves\b", "yourselves"),
    (r"\bmyself\b", "yourself"),
    (r"\bours\b", "yours"),
    (r"\bmine\b", "yours"),
    (r"\bwe\b", "you"),
    (r"\bour\b", "your"),
    (r"\bus\b", "you"),
    (r"\bi\b", "you"),
    (r"\bmy\b", "your"),
    (r"\bme\b", "you"),
]
_SECOND = [(re.compile(p, re.I), r) for p, r in _SWAPS]
_ADDRESSES_COACH = re.compile(r"\byou(?:r|rs|'re|'ve|'d|'ll)?\b", re.I)


def clean_reply(text: str) -> str:
    """A reply without leading fillers, trailing hedges and end punctuation ('Well, I guess so that X.' → 'X')."""
    t = " ".join(text.strip().split())
    for _ in range(4):
        t2 = _FILLERS.sub("", t, count=1)
        if t2 == t:
            break
        t = t2
    t = _TRAILING.sub("", t).strip(" \"'“”‘’")
    t = re.sub(r"\b(we|i|they) also\b", r"\1", t, flags=re.I)
    return t or text.strip()


def second_person(text: str) -> str:
    """'We closed 500 records' → 'you closed 500 records'. Text that already speaks to the coach is left alone."""
    t = " ".join(text.strip().split()).rstrip(".!")
    if _ADDRESSES_COACH.search(t):
        return t
    for pattern, rep in _SECOND:
        t = pattern.sub(_swap(rep), t)
    return t


def _swap(replacement: str) -> Callable[[re.Match[str]], str]:
    return lambda m: _match_case(m.group(0), replacement)


def _match_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def inline(text: str) -> str:
    """Text to sit inside a sentence: first letter lower-cased unless it starts a name or an acronym."""
    t = text.strip()
    first = t.split(" ", 1)[0] if t else ""
    if not first or first in ("I", "I'm", "I've", "I'd") or first.isupper() or re.search(r"[A-Z]", first[1:]):
        return t
    return t[:1].lower() + t[1:]


def listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    t = text.strip()
    return t[:1].upper() + t[1:] if t else t


def outcome_form(text: str) -> str:
    """An outcome as a state or a change: fillers and modals out, 'we' as 'you', capitalised, no full stop.

    'so that managers should actually give feedback people act on.' → 'Managers give feedback people act on'.
    """
    t = clean_reply(text)
    m = re.match(r"^(?:to\s+)?(reduce|cut|lower|increase|improve|raise|boost)\s+(?:the\s+)?(.+)$", t, re.I)
    if m and not re.match(r"^(?:the|a)\b", t, re.I):
        t = f"{_INFINITIVE[m.group(1).lower()]} {m.group(2)}"
    t = re.sub(r"^to\s+", "", t, flags=re.I)
    t = _MODAL.sub(_present, t)
    t = re.sub(r"\bactually\s+", "", t, flags=re.I)
    t = second_person(t)
    return sentence(t.rstrip(" .!"))


def _plural(subject: str) -> bool:
    w = subject.lower()
    if w in _SINGULAR_PRONOUNS:
        return False
    return w in _PLURAL_WORDS or (w.endswith("s") and not w.endswith("ss"))


def _third_person(verb: str) -> str:
    v = verb.lower()
    if v in ("have",):
        return "has"
    if v in ("do", "go"):
        return verb + "es"
    if re.search(r"(?:s|sh|ch|x|z)$", v):
        return verb + "es"
    if re.search(r"[^aeiou]y$", v):
        return verb[:-1] + "ies"
    return verb + "s"


def _present(m: re.Match[str]) -> str:
    """'managers should give' → 'managers give'; 'the team will get' → 'the team gets'; 'it will be' → 'it is'."""
    subject, verb = m.group(1), m.group(3)
    plural = _plural(subject)
    said = subject + (m.group("adv") or "")  # "researchers abroad can study": the subject is before the adverb
    if verb.lower() == "be":
        return f"{said} {'are' if plural else 'is'}"
    if verb.lower() in ("not", "no", "never"):
        return m.group(0)  # "will not" needs more than a dropped modal: keep the person's wording
    if plural or subject.lower() in ("i", "you", "we", "they") or re.search(r"(?:ed|ing)$", verb.lower()):
        return f"{said} {verb}"
    return f"{said} {_third_person(verb)}"


def quote(text: str, limit: int = 90) -> str:
    """The person's words, short enough to quote once."""
    t = " ".join(text.split()).rstrip(".!")
    if len(t) <= limit:
        return t
    cut = t[:limit].rsplit(" ", 1)[0]
    return cut + "…"
