"""Questions: about the ideas (answered from the guidance, cited) or about the conversation itself (why this
question, what it means, why a statement got its label, an example). Either way the coach then returns to the
open question."""

from __future__ import annotations

import re

from coach.conversation.moves.base import Move
from coach.conversation.plan import AnswerQuestion, Plan
from coach.conversation.state import Pending, SessionState
from coach.conversation.wording import inline, quote

_WHY_LABEL = re.compile(r"\bwhy\b.*\b(?:output|outcome|label\w*|classif\w*|call(?:ed)? it|say (?:it'?s|that))", re.I)
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_NOT_NAMING = frozenset(
    [
        "why",
        "what",
        "which",
        "that",
        "this",
        "the",
        "one",
        "you",
        "your",
        "are",
        "was",
        "were",
        "isn't",
        "wasn't",
        "call",
        "called",
        "say",
        "said",
        "it's",
        "its",
        "output",
        "outputs",
        "outcome",
        "outcomes",
        "label",
        "labelled",
        "classified",
        "classify",
        "think",
        "thought",
        "mean",
    ]
)


def asked_about(question: str, st: SessionState) -> Pending | None:
    """The statement a "why is … an output?" question names ("why is the portal an output?" after two more
    statements): the recent one sharing most words with the question; the one in focus when none is named."""
    words = {w for w in _WORD.findall(question.lower()) if w not in _NOT_NAMING}
    best, score = st.focus, 0
    for p in reversed(st.recent):
        shared = len(words & set(_WORD.findall(p.text.lower())))
        if shared > score:
            best, score = p, shared
    return best


class KnowledgeQuestion(Move):
    name = "questions"
    acts = ("knowledge_question",)

    def run(self, plan: Plan) -> None:
        plan.need(AnswerQuestion(plan.turn.text))
        plan.again()


class MetaQuestion(Move):
    name = "questions"
    acts = ("meta_question",)

    def run(self, plan: Plan) -> None:
        st = plan.state
        f = asked_about(plan.turn.text, st)
        if st.answer_context and st.answer_turn == st.turn - 1 and not _WHY_LABEL.search(plan.turn.text):
            plan.need(AnswerQuestion(plan.turn.text))  # "give me an example", "and the lagging one?"
            plan.again()
            return
        if f is not None and _WHY_LABEL.search(plan.turn.text):
            plan.say(
                "questions.why_label",
                text=quote(f.text, 70),
                label=f.label,
                reason=inline(f.rationale.rstrip(".").replace(" (It also says", " (it also says")),
            )
            if f.guidance:
                plan.say("questions.guidance", guidance=quote(f.guidance, 300))
        else:
            plan.say(f"questions.explain_{st.phase}")
        plan.again()
