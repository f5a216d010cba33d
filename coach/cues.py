"""Linguistic cues that separate outputs from outcomes, used as features and to explain a verdict.

Each cue has a name, a direction (which label it points to) and a sentence that quotes the words it matched
(the `q` group of its pattern, else the whole match), so a rationale can name the cue in the person's own words:
"counts people who 'obtained employment' — a change in their status or behaviour, not a service they received".

Outcome cues read only the main clause: a purpose clause ("… with the purpose of reducing obesity", "… so that
fewer patients miss their medication") says why the work is done, not what is committed. Framing prefixes
("KR:", "Key result:") are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from coach.cue_gates import GATES, present
from coach.cue_words import (
    BENEFICIARY,
    CHANGE_PAST,
    CHANGED_STATE,
    CUSTOMER_BEHAVIOUR,
    DELIVERABLE,
    DONE_TO_THINGS,
    FRAMING,
    OUTCOME_NOUNS,
    PRACTICE_VERBS,
    PROD_BASE,
    PROD_PAST,
    PURPOSE,
    RECEIVE,
    STATE_VERBS,
    trie,
)
from coach.domain import Label

_BENEFICIARY = BENEFICIARY  # re-exported: coach/measures.py reads it
# The word lists as tries inside the patterns (same words, much faster to reject).
BENEFICIARY, CHANGE_PAST, CHANGED_STATE, CUSTOMER_BEHAVIOUR, DELIVERABLE, DONE_TO_THINGS = (
    trie(x) for x in (BENEFICIARY, CHANGE_PAST, CHANGED_STATE, CUSTOMER_BEHAVIOUR, DELIVERABLE, DONE_TO_THINGS)
)
OUTCOME_NOUNS, PRACTICE_VERBS, PROD_BASE, PROD_PAST, RECEIVE, STATE_VERBS = (
    trie(x) for x in (OUTCOME_NOUNS, PRACTICE_VERBS, PROD_BASE, PROD_PAST, RECEIVE, STATE_VERBS)
)
_C = re.IGNORECASE
_W = r"[\w'’&/-]+"  # one word
_TEAM = r"(?:we|i|they|you|our team|the team|my team|our|us)\b"
_COUNT = r"(?:(?<![\w%])(?:number|#|no\.|count|total|percent(?:age)?|proportion|share|rate|ratio|fraction)\b|%)"
_PEOPLE_NP = rf"(?:{_W}\s+){{0,3}}?(?:{BENEFICIARY})"
# Decisions taken by others: rules adopted by a body outside the team ("policy adopted by the ministry").
_RULES = (
    r"laws?|legislation|polic(?:y|ies)|regulations?|by-laws?|bylaws?|bills?|ordinances?|standards?|reforms?|"
    r"budgets?|strateg(?:y|ies)|plans?|guidelines|protocols?|rules?|tariffs?|codes?|treaty|treaties|motions?"
)
_DECIDED = r"adopted|passed|approved|enacted|ratified|amended|endorsed"
_DECIDES = r"adopts|passes|approves|enacts|ratifies|amends|endorses|adopt|pass|approve|enact|ratify|amend|endorse"
_DECIDERS = (
    r"ministry|ministries|government|governments|parliament|assembly|assemblies|legislature|council|councils|"
    r"cabinet|senate|congress|municipality|municipalities|regulator|authority|authorities|board"
)
_INSTITUTIONS = (
    r"hospitals?|clinics?|schools?|facilities|firms?|companies|businesses|municipalities|organi[sz]ations|"
    r"agencies|employers?|districts?|cooperatives?|banks?|councils?|ministries|retailers?|suppliers?"
)


@dataclass(frozen=True)
class Cue:
    name: str
    points_to: Label
    pattern: re.Pattern[str]
    template: str  # the reason, with {q} for the quoted words
    main_clause_only: bool = False  # read the text before a purpose clause only (outcome cues)


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _C)


CUES: tuple[Cue, ...] = (
    # ----- outputs ------------------------------------------------------------------------------------------
    Cue(
        "imperative_production",
        "output",
        _p(rf"^\s*(?:to\s+)?(?P<q>(?:{PROD_BASE})\b(?:[^.;,]|(?<=\d)[.,](?=\d)){{0,40}})"),
        "names something to produce or do — '{q}' is an activity or deliverable",
    ),
    Cue(
        "reported_production",
        "output",
        _p(
            rf"\b(?P<q>(?:we|i|the team|our team|they|has|have|had|was|were|been)\s+(?:\w+\s+)?(?:{PROD_PAST})\b(?:[^.;,]|(?<=\d)[.,](?=\d)){{0,40}})"
        ),
        "reports work the team did — '{q}'",
    ),
    Cue(
        "count_of_activity",
        "output",
        _p(
            rf"(?P<q>(?:^|\b)(?:#|no\.|number|count|total|quantity|volume|amount)\s*(?:of\s+)?(?:new\s+)?(?:\w+\s+){{0,2}}"
            rf"(?:{DELIVERABLE}|{PROD_PAST})\b(?:[^.;,]|(?<=\d)[.,](?=\d)){{0,30}})"
        ),
        "counts the team's own activity or deliverables — '{q}'",
    ),
    Cue(
        "more_of_our_output",
        "output",
        _p(
            rf"(?P<q>\b(?:increase|grow|boost|raise|double|expand|lift|more)\b[^.;]{{0,30}}\b(?:number|count|volume|amount|"
            rf"frequency)\s+of\s+(?:\w+\s+){{0,2}}(?:{DELIVERABLE}|outreach|management accounts)\b(?:[^.;,]|(?<=\d)[.,](?=\d)){{0,20}})"
        ),
        "asks for more of what the team produces — '{q}'",
    ),
    Cue(
        "change_by_activity",
        "output",
        _p(
            rf"\b(?:improve|increase|boost|strengthen|enhance|raise|grow|build|drive|promote|support|foster|encourage|"
            rf"deepen|reduce|cut|lower)\w*\b[^.;]{{0,60}}\b(?P<q>(?:by|through)\s+(?:{PROD_BASE}|hold|run|send|post|add|"
            rf"mail|give|roll out)ing\b(?:[^.;,]|(?<=\d)[.,](?=\d)){{0,40}})"
        ),
        "promises a change but commits only to an activity — '{q}'",
    ),
    Cue(
        "people_receiving",
        "output",
        _p(
            rf"(?:^|{_COUNT}\s+(?:and\s+percent(?:age)?\s+)?of\s+|^\s*\d[\d,.]*\s+){_PEOPLE_NP}"
            rf"(?:(?:\s+{_W}){{0,5}}?\s+(?:who|that)\s+(?:have\s+|had\s+|were\s+|are\s+)?|\s+)"
            rf"(?P<q>(?:{RECEIVE})\b(?:\s+{_W}){{0,3}})"
            rf"|(?P<q2>\b(?:received|attended|taken up|accessed) by\s+{_PEOPLE_NP})"
        ),
        "counts people '{q}' — the reach of a service, not a change in them",
    ),
    Cue(
        "things_delivered",
        "output",
        _p(
            rf"^\s*(?:(?:number|#|count|total|km|kilometres|miles|hectares|acres|tonnes|floor area|length|capacity|"
            rf"lane-miles)\s+(?:of\s+)?)?(?!of\b|{_TEAM})(?P<q>(?:(?!(?:{BENEFICIARY}|jobs|revenue|savings|income|sales)\b){_W}\s+){{1,5}}?"
            rf"(?<!\bthat\s)(?<!\bwho\s)(?<!\bwhich\s)(?:{DONE_TO_THINGS}))\b(?!\s+(?:by|to)\s+\d)"
        ),
        "counts things the programme made or handed out — '{q}'",
    ),
    Cue(
        "reach_or_attendance",
        "output",
        _p(
            r"(?P<q>\b(?:attended|attendees|attending|attend (?:our|the team's)|attendance (?:at|of|figures|numbers)|participat(?:ed|ion)|enrol(?:l)?(?:ed|ment)s?|registered|reached(?!\s+time)|served|"
            r"signed up|completion rate|completed (?:the|a|their)\s+\w+|completed\s+(?:[\w-]+\s+){0,2}(?:training|courses?|programmes?|programs?|modules?|workshops?|sessions?|curriculum)|took part|turnout|sessions? delivered|"
            r"people trained|staff trained|were trained|impressions|page views|press mentions|coverage in|"
            r"media coverage|share of voice|followers|open rate|click-through)\b(?:[^.;,]|(?<=\d)[.,](?=\d)){0,30})"
        ),
        "counts reach or participation in the team's own activities — '{q}'",
    ),
    Cue(
        "reaction_to_event",
        "output",
        _p(
            r"(?P<q>\b(?:rated|rating|feedback (?:score|form)s?|enjoyed|found the (?:session|workshop|course|training|"
            r"event))\b[^.;]*\b(?:session|workshop|course|training|event|webinar|class|drop-in)s?\b|\b(?:session|"
            r"workshop|course|training|event|webinar)s?\b[^.;]*\b(?:rated|rating|satisfaction score)\b)"
        ),
        "records people's reaction to an activity — '{q}' — not a change in what they do",
    ),
    Cue(
        "compliance_milestone",
        "output",
        _p(
            r"(?P<q>\b(?:certif(?:ied|ication)|accredit(?:ed|ation)|complian(?:t|ce)|audit(?:s|ed)?|regulat(?:or|ory)|"
            r"statutory|gdpr|sox|iso ?\d+|deadline|contract(?:ed|ual)?|submission|submit(?:ted)?|filing|filed)\b"
            r"(?:[^.;,]|(?<=\d)[.,](?=\d)){0,30})"
        ),
        "is a compliance or contractual milestone — '{q}'",
    ),
    Cue(
        "service_level_commitment",
        "output",
        _p(
            r"(?P<q>\b(?:respond|reply|acknowledge|answer|pick up|call back|turn around|process|handle|pay|paid|"
            r"resolve|assign|triage|contact|first reply)\w*\s+(?:to\s+)?(?:all|every|each|\d+%\s+of)?\s*[^.;]{0,40}"
            r"\b(?:within|in under|under)\s+(?:[^.;,]|(?<=\d)[.,](?=\d)){0,25})"
        ),
        "commits to how fast the team handles its own work — '{q}'",
    ),
    # ----- outcomes -----------------------------------------------------------------------------------------
    Cue(
        "people_changed",
        "outcome",
        _p(
            rf"(?:{_COUNT}\s+(?:and\s+percent(?:age)?\s+)?of\s+|^\s*\d[\d,.]*%?\s+(?:of\s+)?(?:the\s+)?|^\s*){_PEOPLE_NP}"
            rf"(?:\s+{_W}){{0,6}}?\s+(?:who|that|whose)\s+(?:have\s+|had\s+|were\s+able\s+to\s+|are\s+)?"
            rf"(?!(?:{RECEIVE})\b)(?P<q>(?:{CHANGE_PAST})\b(?:\s+{_W}){{1,3}})"
            rf"|^\s*\d[\d,.]*\s+(?:(?:{_W}\s+){{0,2}}?(?:{BENEFICIARY})\s+)?(?P<q2>(?:{CHANGE_PAST})\b(?:\s+{_W}){{1,3}})"
            rf"|\b(?:{BENEFICIARY})\s+(?:who\s+|that\s+)?(?:{RECEIVE}|finished|completed|took|funded by|supported by)\b[^.;]{{0,60}}?\s"
            rf"(?P<q3>(?:are|were|go on to|went on to|now|have since|later|then|are now|were later)\s+(?!(?:{RECEIVE})\b){_W}(?:\s+{_W}){{0,3}})"
        ),
        "counts people who '{q}' — a change in their status or behaviour, not a service they received",
        main_clause_only=True,
    ),
    Cue(
        "people_who",
        "outcome",
        _p(
            rf"(?P<q>(?:%|percent|proportion|share|number and percent|rate)\s+of\s+(?:\w+\s+){{0,2}}(?:{BENEFICIARY})\s+"
            rf"(?:who|that|whose|with|reporting|able)\b(?!\s+(?:{RECEIVE})\b)(?:[^.;,]|(?<=\d)[.,](?=\d)){{0,40}})"
        ),
        "measures how many of the people served changed — '{q}'",
        main_clause_only=True,
    ),
    Cue(
        "practice_adopted",
        "outcome",
        _p(
            rf"^\s*(?:the\s+|our\s+|all\s+|more\s+|most\s+|every\s+|\d[\d,.]*%?\s+(?:of\s+)?)?(?!{_TEAM})(?:{_W}\s+){{0,3}}?"
            rf"(?:{BENEFICIARY})\b(?:\s+(?:who|that|{RECEIVE}|funded by|supported by)\b[^.;]{{0,60}}?)?\s+(?:now\s+|routinely\s+|regularly\s+|"
            rf"consistently\s+|also\s+)?(?P<q>(?:{PRACTICE_VERBS})s?\b(?:\s+{_W}){{1,3}})"
        ),
        "describes what the people served now do — '{q}' is a practice they adopted",
        main_clause_only=True,
    ),
    Cue(
        "beneficiary_change",
        "outcome",
        _p(
            rf"\b(?P<q>(?:{BENEFICIARY})\b(?:\s+\w+){{0,3}}?\s+(?:{STATE_VERBS})\b(?:[^.;,]|(?<=\d)[.,](?=\d)){{0,40}})"
        ),
        "describes a change for the people served — '{q}'",
        main_clause_only=True,
    ),
    Cue(
        "customer_behaviour",
        "outcome",
        _p(
            rf"(?:^|\b(?:{BENEFICIARY})\s+(?:\w+\s+)?)(?P<q>(?:{CUSTOMER_BEHAVIOUR})\b(?:\s+{_W}){{0,3}})"
            rf"|(?P<q2>\b(?:adopted|used|activated|bought|renewed|chosen) by\s+(?:\d[\d,.]*%?\s+of\s+)?(?:{_W}\s+){{0,2}}?"
            rf"(?:{BENEFICIARY}))"
        ),
        "describes what customers do — '{q}' is their behaviour, not the team's work",
        main_clause_only=True,
    ),
    Cue(
        "result_moves",
        "outcome",
        _p(
            rf"(?P<q>\b(?:reduc\w*|decreas\w*|lower\w*|cut\w*|fewer|less|drop\w*|fall\w*|fell|declin\w*|increas\w*|"
            rf"rais\w*|grow\w*|grew|improv\w*|ris\w*|rose|boost\w*|higher|better|shorter|faster|halv\w*)\b[^.;]{{0,40}}"
            rf"\b(?:{OUTCOME_NOUNS})\b|\b(?:{OUTCOME_NOUNS})\b[^.;]{{0,30}}\b(?:reduc\w*|decreas\w*|fell|fall\w*|"
            rf"drop\w*|declin\w*|ris\w*|rose|increas\w*|improv\w*|grew|halv\w*|doubl\w*)\b)"
        ),
        "names a business or mission result moving — '{q}'",
        main_clause_only=True,
    ),
    Cue(
        "decision_by_others",
        "outcome",
        _p(
            rf"\b(?P<q>(?:{_RULES})\b[^.;]{{0,60}}?\b(?:{_DECIDED})\s+(?:or\s+{_W}\s+)?(?:by|in)\s+(?:the\s+)?"
            rf"(?:{_W}\s+){{0,2}}?(?:{_DECIDERS})\b)"
            rf"|\b(?P<q2>(?:{_DECIDERS})\s+(?:{_DECIDES}|{_DECIDED})\s+(?!(?:its|our|my)\b)(?:the\s+|a\s+|an\s+|their\s+|new\s+)?"
            rf"(?:{_W}\s+){{0,3}}?(?:{_RULES})\b)"
            rf"|\b(?P<q3>(?:{_INSTITUTIONS})\s+(?:that|which)\s+(?:have\s+|now\s+)?(?:adopted|adopt)\b(?:\s+{_W}){{1,3}})"
        ),
        "records a decision or practice taken up by others — '{q}' — not the team's own work",
        main_clause_only=True,
    ),
    Cue(
        "short_change_phrase",
        "outcome",
        _p(rf"^\s*(?:an?\s+|the\s+)?(?P<q>(?:{CHANGED_STATE})\s+{_W}(?:\s+{_W})?)(?:\s+{_W}){{0,6}}\s*[.!]?\s*$"),
        "names a changed state in a short phrase — '{q}'",
        main_clause_only=True,
    ),
    Cue(
        "subject_changes",
        "outcome",
        _p(
            r"^(?!(?:we|i|they|you|our team|the team|my team)\b)(?!.*\b(?:number|#|count|no\.|total|volume|amount)\b)"
            r"(?P<q>(?:the\s+|our\s+)?[a-z][\w'’-]*(?:\s+[\w'’-]+){0,6}\s+(?:improves?|improved|improving|falls?|"
            r"fell|rises?|rose|drops?|dropped|declines?|declined|increases?|increased|decreases?|decreased|grows?|"
            r"grew|halves|halved|doubles|doubled|recovers?|recovered|stabilis\w+|stabiliz\w+)\b(?!-))"
        ),
        "says that something in the world moves — '{q}' — not what the team does",
        main_clause_only=True,
    ),
    Cue(
        "state_or_attitude",
        "outcome",
        _p(
            r"(?P<q>\b(?:trust|confident|confidence|safe|safer|healthy|healthier|independent|independently|"
            r"well-?being|thriv\w*|loyal|engaged|empowered|without (?:help|assistance|workarounds|calling|waiting|"
            r"delay)|on their own|self-sufficient|employed|housed|sober|smoke-free|literate|ready for|able to)\b"
            r"(?:[^.;,]|(?<=\d)[.,](?=\d)){0,30})"
        ),
        "describes a state people are in — '{q}' — not work the team does",
        main_clause_only=True,
    ),
)

CUE_NAMES = [c.name for c in CUES]
_FRAMING = _p(FRAMING)
_PURPOSE = _p(rf"[\s,]+(?:{PURPOSE})\b")


@dataclass(frozen=True)
class CueHit:
    name: str
    points_to: Label
    phrase: str  # the person's words the cue matched
    explanation: str  # the reason in one clause, quoting `phrase`


def strip_framing(text: str) -> str:
    """Drop a framing prefix such as 'KR:' or 'Key result 2 —'."""
    m = _FRAMING.match(text)
    return text[m.end() :] if m else text


def main_clause(text: str) -> str:
    """The text before a purpose clause ('… in order to …', '… with the goal of …'), or all of it."""
    m = _PURPOSE.search(text)
    if m and len(text[: m.start()].split()) >= 2:
        return text[: m.start()]
    return text


_TRAILING = re.compile(
    r"^(?:\S+\s+){2,}?(?=(?:within|after|before|by|in|at|for|from|during|over|since|on|with|across|per|through|"
    r"until|under|than)\b)",
    _C,
)


def _quote(m: re.Match[str]) -> str:
    groups = m.groupdict()
    raw = next((v for k, v in groups.items() if k.startswith("q") and v), None) or m.group(0)
    phrase = " ".join(raw.split()).strip(" ,;:")
    cut = _TRAILING.search(phrase)
    if cut:  # "obtained employment within six" → "obtained employment"
        phrase = cut.group(0).rstrip()
    if len(phrase) > 70:
        phrase = phrase[:67].rsplit(" ", 1)[0] + "…"
    return phrase


def find_cues(text: str) -> list[CueHit]:
    body = strip_framing(text)
    main = main_clause(body)
    found = present(body)
    hits: list[CueHit] = []
    for cue in CUES:
        if not found.intersection(GATES[cue.name]):
            continue
        m = cue.pattern.search(main if cue.main_clause_only else body)
        if m:
            phrase = _quote(m)
            if phrase:
                hits.append(CueHit(cue.name, cue.points_to, phrase, cue.template.format(q=phrase)))
    return hits


_DIGIT = re.compile(r"\d")
_PERCENT = re.compile(r"%|\bpercent", _C)
_DEADLINE = re.compile(r"\bby (?:q[1-4]|\d{4}|the end|end of|january|june|december|next)", _C)
N_SHAPE = 5


def cue_vector(text: str, hits: list[CueHit] | None = None) -> np.ndarray:
    """Binary cue features plus a few shape features, in a fixed order (pass `hits` to reuse find_cues)."""
    names = {h.name for h in (find_cues(text) if hits is None else hits)}
    words = text.split()
    shape = [
        1.0 if _DIGIT.search(text) else 0.0,
        1.0 if _PERCENT.search(text) else 0.0,
        min(len(words), 40) / 40.0,
        1.0 if _DEADLINE.search(text) else 0.0,
        1.0 if main_clause(strip_framing(text)) != strip_framing(text) else 0.0,  # has a purpose clause
    ]
    return np.array([1.0 if n in names else 0.0 for n in CUE_NAMES] + shape, dtype=np.float32)


COMMITMENT = re.compile(
    r"\b(?:certif(?:ied|ication)|accredit(?:ed|ation)|complian(?:t|ce)|audit|regulat(?:or|ory|ion)|statutory|"
    r"gdpr|sox|hipaa|iso ?\d+|legal(?:ly)? require\w*|mandatory|contract(?:ed|ual)?|deadline|by law|"
    r"obligat\w*|licen[cs]e renewal|filing|tax return|inspection)\b",
    _C,
)


def commitment_kind(text: str) -> str | None:
    m = COMMITMENT.search(text)
    if not m:
        return None
    word = m.group(0).lower()
    if word.startswith("contract"):
        return "contracted deliverable"
    if word in ("deadline",):
        return "committed deadline"
    return "compliance milestone"
