"""Text for knowledge answers: a guidance section as blocks (paragraphs of sentences, whole lists) and a
question read for what kind of answer it wants (a definition, both sides of a difference, the items of a list,
the steps of a how-to) and for whether it follows up on the previous answer.

Sentences come from a maintained segmenter (`sentencex`, Wikimedia), so initials ("Donald T. Campbell"),
abbreviations ("e.g.", "c. 2016") and decimals never end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import sentencex

from coach.retrieval import tokens

QuestionKind = Literal["definition", "difference", "list", "howto", "why", "when", "example", "other"]

_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_COUNT_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


# ----- sections ---------------------------------------------------------------------------------------------
@dataclass
class Block:
    """A paragraph (its sentences) or a list (its item lines, markers kept)."""

    kind: Literal["para", "list"]
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines) if self.kind == "para" else "\n".join(self.lines)


@dataclass(eq=False)
class Unit:
    """One selectable piece of a section: a sentence of a paragraph, or a whole list."""

    block: int
    pos: int  # order in the section
    text: str
    kind: Literal["sentence", "list"]
    stems: frozenset[str] = field(default_factory=frozenset)
    last_in_block: bool = False


@lru_cache(maxsize=4096)
def sentences(paragraph: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in sentencex.segment("en", paragraph) if s.strip())


def blocks(section_text: str) -> list[Block]:
    """Paragraphs and lists of a section's Markdown (one paragraph per line, list items one per line)."""
    out: list[Block] = []
    for raw in section_text.splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if _ITEM.match(line):
            if out and out[-1].kind == "list":
                out[-1].lines.append(line.strip())
            else:
                out.append(Block("list", [line.strip()]))
        else:
            out.append(Block("para", [line.strip()]))
    return out


def units(section_text: str) -> list[Unit]:
    found: list[Unit] = []
    for b, block in enumerate(blocks(section_text)):
        if block.kind == "list":
            found.append(Unit(b, len(found), block.text, "list", frozenset(tokens(block.text)), True))
            continue
        sents = sentences(block.text)
        for i, s in enumerate(sents):
            found.append(Unit(b, len(found), s, "sentence", frozenset(tokens(s)), i == len(sents) - 1))
    return found


def list_size(unit: Unit) -> int:
    return unit.text.count("\n") + 1 if unit.kind == "list" else 0


def introduces_list(sentence: Unit, following: Unit | None) -> bool:
    """The last sentence of a paragraph that a list follows leads into that list ("… at four levels:")."""
    return (
        following is not None
        and following.kind == "list"
        and sentence.kind == "sentence"
        and sentence.last_in_block
        and following.block == sentence.block + 1
    )


def count_value(word: str) -> int | None:
    w = word.lower()
    return int(w) if w.isdigit() else _COUNT_WORDS.get(w)


# ----- questions --------------------------------------------------------------------------------------------
@dataclass
class Question:
    text: str  # the question as asked, without greetings and politeness
    kind: QuestionKind
    focus: str | None = None  # the term asked about ("a lagging measure")
    sides: tuple[str, str] | None = None  # the two things compared
    count: int | None = None  # "the four levels" → 4

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(tokens(self.text))


_POLITE = re.compile(
    r"^(?:(?:hi|hello|hey|ok(?:ay)?|so|right|quick question|one more thing|sorry)\b[\s,:!.-]*)+"
    r"|^(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:tell me|explain(?: to me)?|remind me|let me know|"
    r"help me understand|i(?:'d| would) like to know|i want to know|do you know|i wonder|i was wondering)\s*"
    r"(?:about\s+)?[,:]?\s*",
    re.I,
)
_ARTICLE = re.compile(r"^(?:a|an|the|this|that|these|those|our|my|your)\s+", re.I)
_TAIL = re.compile(r"[\s?!.,;:]+$")
_DIFF = [
    re.compile(
        r"\b(?:difference|differences|distinction|distinguish)\b.*?\bbetween\s+(.+?)\s+(?:and|vs\.?|versus|or)\s+(.+)$",
        re.I,
    ),
    re.compile(r"\bhow (?:does|do|is|are)\s+(.+?)\s+(?:differ|different)\s+(?:from|to|than)\s+(.+)$", re.I),
    re.compile(r"^(?:what(?:'s| is)\s+)?(.+?)\s+(?:vs\.?|versus)\s+(.+)$", re.I),
    re.compile(r"^(?:how do (?:i|we|you) )?(?:tell|distinguish)\s+(.+?)\s+(?:from|and)\s+(.+?)(?:\s+apart)?$", re.I),
    re.compile(r"^(.+?)\s+(?:and|or)\s+(.+?)\s*[-–—:,]+\s*(?:what'?s|what is) the difference$", re.I),
    re.compile(r"^is\s+(.+?)\s+the same (?:thing )?as\s+(.+)$", re.I),
]
_LIST = re.compile(
    r"\b(?:what|which) are (?:the )?(?:"
    + "|".join(_COUNT_WORDS)
    + r"|\d{1,2})\b|\b(?:list|name|enumerate)\s+(?:the|all)\b"
    r"|\bwhat are (?:the )?(?:main |key |different |common |usual )?(?:types|kinds|levels|stages|parts|elements|"
    r"components|cases|links|principles|criteria|rules|questions|steps|pairs|options|signs|traps|mistakes)\b",
    re.I,
)
_HOWTO = re.compile(
    r"^(?:how (?:do|can|should|would|could|might|to)\b|how (?:i|we) (?:should|can)\b|what(?:'s| is| are) the (?:best )?"
    r"(?:way|steps?|process)\b|walk me through|steps (?:to|for)\b|any tips\b|tips (?:on|for)\b)",
    re.I,
)
_DEFINE = [
    re.compile(r"^(?:what|who)(?:'s|'re| is| are| was| were)\s+(.+)$", re.I),
    re.compile(r"^what does\s+(.+?)\s+(?:mean|stand for|refer to)(?:\s+.*)?$", re.I),
    re.compile(r"^(?:define|definition of|meaning of|what is meant by)\s+(.+)$", re.I),
    re.compile(r"^what\s+(.+?)\s+(?:is|are|means)$", re.I),
]


