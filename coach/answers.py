"""Knowledge answers: the right passage, whole, cited — or an honest "not covered".

`AnswerEngine.answer(question, previous)` retrieves guidance sections by meaning and by words (dense cosine over
the section's chunks and over the questions the section answers, `knowledge/questions/`, BM25 over its text, and
the overlap with its heading; rare jargon searched with its plain meaning from the glossary, `coach.glossary`),
reads what kind of answer the question wants
(`coach.answer_text.read_question`), and picks from the best section the sentences or the whole list that answer
it: the definition for "what is", both sides for "what's the difference", the items for
"what are the four …", the steps for "how do I". Below a relevance floor it says the question is outside what
the guidance covers and cites nothing. A short follow-up ("and the lagging one?", "give me an example") is
answered from the previous answer's topic, carried in an `AnswerContext` the caller stores and passes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, Field

from coach.answer_index import Section, SectionIndex
from coach.answer_select import defines, is_example, next_units, render, repeats, select
from coach.answer_text import FollowUp, Question, QuestionKind, Unit, read_follow_up, read_question, with_head
from coach.config import REPO_ROOT
from coach.domain import Citation
from coach.glossary import Glossary, glossary
from coach.ports import KnowledgeIndex
from coach.retrieval import tokens

# a catalogue of quoted statements or questions answers only a question that asks for examples or what to ask
_ASKS_FOR_EXAMPLES = re.compile(r"\b(?:examples?|phrasings?|wordings?|samples?|typical|typically)\b", re.I)
_ASKS_FOR_QUESTIONS = re.compile(r"\b(?:ask|asking|questions?)\b", re.I)
PROMPTS = REPO_ROOT / "prompts" / "answers"


@lru_cache(maxsize=16)
def wording(name: str) -> str:
    return (PROMPTS / f"{name}.txt").read_text("utf-8").strip()


class AnswerContext(BaseModel):
    """What a follow-up needs from the previous answer. JSON-able: store it in session state, pass it back."""

    question: str
    kind: str
    focus: str | None = None
    sides: list[str] = Field(default_factory=list)
    doc_id: str
    section: str
    shown: list[int] = Field(default_factory=list, description="Positions of the section's units already said.")


class AnswerPassage(BaseModel):
    text: str
    citation: Citation


class Answer(BaseModel):
    text: str
    passages: list[AnswerPassage] = Field(default_factory=list)
    covered: bool
    score: float = Field(description="Relevance of the best section (cosine similarity); 0 when none.")
    kind: str
    follow_up: bool = False
    context: AnswerContext | None = None

    @property
    def citations(self) -> list[Citation]:
        return [p.citation for p in self.passages]

    @property
    def body(self) -> str:
        """The passages' words only (no citation marks)."""
        return "\n\n".join(p.text for p in self.passages)


@dataclass(frozen=True)
class Tuning:
    """Weights of the three relevance signals and the floor below which a question is not covered."""

    dense: float = 1.0
    lexical: float = 0.3
    heading: float = 0.1
    defines: float = 0.1  # a section that defines the term a "what is" question asks about
    rare: int = 8  # a glossary term held by at most this many sections is searched with its meaning
    example: float = 0.05  # a section about examples, for a question that asks for one
    quoted: float = 0.1  # less for a catalogue of quoted statements or questions, unless the question asks for them
    floor: float = 0.4  # on the best section's relevance: dense similarity + `words` × share of the words found
    words: float = 0.2
    asked: float = 0.85  # a section question's similarity counts this much against its best chunk's
    asked_margin: float = 0.25  # ... and this much less in the relevance checked against the floor
    budget: int = 700  # characters of prose in the first passage (lists come whole, on top)
    second_within: float = 0.5  # a second passage when its section scores this close to the first
    second_floor: float = 0.3  # ... and its best chunk is at least this similar to the question
    same_within: float = 0.3  # ... and, when it only repeats the first, this close and in another document
    second_budget: int = 450  # characters of prose in the second passage
    follow_bonus: float = 0.05  # sections of the previous answer's document, when resolving a follow-up


@dataclass
class Ranked:
    section: Section
    score: float
    dense: float
    relevance: float = 0.0  # what the floor is checked against (set on the best section)


