"""Numbers for the measure in hand: a baseline, a target, a date. Filed against the measure the person names,
or the one just asked about; never invented. Unknown is an honest answer, with a way to get it."""

from __future__ import annotations

from coach.conversation.moves.base import LADDER, Move, advance
from coach.conversation.numbers import read_numbers
from coach.conversation.plan import Plan
from coach.domain import Chain, ProposedMeasure


def _measure(plan: Plan, chain: Chain) -> ProposedMeasure | None:
    if not chain.measures:
        return None
    return chain.measures[min(plan.state.measure_focus, len(chain.measures) - 1)]


def baseline_unknown(plan: Plan, chain: Chain) -> None:
    m = _measure(plan, chain)
    chain.baseline = "unknown"
    plan.say("numbers.unknown", how=m.collectability if m else "ask who owns the data and how often it refreshes.")
    plan.state.phase, plan.state.nudged = "ask_target", False
    plan.ask("numbers.target_anyway", measure=m.name if m else "it")


def finish(plan: Plan, chain: Chain) -> None:
    """Close the chain with whatever numbers it has, and move on."""
    m = _measure(plan, chain)
    if chain.baseline and chain.target:
        name = m.name if m else "The measure"
        when = chain.by_when or "[date]"
        chain.outcome_statement = f"{name}: from {chain.baseline} to {chain.target} by {when} — {chain.outcome}"
        plan.say(
            "numbers.statement",
            statement=chain.outcome_statement,
            owner=f"the {m.data_owner}" if m else "someone",
            cadence=m.cadence if m else "regularly",
        )
    else:
        plan.say("numbers.kept", outcome=chain.outcome or "")
    advance(plan)


class Numbers(Move):
    name = "numbers"
    acts = ("numbers",)
    phases = ("ask_baseline", "ask_target")

    def applies(self, plan: Plan) -> bool:
        return plan.chain is not None

    def run(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        assert chain is not None
        ans = read_numbers(plan.turn.text, asked="target" if st.phase == "ask_target" else "baseline")
        if ans is None:
            plan.say("numbers.unclear")
            plan.again()
            return
        if ans.unknown and not ans.baseline and st.phase == "ask_baseline":
            baseline_unknown(plan, chain)
            return
        if st.phase == "ask_target" and ans.baseline and not ans.target:
            ans.target, ans.baseline = ans.baseline, None  # a lone number answers the question asked: the target
        chain.baseline = ans.baseline or chain.baseline
        chain.target = ans.target or chain.target
        chain.by_when = ans.when or chain.by_when
        if chain.baseline and chain.target:
            finish(plan, chain)
        elif chain.baseline:
            st.phase = "ask_target"
            m = _measure(plan, chain)
            plan.say("numbers.baseline_noted", baseline=chain.baseline)
            plan.ask("numbers.ask_target", measure=m.name if m else "it")
        elif not st.nudged:
            st.nudged = True
            plan.say("numbers.target_noted", target=chain.target or "")
            plan.ask("numbers.ask_baseline_again")
        else:
            finish(plan, chain)


class NumbersElsewhere(Move):
    """A number where no number was asked for: ask what it refers to (nothing stored)."""

    name = "numbers"
    acts = ("numbers",)
    phases = ("welcome", "idle", *LADDER, "clarify", "ask_mandate")

    def run(self, plan: Plan) -> None:
        plan.say("numbers.what_for")
        plan.again()


class NoNumbers(Move):
    """'Don't know' or 'no' to a baseline or target question: unknown, honestly, then on."""

    name = "numbers"
    acts = ("non_answer", "deny")
    phases = ("ask_baseline", "ask_target")

    def applies(self, plan: Plan) -> bool:
        return plan.chain is not None

    def run(self, plan: Plan) -> None:
        chain = plan.chain
        assert chain is not None
        if plan.state.phase == "ask_baseline":
            baseline_unknown(plan, chain)
        else:
            finish(plan, chain)
