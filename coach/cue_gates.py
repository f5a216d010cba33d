"""Gates for the cues of `coach/cues.py`: a cue's pattern runs only when the statement holds a word the pattern
cannot match without. Each word of a statement is looked up once (cached) against the first words of the word
lists; the gates change no verdict (tested), they only skip patterns that cannot match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coach import cue_words

_C = re.IGNORECASE


def _alternatives(alternation: str) -> list[str]:
    """Split a regex alternation at its top level ('a|b(?:c|d)|e' → ['a', 'b(?:c|d)', 'e'])."""
    out, depth, cur = [], 0, ""
    for ch in alternation:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [*out, cur]


def _first_words(*alternations: str, stems: bool = False) -> re.Pattern[str]:
    firsts = {re.split(r" (?![^\[]*\])", a.strip())[0] for alt in alternations for a in _alternatives(alt) if a.strip()}
    firsts |= {re.split(r"[-'’](?![^\[]*\])", f)[0] for f in firsts}  # tokens split at hyphens and apostrophes
    tail = r"\w*" if stems else ""
    return re.compile("(?:" + "|".join(sorted(f for f in firsts if f)) + ")" + tail, _C)


_GROUPS: dict[str, re.Pattern[str]] = {
    "people": _first_words(cue_words.BENEFICIARY),
    "prod": _first_words(cue_words.PROD_BASE),
    "past": _first_words(cue_words.PROD_PAST, cue_words.DONE_TO_THINGS),
    "count": _first_words("#|number|count|total|quantity|volume|amount|no|percent|percentage|proportion|share|rate"),
    "more": _first_words("number|count|volume|amount|frequency"),
    "outcome_noun": _first_words(cue_words.OUTCOME_NOUNS),
    "change_stem": _first_words(
        "reduc|decreas|lower|cut|fewer|less|drop|fall|fell|declin|increas|rais|grow|grew|improv|ris|rose|boost|"
        "higher|better|shorter|faster|halv|doubl|stabilis|stabiliz|recover",
        stems=True,
    ),
    "customer": _first_words(cue_words.CUSTOMER_BEHAVIOUR, "adopted|used|activated|bought|renewed|chosen"),
    "changed_state": _first_words(cue_words.CHANGED_STATE),
    "reach": _first_words(
        "attend|particip|enrol|registered|reached|served|signed|completion|completed|took|turnout|sessions|session|"
        "people|staff|were|impressions|page|press|coverage|media|share|followers|open|click",
        stems=True,
    ),
    "reaction": _first_words("rated|rating|feedback|enjoyed|found|satisfaction"),
    "compliance": _first_words(
        "certif|accredit|complian|audit|regulat|statutory|gdpr|sox|iso|deadline|contract|submission|submit|filing|filed",
        stems=True,
    ),
    "within": _first_words("within|under"),
    "state": _first_words(
        "trust|confident|confidence|safe|safer|healthy|healthier|independent|independently|well|wellbeing|"
        "well-being|thriv|loyal|engaged|empowered|without|on|self-sufficient|employed|housed|sober|smoke-free|"
        "literate|ready|able",
        stems=True,
    ),
    "by": _first_words("by|through"),
    "decision": _first_words("adopt|pass|approv|enact|ratif|amend|endors", stems=True),
}
# Each cue: the groups of which at least one word must occur ("^" + group: the first word).
GATES: dict[str, tuple[str, ...]] = {
    "imperative_production": ("^prod",),
    "reported_production": ("past",),
    "count_of_activity": ("count",),
    "more_of_our_output": ("more",),
    "change_by_activity": ("by",),
    "people_receiving": ("people",),
    "things_delivered": ("past",),
    "reach_or_attendance": ("reach",),
    "reaction_to_event": ("reaction",),
    "compliance_milestone": ("compliance",),
    "service_level_commitment": ("within",),
    "people_changed": ("people", "^digit"),
    "people_who": ("people",),
    "practice_adopted": ("people",),
    "beneficiary_change": ("people",),
    "customer_behaviour": ("customer",),
    "result_moves": ("outcome_noun",),
    "decision_by_others": ("decision",),
    "short_change_phrase": ("^changed_state",),
    "subject_changes": ("change_stem",),
    "state_or_attitude": ("state",),
}
_TOKEN = re.compile(r"[a-z]+|\d|#")


@lru_cache(maxsize=65536)
def _groups_of(token: str) -> frozenset[str]:
    return frozenset(name for name, rx in _GROUPS.items() if rx.fullmatch(token))


def present(text: str) -> set[str]:
    """The word groups present in a text, and '^group' for the groups of its first word."""
    tokens = _TOKEN.findall(text.lower())
    present: set[str] = set()
    for i, tok in enumerate(tokens):
        groups = _groups_of(tok) if not tok.isdigit() else frozenset({"digit"})
        present |= groups
        if i == 0 or (i == 1 and tokens[0] in ("to", "an", "a", "the")):
            present |= {"^" + g for g in groups}
    return present