class AnswerEngine:
    def __init__(self, index: KnowledgeIndex, tuning: Tuning | None = None, terms: Glossary | None = None) -> None:
        self.index = index
        self.tuning = tuning or Tuning()
        self.terms = terms if terms is not None else glossary()
        self._sections: SectionIndex | None = None

    # ----- retrieval ------------------------------------------------------------------------------------------
    def sections(self) -> SectionIndex:
        snap, asked = self.index.snapshot("guidance"), self.index.snapshot("questions")
        if self._sections is None or not self._sections.same(snap, asked):
            self._sections = SectionIndex(snap, asked)
        return self._sections

    def rank(
        self, question: str, prefer_doc: str | None = None, k: int = 5, kind: str = "other", focus: str | None = None
    ) -> list[Ranked]:
        idx = self.sections()
        if not idx.sections:
            return []
        t = self.tuning
        question = self.terms.expand(question, lambda words: idx.rare(words, t.rare))  # jargon, in plain words
        vec = self.index.embedder.embed([question])[0]
        sims = idx.snap.embeddings @ vec
        chunks = np.full(len(idx.sections), -1.0, dtype=np.float32)
        np.maximum.at(chunks, idx.rows, sims)
        asked = np.full(len(idx.sections), -1.0, dtype=np.float32)
        if len(idx.keys):  # the questions a section answers, as extra keys: its best match counts
            np.maximum.at(asked, idx.key_rows, idx.keys @ vec)
        dense = np.maximum(chunks, t.asked * asked)
        lexical = idx.lexical.scores(question)
        q = frozenset(tokens(question))
        heading = np.array([len(q & s.heading) / max(1, len(q | s.heading)) for s in idx.sections], dtype=np.float32)
        score = t.dense * dense + t.lexical * lexical + t.heading * heading
        if prefer_doc:
            score += np.array([t.follow_bonus if s.doc_id == prefer_doc else 0.0 for s in idx.sections])
        if kind == "example":
            score += np.array([t.example if "example" in s.name.lower() else 0.0 for s in idx.sections])
        if kind != "example" and not _ASKS_FOR_EXAMPLES.search(question):
            score -= t.quoted * idx.quoted_statements
        if not _ASKS_FOR_QUESTIONS.search(question):
            score -= t.quoted * idx.quoted_questions
        if kind == "definition" and focus and t.defines:  # among the best, the sections that define the term
            term = frozenset(tokens(focus))
            for i in np.argsort(-score)[: 2 * k]:
                if any(defines(u, term) for u in idx.sections[i].units):
                    score[i] += t.defines
        top = np.argsort(-score)[:k]
        ranked = [Ranked(idx.sections[i], float(score[i]), float(dense[i])) for i in top]
        best = top[0]
        # a question looks more like another question than like prose: a key's similarity counts less here
        ranked[0].relevance = max(chunks[best], asked[best] - t.asked_margin) + t.words * idx.found(question)
        return ranked

    # ----- answering ------------------------------------------------------------------------------------------
    def answer(self, question: str, previous: AnswerContext | None = None) -> Answer:
        follow = read_follow_up(question)
        if follow is not None:
            if previous is None:
                return Answer(text=wording("no_context"), covered=False, score=0.0, kind="other", follow_up=True)
            resolved = self._follow(follow, previous)
            if resolved is not None:
                return resolved
        q = read_question(question)
        return self._answer(q)

    def _answer(self, q: Question, prefer_doc: str | None = None, follow_up: bool = False) -> Answer:
        ranked = self.rank(q.text, prefer_doc, kind=q.kind, focus=q.focus)
        if not ranked or ranked[0].relevance < self.tuning.floor:
            best = ranked[0].relevance if ranked else 0.0
            return Answer(text=wording("not_covered"), covered=False, score=round(best, 4), kind=q.kind)
        top, relevance = ranked[0], ranked[0].relevance
        runner = ranked[1] if len(ranked) > 1 else None
        chosen = select(top.section.units, q, budget=self.tuning.budget)
        passages = [AnswerPassage(text=render(chosen), citation=top.section.citation())]
        if q.kind == "difference" and q.sides:
            passages += self._missing_side(q, chosen, top.section)
        if len(passages) == 1 and runner is not None:
            passages += self._second(q, chosen, top, runner)
        ctx = AnswerContext(
            question=q.text,
            kind=q.kind,
            focus=q.focus,
            sides=list(q.sides or ()),
            doc_id=top.section.doc_id,
            section=top.section.name,
            shown=[u.pos for u in chosen],
        )
        return self._finish(passages, round(relevance, 4), q.kind, ctx, follow_up)

    def _finish(
        self, passages: list[AnswerPassage], score: float, kind: str, ctx: AnswerContext | None, follow_up: bool
    ) -> Answer:
        text = "\n\n".join(f"{p.text}\n(from “{p.citation.label()}”)" for p in passages)
        return Answer(
            text=text, passages=passages, covered=True, score=score, kind=kind, follow_up=follow_up, context=ctx
        )

    def _second(self, q: Question, chosen: list[Unit], top: Ranked, runner: Ranked) -> list[AnswerPassage]:
        """A second section that scores nearly as well adds what it says that the first did not."""
        if runner.score < top.score - self.tuning.second_within or runner.dense < self.tuning.second_floor:
            return []
        fresh = [u for u in runner.section.units if not repeats(u, chosen)]
        picked = select(fresh, q, budget=self.tuning.second_budget)
        if (
            not picked
            and runner.section.doc_id != top.section.doc_id
            and runner.score >= top.score - self.tuning.same_within
        ):
            # another document says the same (an FAQ entry and the longer document it summarises): cite it, with
            # its own first sentence, so the reader knows both places
            picked = [u for u in runner.section.units if u.kind == "sentence"][:1]
        if not picked:
            return []
        return [AnswerPassage(text=render(picked), citation=runner.section.citation())]

    def _missing_side(self, q: Question, chosen: list[Unit], first: Section) -> list[AnswerPassage]:
        """'Difference between A and B' where the best section speaks of one side only: define the other."""
        assert q.sides is not None
        said = frozenset().union(*(u.stems for u in chosen)) if chosen else frozenset()
        for side, other in (q.sides, q.sides[::-1]):
            own = frozenset(tokens(side)) - frozenset(tokens(other)) or frozenset(tokens(side))
            if own and not own & said:
                sub = Question(f"What is {side}?", "definition", focus=side)
                for r in self.rank(sub.text):
                    if r.section is not first and r.dense >= self.tuning.floor:
                        picked = select(r.section.units, sub)
                        return [AnswerPassage(text=render(picked), citation=r.section.citation())]
        return []

    # ----- follow-ups -----------------------------------------------------------------------------------------
    def _follow(self, f: FollowUp, prev: AnswerContext) -> Answer | None:
        idx = self.sections()
        section = idx.find(prev.doc_id, prev.section)
        if section is None:
            return None
        if f.kind in ("other_side", "swap") and f.term:
            term = with_head(f.term, prev.focus or (prev.sides[-1] if prev.sides else None))
            if prev.focus and prev.kind not in ("definition", "difference") and prev.focus in prev.question:
                text = prev.question.replace(prev.focus, term)
            else:
                text = f"What is {term}?"
            return self._answer(read_question(text), prefer_doc=prev.doc_id, follow_up=True)
        q = Question(prev.question, "example" if f.kind == "example" else "why" if f.kind == "why" else "other")
        for sec in [section, *(s for s in idx.of_doc(prev.doc_id) if s is not section)]:
            shown = set(prev.shown) if sec is section else set()
            avail = [u for u in sec.units if u.pos not in shown]
            if f.kind == "example":
                avail = [u for u in avail if is_example(u) or "example" in sec.name.lower()]
            elif f.kind == "more" and sec is section:
                after = max(shown, default=-1)
                avail = [u for u in avail if u.pos > after] or avail
            if not avail:
                continue
            chosen = select(avail, q) if f.kind != "more" else next_units(avail)
            ctx = prev.model_copy(
                update={"doc_id": sec.doc_id, "section": sec.name, "shown": sorted(shown | {u.pos for u in chosen})}
            )
            passage = AnswerPassage(text=render(chosen), citation=sec.citation())
            return self._finish([passage], 1.0, q.kind, ctx, follow_up=True)
        topic = section.name or section.title
        return Answer(
            text=wording("no_more").replace("{topic}", topic),
            covered=False,
            score=0.0,
            kind=q.kind,
            follow_up=True,
            context=prev,
        )


__all__ = ["Answer", "AnswerContext", "AnswerEngine", "AnswerPassage", "QuestionKind", "Tuning"]
