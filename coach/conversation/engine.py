"""The conversation engine: (state, chains, one message read in context) → a plan. Pure: no I/O.

1. The act is settled against the phase (a result cannot be an answer when no question was asked) and,
   for answers, cross-checked with the statement classifier.
2. The first move that takes this act in this phase runs; every act has a move in every phase (the fallback
   re-asks gently and stores nothing).
"""

from __future__ import annotations

import re

from coach.answer_text import read_follow_up
from coach.conversation.acts import Act, Reading
from coach.conversation.cues import ASKS_EXAMPLE, NUMBER_WORDS, UNSURE, WE_DID
from coach.conversation.moves import FALLBACK, MOVES, Move
from coach.conversation.plan import Plan, Turn
from coach.conversation.state import Phase, SessionState
from coach.domain import Chain

TABLE: dict[str, list[Move]] = {}
for _move in MOVES:
    for _act in _move.acts:
        TABLE.setdefault(_act, []).append(_move)

_ANSWERS = ("result", "intermediate")
REPLY_WEIGHT = 0.7
_DOUBT = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|only|without|ask|asked|would know|need to|have to|"
    r"\w+n'?t|dont|cant|wont|cannot)\b",
    re.IGNORECASE,
)


def _says_no_doubt(act: Act, phase: Phase, text: str) -> bool:
    """A 'don't know' to a number question that says nothing of not knowing ("so staff can log in securely",
    "they handle calls on their own by week two"): a statement about the work, never 'baseline unknown'."""
    return (
        act == "non_answer"
        and phase in ("ask_baseline", "ask_target")
        and len(text.split()) >= 4
        and not UNSURE.search(text)
        and not _DOUBT.search(text)
    )


def settle(reading: Reading, phase: Phase, turn: Turn) -> Act:
    """The act to respond to, given the phase and the classifier's view of the reply.

    Result or intermediate is close to the distinction the statement classifier was trained for (outcome or
    output): when the reply model hesitates between the two, the classifier tips the balance. The reply model
    weighs more (0.7): it was trained on answers in context, where "tickets get resolved faster" is still the
    team's own speed, which a statement on its own could pass for a result."""
    act = reading.act
    if phase in ("welcome", "idle", "ask_baseline", "ask_target") and act in (*_ANSWERS, "reason"):
        return "statement"
    if _says_no_doubt(act, phase, turn.text):
        return "statement"
    if act == "numbers" and WE_DID.search(turn.text) and not NUMBER_WORDS.search(turn.text):
        return "statement"  # "We closed 500 incident records": a count inside a work statement is no baseline
    if act in _ANSWERS and turn.statements and phase in ("ask_result", "ask_higher", "ask_mandate"):
        c = turn.statements[0]
        p_res, p_int = reading.probs.get("result", 0.0), reading.probs.get("intermediate", 0.0)
        if c.label in ("output", "outcome") and p_res + p_int > 0:
            p_outcome = c.confidence if c.label == "outcome" else 1.0 - c.confidence
            fused = REPLY_WEIGHT * p_res / (p_res + p_int) + (1 - REPLY_WEIGHT) * p_outcome
            return "result" if fused >= 0.5 else "intermediate"
    return act


def classification_mode(act: Act, phase: Phase, text: str = "") -> str:
    """How the service classifies the message before the engine runs: 'split', 'whole' or 'none'."""
    if act == "statement" or (phase in ("welcome", "idle") and act in (*_ANSWERS, "reason")):
        return "split"
    if _says_no_doubt(act, phase, text):
        return "split"
    if act == "numbers" and WE_DID.search(text) and not NUMBER_WORDS.search(text):
        return "split"
    if act in (*_ANSWERS, "reason") and phase in ("ask_result", "ask_higher", "ask_mandate", "clarify"):
        return "whole"
    if act == "numbers" and phase == "clarify":  # numbers given while laddering are kept, not classified
        return "whole"
    return "none"


def step(state: SessionState, chains: list[Chain], turn: Turn) -> Plan:
    st = state.model_copy(deep=True)
    st.turn += 1
    plan = Plan(state=st, chains=[c.model_copy(deep=True) for c in chains], turn=turn, statements=turn.statements)
    act = settle(turn.reading, st.phase, turn)
    if st.answer_context and st.answer_turn == st.turn - 1 and read_follow_up(turn.text):
        act = "knowledge_question"  # "and the lagging one?", "give me an example": about the answer just given
    elif act in ("result", "intermediate", "statement") and ASKS_EXAMPLE.match(turn.text):
        act = "meta_question"  # "can you give me an example?" is never an answer
    if act != turn.reading.act:
        turn.reading = Reading(act, turn.reading.confidence, turn.reading.command, turn.reading.source)
    phase = st.phase
    for move in TABLE.get(act, []):
        if phase in move.phases and move.applies(plan):
            move.run(plan)
            plan.move = move.name
            return plan
    FALLBACK.run(plan)
    plan.move = FALLBACK.name
    return plan
