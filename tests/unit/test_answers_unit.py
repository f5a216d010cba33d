"""Knowledge answers on fakes: a tiny guidance set in the in-memory index over the hash embedder (no model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coach.adapters.fakes import HashEmbedder, InMemoryIndex, InMemoryKnowledgeGaps
from coach.answer_text import read_follow_up, read_question, sentences, units, with_head
from coach.answers import AnswerContext, AnswerEngine, Tuning, wording
from coach.ingest import chunk_guidance
from coach.knowledge import parse_guidance

DOCS = {
    "training.md": """---
id: training
title: Evaluating training
sources:
  - "Techniques for evaluating training programs — Donald L. Kirkpatrick (1959)"
  - "Map It — Cathy Moore (2017)"
---

# Evaluating training

## The four levels

Donald Kirkpatrick's model evaluates training at four levels:

1. Reaction — how participants felt about the training.
2. Learning — whether participants gained the intended knowledge.
3. Behaviour — whether participants apply what they learned on the job.
4. Results — whether the targeted business results followed.

## Action mapping

Action mapping is Cathy Moore's method for designing training backwards from a business goal.
""",
    "gaming.md": """---
id: gaming
title: Goodhart's law and balancing measures
sources:
  - "Problems of Monetary Management — Charles Goodhart (1975)"
  - "Assessing the Impact of Planned Social Change — Donald T. Campbell (1979)"
---

# Goodhart's law and balancing measures

## Campbell's law

Campbell's law says that the more an indicator is used for decisions, the more it is corrupted. The social scientist Donald T. Campbell made that point in 1979 about social programmes. Together with Goodhart's law, it is why a single target is never proposed on its own.

## Examples

- Output: "closed 500 incident records". Balancing measure: incidents reopened within 7 days.
""",
    "measures.md": """---
id: measures
title: Leading and lagging measures
sources:
  - "The Balanced Scorecard — Robert S. Kaplan, David P. Norton (1996)"
---

# Leading and lagging measures

## Leading measures

A leading measure is a measure that moves early and predicts the result. For example, the share of new hires with working access on day one predicts retention.

## Lagging measures

