"""A non-answer ("no idea", "not sure"): never stored. The coach asks something more concrete with two or three
directions to choose from, or parks the item if the person still cannot say; for numbers, "unknown" is an honest
baseline and the coach says how to get it."""

from __future__ import annotations

from coach.conversation.moves.base import LADDER, Move, advance, ladder_subject
from coach.conversation.plan import OfferDirections, Plan
from coach.conversation.wording import quote


class NonAnswer(Move):
    name = "nudge"
    acts = ("non_answer",)
    phases = ("welcome", "idle", *LADDER)

    def run(self, plan: Plan) -> None:
        st = plan.state
        if st.phase in ("welcome", "idle"):
            plan.say("nudge.no_work")
            plan.ask("nudge.examples")
            return
        chain = plan.chain
        if chain is None:
            plan.again()
            return
        if not st.nudged:
            st.nudged = True
            plan.need(OfferDirections(chain.origin))
            plan.say("nudge.fine")
            plan.ask(
                "nudge.options",
                options=["Park it"],
                work=quote(ladder_subject(plan), 70),
                directions="",
            )
            return
        chain.status = "skipped"
        plan.say("flow.parked")
        advance(plan)
