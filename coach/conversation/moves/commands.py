"""Commands: skip (park the item in hand), summary (the outcome map), start over, measures, accept (take the
last answer as the result, or the work as a commitment), help."""

from __future__ import annotations

from coach.conversation.moves.base import LADDER, Move, advance, reach_outcome
from coach.conversation.moves.mandate import record_commitment
from coach.conversation.moves.numbers import finish
from coach.conversation.plan import Plan, ShowMap, new_chain
from coach.conversation.state import SessionState
from coach.conversation.wording import outcome_form


class Command(Move):
    """Dispatches on the command the reading names."""

    name = "commands"
    acts = ("command",)

    def run(self, plan: Plan) -> None:
        command = plan.turn.reading.command or "help"
        getattr(self, f"_{command}")(plan)

    def _skip(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        if st.phase == "clarify" and st.clarifying is not None:
            parked = new_chain(st.clarifying)
            parked.status = "skipped"
            plan.chains.append(parked)
        elif chain is not None and st.phase in ("ask_baseline", "ask_target"):
            finish(plan, chain)
            return
        elif chain is not None and chain.status == "open":
            chain.status = "skipped"
        elif st.phase in ("welcome", "idle"):
            plan.say("commands.nothing_to_skip")
            plan.again()
            return
        plan.say("flow.parked")
        advance(plan)

    def _summary(self, plan: Plan) -> None:
        plan.need(ShowMap())
        if plan.state.phase not in ("welcome", "idle"):
            plan.again()

    def _restart(self, plan: Plan) -> None:
        plan.state = SessionState(turn=plan.state.turn, asked=plan.state.asked)
        plan.chains = []
        plan.say("commands.restart")
        plan.ask("flow.welcome_again")

    def _measures(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        if chain is not None and st.phase in LADDER and chain.rungs:
            reach_outcome(plan, chain, outcome_form(chain.rungs[-1]))
        elif chain is not None and chain.outcome:
            plan.say("commands.measures_shown")
            plan.again()
        else:
            plan.say("commands.measures_need_outcome")
            plan.again()

    def _accept(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        if chain is None or st.phase in ("welcome", "idle"):
            plan.again()
        elif st.phase in LADDER and chain.rungs:
            reach_outcome(plan, chain, outcome_form(chain.rungs[-1]))
        elif st.phase in LADDER or st.phase == "ask_mandate":
            record_commitment(plan, "mandate.recorded_as_is")
        elif st.phase in ("ask_baseline", "ask_target"):
            finish(plan, chain)
        else:
            plan.again()

    def _help(self, plan: Plan) -> None:
        plan.say("commands.help")
        plan.again()
