"""Yes, no, small talk and gibberish: short and polite, nothing stored, back to the open question."""

from __future__ import annotations

from coach.conversation.cues import FAREWELL, GREETING
from coach.conversation.moves.base import LADDER, Move, advance, reach_outcome
from coach.conversation.plan import Plan, ShowMap
from coach.conversation.wording import outcome_form


class Affirm(Move):
    name = "social"
    acts = ("affirm",)

    def run(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        if st.phase in LADDER and chain is not None and st.offer == "accept_rung" and chain.rungs:
            reach_outcome(plan, chain, outcome_form(chain.rungs[-1]))
        elif st.phase == "idle":
            plan.ask("flow.welcome_again")
        elif st.phase == "ask_baseline":
            plan.ask("social.go_on_number")
        elif st.phase == "ask_target":
            plan.ask("social.go_on_target")
        else:
            plan.say("social.go_on")
            plan.again()


class Deny(Move):
    name = "social"
    acts = ("deny",)
    phases = ("welcome", "idle", *LADDER)

    def run(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        if st.phase == "idle":
            plan.need(ShowMap())
            plan.say("social.wrap_up")
            return
        if st.phase == "welcome":
            plan.say("social.whenever")
            plan.again()
            return
        if chain is not None and st.offer == "accept_rung":
            chain.status = "unresolved"
            plan.say("flow.parked")
            advance(plan)
            return
        plan.say("social.other_words")
        plan.ask("ladder.higher_again")


class SmallTalk(Move):
    name = "social"
    acts = ("small_talk",)

    def run(self, plan: Plan) -> None:
        text = plan.turn.text
        if FAREWELL.search(text):
            plan.say("social.goodbye")
            return
        if GREETING.match(text):
            plan.say("social.hello")
        elif any(w in text.lower() for w in ("thank", "cheers", "thx")):
            plan.say("social.thanks")
        else:
            plan.say("social.ack")
        plan.again()


class Gibberish(Move):
    name = "social"
    acts = ("gibberish",)

    def run(self, plan: Plan) -> None:
        plan.say("social.unreadable")
        plan.again()


class Fallback(Move):
    """Whatever no other move takes in this phase: a gentle re-ask, nothing stored."""

    name = "social"
    acts = ()

    def run(self, plan: Plan) -> None:
        plan.say("social.not_sure")
        plan.again()
