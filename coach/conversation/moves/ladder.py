"""Climbing the ladder: an answer naming a result reaches the outcome; an intermediate result (still the team's
own activity, speed, volume or reach) is acknowledged as progress and the coach asks one level up, in the same
chain. After three rungs the coach offers to take the last one as the result or to park the chain."""

from __future__ import annotations

from coach.conversation.families import default_who, family
from coach.conversation.moves.base import LADDER, MAX_RUNGS, Move, advance, reach_outcome
from coach.conversation.plan import Plan
from coach.conversation.state import Pending
from coach.conversation.wording import clean_reply, outcome_form, quote, second_person


def _focus(plan: Plan) -> None:
    whole = plan.turn.statements[0] if plan.turn.statements else None
    if whole is not None and whole.label in ("output", "outcome"):
        plan.state.hold(Pending.of(whole))


class Result(Move):
    name = "ladder"
    acts = ("result",)
    phases = (*LADDER, "ask_mandate")

    def applies(self, plan: Plan) -> bool:
        return plan.chain is not None

    def run(self, plan: Plan) -> None:
        chain = plan.chain
        assert chain is not None
        _focus(plan)
        reach_outcome(plan, chain, outcome_form(plan.turn.text))


class Intermediate(Move):
    name = "ladder"
    acts = ("intermediate",)
    phases = (*LADDER, "ask_mandate")

    def applies(self, plan: Plan) -> bool:
        return plan.chain is not None

    def run(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        assert chain is not None
        _focus(plan)
        rung = clean_reply(plan.turn.text)
        if st.offer == "accept_rung":  # three rungs already, and still the team's own work: park it
            chain.status = "unresolved"
            plan.say("ladder.parked", last=quote(second_person(chain.rungs[-1] if chain.rungs else rung)))
            advance(plan)
            return
        chain.rungs.append(rung)
        st.phase, st.nudged = "ask_higher", False
        if len(chain.rungs) >= MAX_RUNGS:
            st.offer = "accept_rung"
            plan.say("ladder.limit", steps=len(chain.rungs))
            plan.ask(
                "ladder.limit_ask",
                options=["Take it as the result", "Park it"],
                last=quote(outcome_form(rung)),
            )
            return
        plan.say("ladder.progress", answer=quote(outcome_form(rung), 70))
        plan.ask("ladder.higher", who=default_who(family(chain.origin)))
