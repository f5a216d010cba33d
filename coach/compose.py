"""Reply composition: a conversation plan becomes the `CoachReply` every channel renders.

The needs of the plan are resolved through the ports (directions to offer, measures, a knowledge answer, the
map), the lines rendered from `prompts/coach/`, and the reply ends on one question — a new one, or the open
one reworded (never the same words twice in a row).
"""

from __future__ import annotations

import re

import numpy as np

from coach.answers import AnswerContext, AnswerEngine
from coach.conversation.plan import AnswerQuestion, Line, OfferDirections, Plan, ProposeMeasures, ShowMap
from coach.conversation.wording import sentence
from coach.domain import Chain, Citation, CoachReply, ProposedMeasure
from coach.knowledge import measure_from_meta
from coach.measures import Context, MeasureProposer
from coach.numbers import example_answer
from coach.outcome_map import build_map
from coach.ports import KnowledgeIndex, Rephraser
from coach.templates import render

_BRIDGED = ("questions", "statements", "commands")


def map_lines(chains: list[Chain]) -> list[str]:
    """The outcome map as plain sentences (no Markdown): one line per piece of work."""
    out: list[str] = []
    for c in chains:
        if c.status == "outcome" and c.outcome:
            line = f"• “{c.origin}” → {c.outcome}" if c.origin_label == "output" else f"• Outcome: {c.outcome}"
            if c.measures:
                line += " · measured by " + "; ".join(m.name for m in c.measures)
            if c.outcome_statement:
                line += f" · {c.outcome_statement}"
        elif c.status == "commitment":
            line = f"• “{c.origin}” — a commitment" + (f" ({c.commitment})" if c.commitment else "")
        elif c.status == "unresolved":
            line = f"• “{c.origin}” — parked at “{c.rungs[-1]}”" if c.rungs else f"• “{c.origin}” — parked"
        elif c.status == "skipped":
            line = f"• “{c.origin}” — parked"
        else:
            line = f"• “{c.origin}” — in progress" + (f" (so far: {c.rungs[-1]})" if c.rungs else "")
        out.append(line)
    return out


Gaps = list[tuple[str, float]]


_THEY = re.compile(r"^(?:they|these people|those people)\b\s*", re.IGNORECASE)


