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
_UNKNOWN_SOURCE = "not known yet: which system records this?"
_UNKNOWN_OWNER = "not known yet: who owns that data?"


def _plain(text: str) -> str:
    return " ".join(text.replace("{", "(").replace("}", ")").split()).rstrip(".!;?")


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
    out: list[ProposedMeasure] = []
    for kind in kinds:
        if kind == "lagging":
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
            unit = "percent"
            d = direction
        elif output:  # uptake of what was delivered: the usual early sign that the result is on its way
            name = f"{group[:1].upper()}{group[1:]} using what the team delivered"
            definition = (
                f"The share of {group} who use or act on what was delivered ({output}), counted each month: "
                f"it moves before the result ({outcome}) does."
            )
            calculation = f"{group} who used it in the month ÷ {group} in scope × 100 (agree what counts as using it)"
            themes = [f"early sign of: {outcome}"]
            unit = "percent"
            d = "increase"
        else:
            name = f"{group[:1].upper()}{group[1:]} showing the first sign of the change"
            definition = (
                f"The share of {group} showing the first observable sign of the change ({outcome}) — agree "
                "what people would do first — counted each month so it moves before the result does."
            )
            calculation = f"{group} showing the agreed first sign in the month ÷ {group} in scope × 100"
            themes = [f"early sign of: {outcome}"]
            unit = "percent"
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
            who=group,
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
