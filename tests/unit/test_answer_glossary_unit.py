"""Retrieval aids for knowledge answers: the glossary of jargon, definitions, catalogues of quoted statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.adapters.fakes import HashEmbedder, InMemoryIndex
from coach.answer_index import Section
from coach.answer_select import defines
from coach.answer_text import units
from coach.answers import AnswerEngine, Tuning
from coach.glossary import GLOSSARY, Glossary, glossary
from coach.ingest import chunk_guidance
from coach.knowledge import parse_guidance
from coach.retrieval import tokens

TERMS = """
- term: OTIF
  also: [on time in full]
  means: the share of orders delivered complete on the promised date
  source: "Common supply-chain usage"
- term: KPI
  also: [KPIs]
  means: key performance indicator
  source: "Key Performance Indicators — David Parmenter (2007)"
"""


@pytest.fixture()
def terms(tmp_path: Path) -> Glossary:
    path = tmp_path / "glossary.yaml"
    path.write_text(TERMS, "utf-8")
    return Glossary.load(path)


def test_a_named_term_is_searched_with_its_meaning(terms: Glossary) -> None:
    assert (
        terms.expand("otif meaning")
        == "otif meaning (OTIF: the share of orders delivered complete on the promised date)"
    )
    assert "(OTIF:" in terms.expand("Is On-Time In-Full an outcome?")  # other spelling, any case, hyphens
    assert terms.expand("What is a lagging measure?") == "What is a lagging measure?"
    assert terms.expand("What is motif?") == "What is motif?"  # whole words only


def test_a_term_the_guidance_uses_everywhere_is_left_alone(terms: Glossary) -> None:
    got = terms.expand("How many KPIs is too many, and what is OTIF?", rare=lambda words: words.lower() == "otif")
    assert "(OTIF:" in got and "KPI:" not in got


def test_the_shipped_glossary_loads_and_names_a_source_for_every_term() -> None:
    import yaml

    entries = yaml.safe_load(GLOSSARY.read_text("utf-8"))
    assert len(glossary().terms) == len(entries) >= 20
    assert all(e.get("source") and e.get("means") for e in entries)
    assert "creaming" in glossary().expand("What is creaming?").lower().split("(", 1)[1]


def test_missing_glossary_is_empty(tmp_path: Path) -> None:
    assert Glossary.load(tmp_path / "none.yaml").expand("What is OTIF?") == "What is OTIF?"


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("A logic model is a one-page picture of how work creates change.", "logic model", True),
        ("OTIF is easy to game by renegotiating promise dates.", "OTIF", False),
        ("Measures:\n\n- **On time in full (OTIF)** — share of orders delivered complete (lagging).", "OTIF", True),
        ("A logic model is a one-page picture.", "theory of change", False),
    ],
)
def test_what_defines_a_term(text: str, term: str, expected: bool) -> None:
    assert any(defines(u, frozenset(tokens(term))) for u in units(text)) is expected


def _section(text: str) -> Section:
    return Section("d", "Doc", "S", [], text, 0, [], frozenset())


def test_a_catalogue_of_quoted_statements_or_questions_is_recognised() -> None:
    outputs = _section('Typical outputs:\n\n- "We ran 200 clinics."\n- "We hired 5 nurses."')
    asks = _section('Questions:\n\n- "What changed for patients?"\n- “Have falls gone down?”')
    prose = _section("Outcome measures:\n\n- **Falls** — falls per 1,000 bed days.\n- **PROMs** — patients' rating.")
    assert outputs.quoted(questions=False) == 1.0 and outputs.quoted(questions=True) == 0.0
    assert asks.quoted(questions=True) == 1.0 and asks.quoted(questions=False) == 0.0
    assert prose.quoted(questions=False) == prose.quoted(questions=True) == 0.0


DOC = """---
id: social
title: Social services
sources:
  - "The Outcomes Star — Triangle Consulting (2006)"
---

# Social services

## Typical outputs

Typical outputs count the team's own work.

- "We made 1,100 referrals to partner agencies."
- "We ran 40 parenting courses."

## Traps

Outcome targets can push providers to choose the easiest clients, who would have done well anyway, so the figures look better. Report outcomes by starting need and track who is turned away.
"""


def _engine(tmp_path: Path, terms: Glossary) -> AnswerEngine:
    index = InMemoryIndex(HashEmbedder())
    path = tmp_path / "social.md"
    path.write_text(DOC, "utf-8")
    chunks = chunk_guidance(parse_guidance(path, DOC))
    vecs = index.embedder.embed([c.embed_text for c in chunks])
    index.add("guidance", [c.id for c in chunks], [c.text for c in chunks], vecs, [c.metadata for c in chunks])
    return AnswerEngine(index, Tuning(floor=0.35), terms=terms)


def test_jargon_the_guidance_explains_in_plain_words_is_answered(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        "- term: creaming\n  means: providers choose the easiest clients so the figures look better\n  source: x\n",
        "utf-8",
    )
    without = _engine(tmp_path, Glossary([])).answer("What is creaming?")
    got = _engine(tmp_path, Glossary.load(tmp_path / "g.yaml")).answer("What is creaming?")
    assert not without.covered
    assert got.covered and got.citations[0].section == "Traps"
    assert "easiest clients" in got.body
    assert "creaming" not in got.body  # the glossary only searches; the answer quotes the guidance