def _named(m: ProposedMeasure) -> str:
    """How a proposed measure is listed: a drafted one by its name when it has a real one ("Time it takes …")."""
    if not m.drafted:
        return f"{m.name} ({m.kind})"
    if m.name.startswith("Drafted:"):
        return f"a measure drafted from your words ({m.kind})"
    return f"{m.name} ({m.kind}, drafted from your words)"


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

    def directions(self, text: str) -> list[str]:
        """Outcome themes that similar work usually serves: offered as options, never chosen for the person."""
        themes: list[str] = []
        snap = self.index.snapshot("measures")  # in memory: exact cosine over a few hundred rows beats a query
        if not snap.ids:
            return []
        vec = self.index.embedder.embed([text])[0]
        norms = np.linalg.norm(snap.embeddings, axis=1) * (float(np.linalg.norm(vec)) or 1.0)
        sims = snap.embeddings @ vec / np.where(norms > 0, norms, 1.0)
        for i in np.argsort(-sims, kind="stable")[:6]:
            for t in measure_from_meta(snap.metadatas[int(i)]).outcome_themes[:2]:
                if t.lower() not in {x.lower() for x in themes}:
                    themes.append(t)
        return themes[:3]

    def knowledge_answer(
        self, query: str, plan: Plan | None = None, gaps: Gaps | None = None
    ) -> tuple[str, list[Citation]]:
        """The answer engine's answer: cited passages, or an honest "not covered" (recorded in `gaps`). A short
        follow-up right after an answer ("and the lagging one?") is answered from that answer's topic."""
        previous = None
        if plan is not None and plan.state.answer_context and plan.state.answer_turn == plan.state.turn - 1:
            previous = AnswerContext.model_validate(plan.state.answer_context)
        got = self.answers.answer(query, previous)
        if not got.covered and not got.follow_up and gaps is not None:
            gaps.append((query, got.score))
        if plan is not None:
            plan.state.answer_context = got.context.model_dump(mode="json") if got.context else None
            plan.state.answer_turn = plan.state.turn
        return got.text, got.citations

    def _name_they(self, plan: Plan) -> None:
        """'They give better feedback', reached from 'We trained 200 managers …': the outcome names the people the
        work was for ('Managers give better feedback'), in the chain and in what the coach says about it, so the
        outcome stands on its own in the map and its measures are about managers."""
        for need in plan.needs:
            if not isinstance(need, ProposeMeasures):
                continue
            chain = next((c for c in plan.chains if c.id == need.chain_id), None)
            if chain is None or not chain.outcome or chain.origin_label != "output" or not _THEY.match(chain.outcome):
                continue
            who = self.proposer.people.population(chain.origin)
            if not who:
                continue
            old, new = chain.outcome, sentence(_THEY.sub(f"{who} ", chain.outcome, count=1))
            chain.outcome = new
            for line in plan.lines:
                for key, value in line.slots.items():
                    if isinstance(value, str) and old in value:
                        line.slots[key] = value.replace(old, new)

    def compose(self, plan: Plan, gaps: Gaps | None = None) -> CoachReply:
        st, turn = plan.state, plan.state.turn
        self._name_they(plan)
        parts = [render(line.key, turn, **line.slots) for line in plan.lines]
        question = plan.question
        options = list(plan.options)
        citations: list[Citation] = []
        measures: list[ProposedMeasure] = []
        shown_map = None
        for need in plan.needs:
            if isinstance(need, OfferDirections):
                themes = self.directions(need.text)
                options = themes + [o for o in options if o not in themes]
                if question is not None:
                    slots = dict(question.slots)
                    if "directions" in slots:
                        slots["directions"] = ", ".join(f"“{t}”" for t in themes) or "“something else”"
                    question = Line(question.key, slots)
            elif isinstance(need, ProposeMeasures):
                chain = next((c for c in plan.chains if c.id == need.chain_id), None)
                if chain is not None and chain.outcome:
                    if not chain.measures:
                        context = Context([chain.origin, *chain.rungs]) if chain.origin_label == "output" else None
                        chain.measures = self.proposer.propose(chain.outcome, k=3, context=context)
                    measures = chain.measures
                    if measures:
                        names = "; ".join(_named(m) for m in measures)
                        parts.append(render("measures.proposed", turn, names=names))
                        drafted = [m for m in measures if m.drafted]
                        if drafted and len(drafted) < len(measures):  # a library measure too: say which is drafted
                            parts.append(render("measures.weak_kind", turn, kind=drafted[0].kind))
                        elif drafted:
                            parts.append(render("measures.weak", turn))
                        first = measures[0]
                        question = Line(
                            "measures.ask_baseline_drafted" if first.drafted else "measures.ask_baseline",
                            {"measure": first.name, "example": example_answer(first)},
                        )
                        options = ["Unknown"]
                        if st.held_numbers and st.held_for == chain.id:  # given while laddering: offered now
                            question = Line("measures.ask_held", {"measure": first.name, "held": st.held_numbers})
                            options = ["Yes", "Unknown"]
            elif isinstance(need, AnswerQuestion):
                answer, cites = self.knowledge_answer(need.query, plan, gaps)
                parts.append(render("knowledge.answer", turn, answer=answer))
                citations = cites + [c for c in citations if c not in cites]
            elif isinstance(need, ShowMap):
                shown_map = build_map(plan.chains)
                lines = map_lines(plan.chains)
                parts.append(
                    "\n".join([render("summary.intro", turn), *lines]) if lines else render("summary.empty", turn)
                )
        for c in plan.statements:
            for e in c.evidence:
                if e.citation and e.citation not in citations:
                    citations.append(e.citation)
        asked = self._question(plan, question, parts, options)
        text = "\n\n".join([*parts, asked] if asked else parts)
        if self.rephraser is not None:
            text = self.rephraser.rephrase(text, context=st.phase)
        act = plan.turn.reading.act
        return CoachReply(
            text=text,
            statements=plan.statements,
            question=asked,
            options=st.last_options if asked else [],
            measures=measures,
            citations=citations[:4],
            state=st.phase,
            queued=[p.text for p in st.queue],
            chain_id=st.current,
            act=act,
            map=shown_map,
        )

    def _question(self, plan: Plan, question: Line | None, parts: list[str], options: list[str]) -> str | None:
        """The question the reply ends on, remembered so it can be re-asked in other words later."""
        st = plan.state
        if question is not None:
            asked = render(question.key, st.turn, st.asked, **question.slots)
            st.q_key, st.q_slots, st.last_options = question.key, dict(question.slots), options
        elif plan.reask and st.q_key:
            asked = render(st.q_key, st.turn + 1, st.asked, **st.q_slots)
            if asked in st.asked[-1:] or (parts and plan.move in _BRIDGED):
                asked = f"{render('flow.back', st.turn)} {asked}"
        elif plan.reask:
            asked = render("flow.welcome_again", st.turn, st.asked)
            st.q_key, st.q_slots, st.last_options = "flow.welcome_again", {}, []
        else:
            return None
        st.remember_question(asked)
        return asked
