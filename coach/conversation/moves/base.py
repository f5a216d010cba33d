"""The shape of a move, and the steps several moves share: take up a statement, reach an outcome, move on."""

from __future__ import annotations

import re
from typing import ClassVar

from coach.conversation.acts import Act
from coach.conversation.families import default_who, family
from coach.conversation.plan import OfferDirections, Plan, ProposeMeasures, new_chain
from coach.conversation.state import Pending, Phase
from coach.conversation.wording import clean_reply, listing, outcome_form, quote
from coach.domain import Chain, Classification
from coach.language import language_name

ALL_PHASES: tuple[Phase, ...] = (
    "welcome",
    "idle",
    "ask_result",
    "ask_higher",
    "clarify",
    "ask_mandate",
    "ask_baseline",
    "ask_target",
)
LADDER: tuple[Phase, ...] = ("ask_result", "ask_higher")
MAX_RUNGS = 3


class Move:
    """One conversational move: which acts it answers, in which phases, and what it does.

    Subclasses set `name`, `acts` and `phases`, may narrow `applies`, and implement `run`. Their wording lives
    in `prompts/coach/<name>.yaml`.
    """

    name: ClassVar[str] = ""
    acts: ClassVar[tuple[Act, ...]] = ()
    phases: ClassVar[tuple[Phase, ...]] = ALL_PHASES

    def applies(self, plan: Plan) -> bool:
        return True

    def run(self, plan: Plan) -> None:
        raise NotImplementedError


# ----- shared steps ---------------------------------------------------------------------------------------
def short_reason(rationale: str, text: str) -> str:
    """The classifier's reason, without re-quoting the whole statement the person just typed."""
    r = rationale.split(" (It also says")[0].split(", like the labelled")[0].strip().rstrip(".")
    m = re.match(r"^(.*?)\s+[—-]\s+['‘“\"](.+?)['’”\"]$", r)
    if m and m.group(2).strip().lower().rstrip(".") in {text.strip().lower().rstrip("."), ""}:
        r = m.group(1)
    return r[:1].lower() + r[1:]


def remember(plan: Plan, statements: list[Classification]) -> list[Pending]:
    """Record what the person said (nothing is ever lost) and return the statements to work on."""
    pend = [Pending.of(c) for c in statements if c.label in ("output", "outcome")]
    plan.state.said += [p.text for p in pend if p.text not in plan.state.said]
    return pend


def begin(plan: Plan, p: Pending, settled: bool = False) -> None:
    """Take up one statement: ask to clarify, ladder an output, or confirm an outcome and measure it.

    `settled`: the person has just said which it is, so the coach does not explain the label back to them."""
    st = plan.state
    st.hold(p)
    st.offer, st.nudged, st.measure_focus = None, False, 0
    if p.needs_clarification:
        st.phase, st.clarifying, st.current = "clarify", p, None
        options = ["Something we deliver", "A change we want to see"]
        if p.language and p.language != "en":  # not a doubtful reading: a language the coach does not read well
            plan.ask("clarify.language", options=options, text=quote(p.text), language=language_name(p.language))
        else:
            plan.ask("clarify.ask", options=options, text=quote(p.text))
        return
    chain = new_chain(p)
    plan.chains.append(chain)
    st.current = chain.id
    if p.label == "output":
        st.phase = "ask_result"
        if not settled:
            plan.say("ladder.intro", reason=short_reason(p.rationale, p.text))
        if p.commitment:
            plan.say("mandate.commitment_noted", commitment=p.commitment)
        plan.need(OfferDirections(p.text))  # options to pick from or to spark their own words; never chosen for them
        fam = family(p.text)
        plan.ask(f"ladder.first_{fam}", work=quote(p.text), who=default_who(fam))
    else:
        if not settled:
            plan.say("ladder.outcome_stated", outcome=chain.outcome or outcome_form(p.text))
        reach_outcome(plan, chain, chain.outcome or outcome_form(p.text), confirm=False)


def reach_outcome(plan: Plan, chain: Chain, outcome: str, confirm: bool = True) -> None:
    chain.outcome, chain.status = outcome, "outcome"
    st = plan.state
    st.phase, st.offer, st.nudged, st.measure_focus = "ask_baseline", None, False, 0
    if confirm:
        plan.say("ladder.confirm", outcome=outcome)
    plan.need(ProposeMeasures(chain.id))  # compose adds the measures and asks for today's value


def advance(plan: Plan) -> None:
    """Move to the next queued statement, or go idle."""
    st = plan.state
    st.current, st.clarifying, st.offer, st.nudged = None, None, None, False
    if st.queue:
        nxt = st.queue.pop(0)
        plan.say("flow.next", text=quote(nxt.text))
        begin(plan, nxt)
    else:
        st.phase = "idle"
        plan.ask("flow.idle", options=["Summary"])


def queue_new(plan: Plan, pend: list[Pending]) -> None:
    """New statements while another is in hand: queued, and the person told so."""
    st = plan.state
    known = {p.text for p in st.queue} | {c.origin for c in plan.chains}
    fresh = [p for p in pend if p.text not in known]
    st.queue += fresh
    if fresh:
        plan.say("flow.queued", items=listing([f"“{quote(clean_reply(p.text), 60)}”" for p in fresh]))


def ladder_subject(plan: Plan) -> str:
    """What the open ladder question is about: the last rung, or the output it started from."""
    chain = plan.chain
    if chain is None:
        return ""
    return chain.rungs[-1] if chain.rungs else chain.origin
