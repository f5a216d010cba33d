"""Settling a statement the classifier was unsure of: the person says whether it is work the team delivers or
a change they want to see; if they cannot say, the coach goes with its first reading and says so."""

from __future__ import annotations

import re

from coach.conversation.moves.base import Move, begin
from coach.conversation.moves.mandate import hear_mandate
from coach.conversation.plan import Plan
from coach.conversation.state import Pending
from coach.conversation.wording import clean_reply
from coach.domain import Label

_OUTPUT = re.compile(
    r"\b(?:output|deliver\w*|we (?:do|did|make|made|produce|run|ran|send|build)|activity|task|first)\b", re.I
)
_OUTCOME = re.compile(r"\b(?:outcome|change|result|benefit|differen\w*|second|better off)\b", re.I)


def said_label(text: str) -> Label | None:
    out, come = bool(_OUTPUT.search(text)), bool(_OUTCOME.search(text))
    if out != come:
        return "output" if out else "outcome"
    return None


class Clarified(Move):
    name = "clarify"
    acts = ("result", "intermediate", "affirm", "deny", "objection", "non_answer", "numbers", "reason")
    phases = ("clarify",)

    def applies(self, plan: Plan) -> bool:
        return plan.state.clarifying is not None

    def run(self, plan: Plan) -> None:
        st = plan.state
        p = st.clarifying
        assert p is not None
        act = plan.turn.reading.act
        label: Label | None = said_label(plan.turn.text)
        if label is None and act == "result":
            label = "outcome"
        elif label is None and act in ("intermediate", "reason"):
            label = "output"
        if label is None:
            label = p.label
            plan.say("clarify.go_with", label=label)
        elif label != p.label:
            plan.correction = (p.text, label)
        st.clarifying = None
        settled = Pending.model_validate(
            {**p.model_dump(), "label": label, "needs_clarification": False, "rationale": f"you said it is an {label}"}
        )
        begin(plan, settled, settled=True)
        if act == "reason" and label == "output" and plan.chain is not None:
            hear_mandate(plan, clean_reply(plan.turn.text))