A lagging measure is a measure of the final result, recorded after it has happened, such as 12-month retention.
""",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    folder = tmp_path_factory.mktemp("guidance")
    index = InMemoryIndex(HashEmbedder())
    for name, text in DOCS.items():
        path = folder / name
        path.write_text(text, "utf-8")
        chunks = chunk_guidance(parse_guidance(path, text))
        vecs = index.embedder.embed([c.embed_text for c in chunks])
        index.add("guidance", [c.id for c in chunks], [c.text for c in chunks], vecs, [c.metadata for c in chunks])
    return AnswerEngine(index, Tuning(floor=0.35))  # the hash embedder scores lower than the model


# ----- text ------------------------------------------------------------------------------------------------
def test_sentences_do_not_break_on_initials_or_abbreviations() -> None:
    got = sentences("The social scientist Donald T. Campbell made that point, e.g. in 1979. A second sentence.")
    assert got == ("The social scientist Donald T. Campbell made that point, e.g. in 1979.", "A second sentence.")


def test_a_list_is_one_unit_with_its_markers() -> None:
    us = units("It has two parts:\n\n1. First part.\n2. Second part.\n\nAfter it.")
    assert [u.kind for u in us] == ["sentence", "list", "sentence"]
    assert us[1].text == "1. First part.\n2. Second part."


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What are Kirkpatrick's four levels?", "list"),
        ("What is Goodhart's law?", "definition"),
        ("What does impact mapping mean?", "definition"),
        ("What's the difference between a leading and a lagging measure?", "difference"),
        ("leading vs lagging", "difference"),
        ("How do I write an outcome statement?", "howto"),
        ("Why do people default to outputs?", "why"),
        ("When is it fine to commit to an output?", "when"),
        ("Can you give me an example of a balancing measure?", "example"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert read_question(question).kind == kind


def test_question_parts() -> None:
    q = read_question("Hi! Could you tell me what's the difference between a leading and a lagging measure?")
    assert q.sides == ("leading", "lagging measure")
    assert read_question("What are Kirkpatrick's four levels?").count == 4
    assert read_question("What is a baseline?").focus == "baseline"


def test_follow_ups_are_recognised_and_others_are_not() -> None:
    assert read_follow_up("and the lagging one?") is not None
    assert read_follow_up("give me an example") is not None
    assert read_follow_up("tell me more") is not None
    assert read_follow_up("What is a lagging measure?") is None
    assert read_follow_up("We ran 14 workshops and trained 200 managers") is None
    assert with_head("lagging one", "leading measure") == "lagging measure"


# ----- answers ---------------------------------------------------------------------------------------------
def test_a_list_question_gets_the_whole_list_and_its_lead_in(engine: AnswerEngine) -> None:
    got = engine.answer("What are Kirkpatrick's four levels?")
    assert got.covered
    first = got.passages[0]
    assert (first.citation.doc_id, first.citation.section) == ("training", "The four levels")
    for level in ("1. Reaction", "2. Learning", "3. Behaviour", "4. Results — whether the targeted business results"):
        assert level in first.text
    assert first.text.startswith("Donald Kirkpatrick's model evaluates training at four levels:")
    # Only the source the section names is cited.
    assert first.citation.sources == ["Techniques for evaluating training programs — Donald L. Kirkpatrick (1959)"]


def test_sentences_are_never_cut(engine: AnswerEngine) -> None:
    got = engine.answer("What is Campbell's law?")
    assert got.covered and got.citations[0].section == "Campbell's law"
    body = got.passages[0].text
    assert body.startswith("Campbell's law says")
    assert "Donald T. Campbell made that point in 1979" in body or "Donald T." not in body


def test_a_difference_gets_both_sides(engine: AnswerEngine) -> None:
    got = engine.answer("What's the difference between a leading and a lagging measure?")
    assert got.covered
    body = got.body.lower()
    assert "a leading measure is" in body and "a lagging measure is" in body
    assert {c.section for c in got.citations} == {"Leading measures", "Lagging measures"}


def test_out_of_scope_is_declined_and_cites_nothing(engine: AnswerEngine) -> None:
    got = engine.answer("What's the capital of France?")
    assert not got.covered
    assert got.passages == [] and got.citations == [] and got.context is None
    assert got.text == wording("not_covered")
    assert "outside what my guidance covers" in got.text


def test_follow_up_other_side_uses_the_previous_topic(engine: AnswerEngine) -> None:
    first = engine.answer("What is a leading measure?")
    assert first.context is not None and first.context.focus == "leading measure"
    stored = json.loads(first.context.model_dump_json())  # what a session keeps
    nxt = engine.answer("and the lagging one?", AnswerContext.model_validate(stored))
    assert nxt.covered and nxt.follow_up
    assert nxt.citations[0].section == "Lagging measures"
    assert "A lagging measure is a measure of the final result" in nxt.body


def test_follow_up_example_comes_from_the_same_document(engine: AnswerEngine) -> None:
    first = engine.answer("What is Campbell's law?")
    nxt = engine.answer("give me an example", first.context)
    assert nxt.covered and nxt.follow_up
    assert nxt.citations[0].doc_id == "gaming"
    assert "incident records" in nxt.body


def test_follow_up_without_context_asks_what_it_refers_to(engine: AnswerEngine) -> None:
    got = engine.answer("give me an example")
    assert not got.covered and got.follow_up and got.citations == []
    assert got.text == wording("no_context")


def test_sections_indexed_without_their_full_text_are_rebuilt_from_chunks() -> None:
    index = InMemoryIndex(HashEmbedder())
    text = DOCS["measures.md"]
    chunks = chunk_guidance(parse_guidance(Path("measures.md"), text))
    metas = [{k: v for k, v in c.metadata.items() if k not in ("section_text", "section_no")} for c in chunks]
    index.add(
        "guidance",
        [c.id for c in chunks],
        [c.text for c in chunks],
        index.embedder.embed([c.embed_text for c in chunks]),
        metas,
    )
    got = AnswerEngine(index, Tuning(floor=0.35)).answer("What is a lagging measure?")
    assert got.covered and "recorded after it has happened" in got.body


# ----- gaps ------------------------------------------------------------------------------------------------
def test_service_records_uncovered_questions_only(memory_service_factory: Any) -> None:
    gaps = InMemoryKnowledgeGaps()
    svc = memory_service_factory(gaps=gaps)
    svc.answers.tuning = Tuning(floor=0.45)
    assert not svc.answer("What's the capital of France?", team="hr").covered
    svc.answer("what's the capital of france", team="it")
    svc.answer("Recommend a pizza place", team="hr")
    svc.answer("give me an example", team="hr")  # a follow-up with no context: not a gap
    listed = svc.knowledge_gaps()
    assert [(g.count, g.teams) for g in listed] == [(2, ["hr", "it"]), (1, ["hr"])]
    assert listed[0].question == "what's the capital of france"  # the latest wording
    assert [g.question for g in svc.knowledge_gaps(team="it")] == ["what's the capital of france"]


def test_composer_answer_has_no_greeting_and_reports_the_gap(memory_service: Any) -> None:
    from coach.templates import variants

    memory_service.answers.tuning = Tuning(floor=0.45)
    found: list[tuple[str, float]] = []
    text, cites = memory_service.composer.knowledge_answer("What's the capital of France?", gaps=found)
    assert cites == [] and found and found[0][0] == "What's the capital of France?"
    assert all(v not in text for v in variants("flow.welcome"))


def test_a_question_in_a_session_that_is_not_covered_is_recorded_for_its_team(memory_service_factory: Any) -> None:
    gaps = InMemoryKnowledgeGaps()
    svc = memory_service_factory(gaps=gaps)
    svc.answers.tuning = Tuning(floor=0.45)
    session = svc.start_session(team="payroll")
    svc.handle_message(session.id, "What's the capital of France?", team="payroll")
    svc.handle_message(session.id, "What is a lagging measure?", team="payroll")
    assert [(g.question, g.teams) for g in svc.knowledge_gaps()] == [("What's the capital of France?", ["payroll"])]


def test_tell_me_more_goes_on_without_repeating(engine: AnswerEngine) -> None:
    first = engine.answer("What is a leading measure?")
    assert first.context is not None
    more = engine.answer("tell me more", first.context)
    assert more.follow_up and more.covered
    assert not set(more.body.split(". ")) & set(first.body.split(". "))
    assert more.context is not None and more.context.doc_id == "measures"


def test_search_results_do_not_carry_the_whole_section(engine: AnswerEngine) -> None:
    hits = engine.index.search("Kirkpatrick levels", kind="guidance", k=2)
    assert hits and all("section_text" not in h.metadata and "section_no" not in h.metadata for h in hits)
    assert any("section_text" in m for m in engine.index.snapshot("guidance").metadatas)


# ----- section questions: extra keys for a section ---------------------------------------------------------
def _ingested(root: Path, questions: str | None) -> AnswerEngine:
    from coach.ingest import ingest

    for name, text in DOCS.items():
        (root / "guidance").mkdir(parents=True, exist_ok=True)
        (root / "guidance" / name).write_text(text, "utf-8")
    if questions is not None:
        (root / "questions").mkdir(exist_ok=True)
        (root / "questions" / "gaming.yaml").write_text(questions, "utf-8")
    index = InMemoryIndex(HashEmbedder())
    ingest(index, [root])
    return AnswerEngine(index, Tuning(floor=0.35))


GAMING_QUESTIONS = """\
doc: gaming
sections:
  "Campbell's law":
    - Why does a measure that drives funding stop telling the truth?
    - Who said indicators get corrupted when they decide things?
"""


def test_a_paraphrase_only_a_section_question_matches_finds_its_section(tmp_path: Path) -> None:
    asked = "why does a measure that drives funding stop telling us the truth"
    plain = _ingested(tmp_path / "plain", None)
    assert plain.rank(asked)[0].section.name == "Leading measures"  # the words "measure" pull elsewhere
    assert not plain.answer(asked).covered
    got = _ingested(tmp_path / "keyed", GAMING_QUESTIONS).answer(asked)
    assert got.covered and got.citations[0].section == "Campbell's law"
    assert got.body.startswith("Campbell's law says")  # the section's own words; the key is never shown
    assert "funding" not in got.text


def test_section_questions_are_not_search_results_and_do_not_count_as_guidance(tmp_path: Path) -> None:
    engine = _ingested(tmp_path, GAMING_QUESTIONS)
    hits = engine.index.search("Why does a measure that drives funding stop telling the truth?", "guidance", k=10)
    assert hits and all("funding" not in h.text for h in hits)
    assert engine.index.count("questions") == 2
    assert len(engine.sections().keys) == 3  # the two questions and their mean
    assert len(engine.sections().sections) == 6  # the guidance's sections only, two per document
