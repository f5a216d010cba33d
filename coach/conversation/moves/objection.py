"""An objection or correction of the coach: taken, never stored as an answer. A label correction ("no, that's
an outcome") is recorded for learning and changes the course; a redirection ("it's about heat") re-asks about
what the person said it is about; anything else gets an apology and the question in other words."""

from __future__ import annotations

import re

from coach.conversation.moves.base import LADDER, Move, begin, ladder_subject, reach_outcome
from coach.conversation.plan import Plan
from coach.conversation.state import Pending
from coach.conversation.wording import clean_reply, outcome_form, quote, second_person
from coach.domain import Label

_LABEL = re.compile(
    r"\b(?:is|it'?s|that'?s|this is|was|already)\s+(?:already\s+|actually\s+|really\s+|just\s+)?an?\s+(output|outcome)\b"
    r"|^\W*(?:no|nope|wrong)\W+(?:an?\s+)?(output|outcome)\W*$",
    re.I,
)  # anywhere in an objection; the recogniser reads a reply that opens with it as an objection by rule
_ABOUT = re.compile(
    r"\b(?:it'?s|it is|this is|that'?s|we'?re|really|actually|more)\s+(?:really\s+|actually\s+|all\s+|more\s+)?about\s+(.+)$",
    re.I,
)


def corrected_label(text: str) -> Label | None:
    m = _LABEL.search(text)
    if not m:
        return None
    return "outcome" if (m.group(1) or m.group(2)).lower() == "outcome" else "output"


class Objection(Move):
    name = "objection"
    acts = ("objection",)

    def run(self, plan: Plan) -> None:
        label = corrected_label(plan.turn.text)
        if label is not None:
            correct(plan, label)
            return
        st = plan.state
        m = _ABOUT.search(plan.turn.text)
        topic = clean_reply(m.group(1)).rstrip(" .!") if m else ""
        if st.phase in LADDER and topic:
            plan.say("objection.redirect", topic=quote(second_person(topic), 60))
            plan.ask("objection.about_topic", topic=quote(second_person(topic), 60))
            return
        if st.phase in ("ask_baseline", "ask_target") and plan.chain is not None and plan.chain.measures:
            chain = plan.chain
            if st.measure_focus + 1 < len(chain.measures):
                st.measure_focus += 1
                st.phase = "ask_baseline"
                plan.say("objection.other_measure")
                plan.ask("numbers.ask_baseline_for", measure=chain.measures[st.measure_focus].name)
                return
            plan.say("objection.no_other_measure")
            plan.ask("objection.how_would_you_know", outcome=quote(chain.outcome or "", 80))
            return
        plan.say("objection.sorry")
        plan.again()


def correct(plan: Plan, label: Label) -> None:
    """'No, that's an outcome' / 'it's an output': record it, and change course if the label changed."""
    st = plan.state
    focus = st.clarifying or st.focus
    chain = plan.chain
    if focus is None:
        plan.say("objection.which")
        plan.again()
        return
    if focus.label == label:
        plan.say("objection.agreed", label=label)
    else:
        plan.correction = (focus.text, label)
        plan.say("objection.corrected", label=label)
    fixed = Pending.model_validate(
        {**focus.model_dump(), "label": label, "needs_clarification": False, "rationale": f"you said it is an {label}"}
    )
    st.hold(fixed)
    if st.phase == "clarify":
        st.clarifying = None
        begin(plan, fixed, settled=True)
    elif chain is not None and label == "outcome" and st.phase in (*LADDER, "ask_mandate"):
        subject = ladder_subject(plan)
        if subject == chain.origin:
            chain.origin_label = "outcome"
        reach_outcome(plan, chain, outcome_form(subject))
    elif chain is not None and label == "output" and chain.origin_label == "outcome" and chain.origin == focus.text:
        plan.chains.remove(chain)
        begin(plan, fixed, settled=True)
    else:
        plan.again()