def clean_question(text: str) -> str:
    q = " ".join(text.replace("’", "'").split())
    prev = None
    while prev != q:
        prev, q = q, _POLITE.sub("", q, count=1).strip()
    return q or text.strip()


def _term(raw: str) -> str:
    t = _TAIL.sub("", raw.strip())
    t = re.sub(r"^(?:exactly|actually|really)\s+", "", t, flags=re.I)
    t = re.sub(r"\s+(?:exactly|actually|really|again|in practice|then)$", "", t, flags=re.I)
    return _ARTICLE.sub("", t).strip()


def read_question(text: str) -> Question:
    """What kind of answer the question wants, and what it is about."""
    q = clean_question(text)
    core = _TAIL.sub("", q)
    low = core.lower()
    count_m = re.search(r"\b(" + "|".join(_COUNT_WORDS) + r"|\d)\s+(?:[\w-]+\s+)?[\w-]+s\b", low)
    count = count_value(count_m.group(1)) if count_m else None
    for pat in _DIFF:
        m = pat.search(core)
        if m:
            a, b = _term(m.group(1)), _term(m.group(2))
            if a and b and len(a) < 80 and len(b) < 80:
                return Question(q, "difference", sides=(a, b), count=count)
    if re.search(r"\b(?:examples?|for instance)\b", low) and not _LIST.search(low):
        return Question(q, "example", focus=_example_focus(core), count=count)
    if _LIST.search(low) or count is not None:
        return Question(q, "list", focus=_define_focus(core), count=count)
    if _HOWTO.search(low):
        return Question(q, "howto", count=count)
    if low.startswith("why"):
        return Question(q, "why")
    if low.startswith("when") or re.match(
        r"^(?:is|are) (?:it|there) (?:ever )?(?:ok|okay|fine|right|acceptable)\b", low
    ):
        return Question(q, "when")
    focus = _define_focus(core)
    if focus:
        return Question(q, "definition", focus=focus)
    return Question(q, "other")


def _define_focus(core: str) -> str | None:
    for pat in _DEFINE:
        m = pat.match(core)
        if m:
            term = _term(m.group(1))
            if term and len(term.split()) <= 8:
                return term
    return None


def _example_focus(core: str) -> str | None:
    m = re.search(r"\bexamples? of\s+(.+)$", core, re.I)
    return _term(m.group(1)) if m else None


# ----- follow-ups -------------------------------------------------------------------------------------------
FollowKind = Literal["example", "more", "why", "other_side", "swap"]

_F_EXAMPLE = re.compile(
    r"^(?:(?:can|could) you\s+)?(?:give|show|got|have)?\s*(?:me\s+|us\s+)?(?:an?\s+|some\s+|another\s+|one\s+more\s+)?"
    r"(?:concrete\s+|real\s+|quick\s+)?(?:examples?|instances?)(?:\s+(?:please|of (?:that|this|it|one)))?$"
    r"|^(?:for example|for instance|e\.?g\.?|like what|such as)$|^(?:what would|what does) (?:that|it|this) look like$",
    re.I,
)
_F_MORE = re.compile(
    r"^(?:tell me more|more|go on|say more|and\??|continue|elaborate|explain more|more detail|more please|"
    r"what else|anything else|keep going|and then|then what|what next)$",
    re.I,
)
_F_WHY = re.compile(r"^(?:why|why so|how so|why is that|why does (?:that|it) matter|why's that|but why)$", re.I)
_F_SWAP = re.compile(r"^(?:and|but|so|what about|how about|and what about|and how about|what of|and for)\s+(.+)$", re.I)
_PRONOUN_ONE = re.compile(r"\b(?:one|ones)\b", re.I)


@dataclass
class FollowUp:
    kind: FollowKind
    term: str | None = None  # for "and the lagging one?": "lagging one"


def read_follow_up(text: str) -> FollowUp | None:
    """A short message that only makes sense after the previous answer ("and the lagging one?", "example?")."""
    q = _TAIL.sub("", clean_question(text)).strip()
    q = re.sub(r"\s*,?\s*please$", "", q, flags=re.I)
    if not q or len(q.split()) > 9:
        return None
    if _F_EXAMPLE.match(q):
        return FollowUp("example")
    if _F_MORE.match(q):
        return FollowUp("more")
    if _F_WHY.match(q):
        return FollowUp("why")
    m = _F_SWAP.match(q)
    if m and len(m.group(1).split()) <= 6:
        term = _term(m.group(1))
        return FollowUp("other_side" if _PRONOUN_ONE.search(term) else "swap", term) if term else None
    return None


def with_head(term: str, previous_focus: str | None) -> str:
    """'lagging one' after 'a leading measure' → 'lagging measure'."""
    if not previous_focus or not _PRONOUN_ONE.search(term):
        return term
    head = previous_focus.split()[-1]
    plural = re.search(r"\bones\b", term, re.I) is not None
    if plural and not head.endswith("s"):
        head += "s"
    return _PRONOUN_ONE.sub(head, term, count=1)
