"""Reply composition: turns a conversation plan into the `CoachReply` every channel renders, fetching what
the plan asks for (directions to offer, measures, a knowledge answer, the map) through the ports."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from coach.answers import AnswerEngine
from coach.domain import Citation, CoachReply, ProposedMeasure
from coach.knowledge import measure_from_meta
from coach.measures import MeasureProposer, population
from coach.outcome_map import build_map, to_markdown
from coach.ports import KnowledgeIndex, Rephraser
from coach.templates import render

if TYPE_CHECKING:
    from coach.policy import Plan


class ReplyComposer:
    def __init__(
        self,
        index: KnowledgeIndex,
        proposer: MeasureProposer,
        rephraser: Rephraser | None = None,
        answers: AnswerEngine | None = None,
    ) -> None:
        self.index = index
        self.proposer = proposer
        self.rephraser = rephraser
        self.answers = answers or AnswerEngine(index)

    def directions(self, text: str) -> tuple[list[str], str | None]:
        """Outcome themes that similar work usually serves (offered, never chosen), and who it is for."""
        themes: list[str] = []
        whos: list[str] = []
        for h in self.index.search(text, kind="measures", k=6):
            m = measure_from_meta(h.metadata)
            whos.append(m.who)
            for t in m.outcome_themes[:2]:
                if t.lower() not in {x.lower() for x in themes}:
                    themes.append(t)
        people = [w for w in whos if w and w.split()[-1].endswith("s") and len(w.split()) <= 2]
        who = Counter(people).most_common(1)[0][0] if people else None
        return themes[:3], who

    def knowledge_answer(self, query: str, gaps: list[tuple[str, float]] | None = None) -> tuple[str, list[Citation]]:
        """The answer engine's answer (cited passages, or "not covered"); uncovered questions go to `gaps`."""
        got = self.answers.answer(query)
        if not got.covered and not got.follow_up and gaps is not None:
            gaps.append((query, got.score))
        return got.text, got.citations

    def compose(self, plan: Plan, gaps: list[tuple[str, float]] | None = None) -> CoachReply:
        st = plan.state
        turn = st.turn
        options: list[str] = []
        if plan.directions_for:
            options, who = self.directions(plan.directions_for)
            if plan.question_step and population(plan.directions_for) is None and who:
                name, slots = plan.question_step
                if name.startswith("family:") and slots.get("who", "").startswith("the people it"):
                    slots["who"] = who
        parts = [p for p in (render(name, turn, **slots) for name, slots in plan.steps) if p]
        citations: list[Citation] = []
        for c in plan.statements:
            for e in c.evidence:
                if e.citation and e.citation not in citations:
                    citations.append(e.citation)
        measures: list[ProposedMeasure] = []
        question: str | None = None
        if plan.measures_for:
            chain = next((c for c in plan.chains if c.id == plan.measures_for), None)
            if chain is not None and chain.outcome:
                if not chain.measures:
                    chain.measures = self.proposer.propose(chain.outcome, k=3)
                measures = chain.measures
                if measures:
                    parts.append(render("measures", turn, names="; ".join(f"{m.name} ({m.kind})" for m in measures)))
                    question = render("ask_baseline", turn, measure=measures[0].name)
        if plan.knowledge_query:
            answer, cites = self.knowledge_answer(plan.knowledge_query, gaps)
            parts.append(render("knowledge", turn, answer=answer))
            citations = cites + [c for c in citations if c not in cites]
        if plan.show_map:
            md = to_markdown(build_map(plan.chains))
            parts.append(render("summary", turn, map=md) if plan.chains else render("empty_map", turn))
        if plan.question_step is not None:
            name, slots = plan.question_step
            question = render(name, turn, **slots)
        elif plan.question:
            question = plan.question
        if question:
            st.last_question = question
            st.last_options = options or (st.last_options if not plan.steps else [])
        text = "\n\n".join([*parts, question] if question else parts)
        if self.rephraser is not None:
            text = self.rephraser.rephrase(text, context=st.phase)
        return CoachReply(
            text=text,
            statements=plan.statements,
            question=question,
            options=options,
            measures=measures,
            citations=citations[:4],
            state=st.phase,
            queued=plan.queued or [p.text for p in st.queue],
            chain_id=st.current,
        )
