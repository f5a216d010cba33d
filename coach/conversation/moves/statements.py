"""New statements of work: taken up one at a time; while another is in hand they are queued, and said so."""

from __future__ import annotations

from coach.conversation.moves.base import Move, begin, queue_new, remember
from coach.conversation.plan import Plan
from coach.conversation.wording import listing, quote


class NewStatements(Move):
    name = "statements"
    acts = ("statement",)

    def run(self, plan: Plan) -> None:
        st = plan.state
        pend = remember(plan, plan.turn.statements)
        if not pend:
            plan.say("social.unreadable")
            plan.again()
            return
        asked_in_english = st.phase == "clarify" and st.clarifying is not None and st.clarifying.language
        if asked_in_english and st.clarifying is not None:  # asked for it in English: this is that statement
            st.said = [t for t in st.said if t != st.clarifying.text]  # replaced by its English (the turn keeps it)
            st.clarifying = None
        if st.phase in ("welcome", "idle") or asked_in_english:
            first, rest = pend[0], pend[1:]
            st.queue = rest + st.queue
            if rest:
                plan.say(
                    "statements.several",
                    n=len(pend),
                    first=quote(first.text, 70),
                    rest=listing([f"“{quote(p.text, 60)}”" for p in rest]),
                )
            begin(plan, first)
            return
        queue_new(plan, pend)
        plan.again()
