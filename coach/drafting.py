"""A measure drafted from the outcome itself, for when the library has no close match.

It says so: `drafted=True`, `fit_label="drafted"`, no library id, and the data source and owner are
questions to answer, not guesses. The wording comes from the parsed sentence ("Share of <who> who
<change>") when its subject is the population; otherwise from the outcome as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.domain import ProposedMeasure
from coach.numbers import example_answer
from coach.population import PeopleFinder

_FEWER = re.compile(
    r"^\s*(?:fewer|less|lower|reduced?)\b|\b(?:falls?|fell|drops?|dropped|decreases?|decreased|shrinks?|halve[sd]?|"
    r"go(?:es)? down|went down|cut|reduce[sd]?|lower(?:ed)?|less often|no longer|stops?)\b",
    re.IGNORECASE,
)
# A change in speed ("faster", "sooner", "in days rather than weeks") is measured as a time, not as a share.
_SPEED = re.compile(
    r"\s*\b(?:(?:much |a lot |far |a bit )?(?:faster|quicker|sooner|more quickly|more promptly|earlier)"
    r"(?: than (?:before|now|today|they do now))?|in less time|without (?:a long |long |any )?(?:wait|waiting|delays?)|"
    r"in (?:minutes|hours|days|weeks)(?: rather than| instead of|,? not) (?:hours|days|weeks|months))\b",
    re.IGNORECASE,
)
_MODAL = re.compile(r"^(?:can|could|will|would|should|are able to|is able to|get to)\s+", re.IGNORECASE)
_TEAM = re.compile(
    r"^(?P<who>(?:the |our |their |every |each )?(?:[\w&'-]+ ){0,3}(?:team|department|office|unit|desk|service|"
    r"function|directorate|board|committee|clinic|ward|school|council))\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
_PRONOUNS = frozenset(
    ["we", "they", "it", "i", "you", "he", "she", "this", "that", "things", "everything", "everyone", "all"]
)
_IRREGULAR = {"is": "be", "are": "be", "has": "have", "does": "do", "goes": "go"}
_UNKNOWN_SOURCE = "not known yet: which system records this?"
_UNKNOWN_OWNER = "not known yet: who owns that data?"


def _plain(text: str) -> str:
    return " ".join(text.replace("{", "(").replace("}", ")").split()).rstrip(".!;?")


def _base_verb(words: str, singular: bool) -> str:
    """'closes the month' → 'close the month' (after a singular subject), 'are seen' → 'be seen': the first word
    in its plain form. After a plural subject only 'are' and 'have' change ('users focus' stays 'focus')."""
    first, _, rest = words.partition(" ")
    low = first.lower()
    if low in _IRREGULAR:
        base = _IRREGULAR[low]
    elif not singular:
        base = first
    elif re.search(r"(?:ch|sh|ss|x|z)es$", low):
        base = first[:-2]
    elif low.endswith("ies") and len(low) > 4:
        base = first[:-3] + "y"
    elif low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        base = first[:-1]
    else:
        base = first
    return f"{base} {rest}".strip()


_THING_FASTER = re.compile(
    r"^(?P<thing>[\w'&/-]+(?: [\w'&/-]+){0,5}?) (?P<verb>(?:is|are|gets?|becomes?|will be|happens?)"
    r"(?: (?:\w+ed|done|made|seen|paid|sent|built|run|given))?) "
    r"(?:much |a lot |far |a bit )?(?:faster|quicker|sooner|earlier)\W*$",
    re.IGNORECASE,
)


def speed_change(outcome: str, parsed: tuple[str, str] | None) -> tuple[str, str, str] | None:
    """For an outcome about speed: (who, the measure's name, the end of the clock), without the speed words.
    'the finance team closes the month faster' → ('the finance team', 'Time it takes the finance team to close
    the month', 'the finance team closes the month'); 'month-end close is faster' → ('', 'Time taken for
    month-end close', 'month-end close is complete'). None when the outcome is not about speed or its subject cannot
    be told apart cleanly."""
    if not _SPEED.search(outcome):
        return None
    singular = parsed is None
    if parsed:
        who, change = parsed
    else:
        m = _TEAM.match(outcome.strip())
        if m is None:
            thing = _THING_FASTER.match(outcome.strip())
            if thing is None:
                return None
            what, verb = thing.group("thing"), thing.group("verb")
            if what.lower() in _PRONOUNS:
                return None
            what = what[:1].lower() + what[1:] if what[1:2].islower() else what
            done = verb if " " in verb else ("are" if verb.lower() == "are" else "is") + " complete"
            return "", f"Time taken for {what}", f"{what} {done}"
        who, change = m.group("who"), m.group("rest")
    if who[:4] == "The ":
        who = "the " + who[4:]
    written = " ".join(_SPEED.sub(" ", change).split()).strip(" ,")
    plain = _MODAL.sub("", written)
    if not plain or len(plain.split()) > 12:
        return None
    if plain == written:  # no modal before it: the verb agrees with the subject
        plain = _base_verb(plain, singular)
    return who, f"Time it takes {who} to {plain}", f"{who} {written}"


def draft_measures(
    outcome: str, who: str | None, kinds: Sequence[str], people: PeopleFinder, output: str | None = None
) -> list[ProposedMeasure]:
    """One drafted measure per kind asked ('lagging': the result; 'leading': the people served taking up what the
    team delivered — `output`, the work that led to this outcome, when known — or else the first sign of change)."""
    outcome = _plain(outcome)
    output = _plain(output) if output else None
    parsed = people.subject_and_change(outcome)
    group = parsed[0] if parsed else (who or "people")
    change = parsed[1] if parsed else None
    if re.match(r"^\s*(?:fewer|less|lower)\b", outcome, re.IGNORECASE):
        direction = "decrease"
    elif change:  # "Share of <group> who <change>": the change's own direction
        direction = "decrease" if _FEWER.search(change) else "increase"
    else:
        direction = "decrease" if _FEWER.search(outcome) else "increase"
    speed = speed_change(outcome, parsed)
    out: list[ProposedMeasure] = []
    for kind in kinds:
        unit = "percent"
        if kind == "lagging" and speed:  # "faster", "sooner": how long it takes, lower is better
            name, until = speed[1], speed[2]
            definition = (
                f"{name}, from an agreed starting point (agree what starts the clock), as the median of the "
                "period's cases."
            )
            calculation = (
                f"for each case in the period: time from the agreed start until {until}; report the median "
                "and the slowest tenth of cases"
            )
            themes = [outcome]
            unit = "days (or hours or minutes: agree which)"
            d = "decrease"
        elif kind == "lagging":
            if change:
                name = f"Share of {group} who {change}"
                definition = f"The share of {group} who {change}, in each period."
                calculation = f"{group} who {change} in the period ÷ all {group} in scope in the period × 100"
            else:
                name = (
                    "Drafted: how often the outcome happens"
                    if direction == "increase"
                    else "Drafted: how often the problem still happens"
                )
                definition = f"How far the outcome has happened: {outcome}."
                calculation = "cases where it happened in the period ÷ all cases in scope × 100 (agree what a case is)"
            themes = [outcome]
            d = direction
        elif output:  # uptake of what was delivered: the usual early sign that the result is on its way
            name = f"{group[:1].upper()}{group[1:]} using what the team delivered"
            definition = (
                f"The share of {group} who use or act on what was delivered ({output}), counted each month: "
                f"it moves before the result ({outcome}) does."
            )
            calculation = f"{group} who used it in the month ÷ {group} in scope × 100 (agree what counts as using it)"
            themes = [f"early sign of: {outcome}"]
            d = "increase"
        else:
            name = f"{group[:1].upper()}{group[1:]} showing the first sign of the change"
            definition = (
                f"The share of {group} showing the first observable sign of the change ({outcome}) — agree "
                "what people would do first — counted each month so it moves before the result does."
            )
            calculation = f"{group} showing the agreed first sign in the month ÷ {group} in scope × 100"
            themes = [f"early sign of: {outcome}"]
            d = "increase"
        text = (
            "This measure is drafted from your outcome (the library has no close match). First agree where the "
            "number would come from — which system records it, and who owns that data? Then: what is it today? "
            "If nobody knows yet, say 'baseline unknown'."
        )
        verb = "raise it" if d == "increase" else "bring it down"
        better = "higher is better" if d == "increase" else "lower is better"
        draft = ProposedMeasure(
            id=f"drafted-{kind}",
            name=name,
            definition=f"Drafted from your outcome: {definition}",
            calculation=calculation,
            unit=unit,
            direction=d,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            who=(speed[0] or group) if speed and kind == "lagging" else group,
            data_sources=[_UNKNOWN_SOURCE],
            data_owner=_UNKNOWN_OWNER,
            cadence="to agree (monthly suits most outcomes)",
            outcome_themes=themes,
            gaming_risk="Not assessed yet: ask how this number could rise without the outcome really happening.",
            balancing_measure="To agree: a measure that would show harm if this one were pushed too hard.",
            domain="drafted",
            library_id="",
            fit=0.0,
            fit_label="drafted",
            drafted=True,
            baseline_prompt=text,
            target_prompt="",
            collectability="Data source and owner not known yet: agree them before setting a baseline.",
        )
        example = example_answer(draft)
        draft.target_prompt = f"How far do you want to {verb}, and by when? ({better}; e.g. '{example}')"
        out.append(draft)
    return out
