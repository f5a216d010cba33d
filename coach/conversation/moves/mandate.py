"""A reason or mandate instead of a result ("the regulator requires it", "my boss asked", "it's in the
contract"): acknowledged, never stored as the outcome. The coach asks what the mandate protects, and for whom,
and offers to record the work as a legitimate commitment."""

from __future__ import annotations

from coach.conversation.moves.base import LADDER, Move, advance
from coach.conversation.plan import Plan
from coach.conversation.wording import clean_reply, inline, quote, second_person


def record_commitment(plan: Plan, key: str = "mandate.recorded") -> None:
    chain = plan.chain
    if chain is not None:
        chain.status = "commitment"
        plan.say(key, work=quote(chain.origin))
    advance(plan)


def hear_mandate(plan: Plan, reason: str) -> None:
    """Acknowledge a mandate as a firm commitment and ask what it protects (or offer to record it)."""
    st, chain = plan.state, plan.chain
    assert chain is not None
    chain.commitment = reason
    st.phase, st.offer, st.nudged = "ask_mandate", "record_commitment", False
    plan.say("mandate.heard", reason=inline(quote(second_person(reason), 80)))
    plan.ask("mandate.protects", options=["Record it as a commitment"], work=quote(chain.origin))


class Mandate(Move):
    name = "mandate"
    acts = ("reason",)
    phases = (*LADDER, "ask_mandate")

    def applies(self, plan: Plan) -> bool:
        return plan.chain is not None

    def run(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        assert chain is not None
        plan.statements = []  # a reason is not a statement of work: neither shown as one nor filed
        reason = clean_reply(plan.turn.text)
        if st.phase == "ask_mandate":  # a second reason: it is firm; offer to record it
            plan.say("mandate.firm")
            plan.ask("mandate.record_offer", options=["Record it as a commitment", "Park it"])
            return
        hear_mandate(plan, reason)


class MandateReply(Move):
    """Yes (record it), no (then: what does it protect?), or "don't know" (record it, say why it's fine)."""

    name = "mandate"
    acts = ("affirm", "deny", "non_answer")
    phases = ("ask_mandate",)

    def run(self, plan: Plan) -> None:
        st, act = plan.state, plan.turn.reading.act
        if act == "affirm":
            record_commitment(plan)
        elif act == "non_answer":
            record_commitment(plan, "mandate.recorded_unsure")
        elif not st.nudged:
            st.nudged, st.offer = True, None
            plan.ask("mandate.protects_again", options=["Record it as a commitment", "Park it"])
        else:
            chain = plan.chain
            if chain is not None:
                chain.status = "skipped"
            plan.say("flow.parked")
            advance(plan)
