"""Retrieval quality with the real model: questions in the user's words find the right guidance in the top 3."""

from __future__ import annotations

from typing import Any

import pytest

from coach.config import DEFAULT_KNOWLEDGE
from coach.errors import InvalidInput
from coach.knowledge import scan

pytestmark = pytest.mark.integration

# Each query is written in other words than the document it must find. "a|b": either document answers it (the FAQ
# documents answer some questions in a few lines that a longer document also explains).
QUERIES: list[tuple[str, str]] = [
    ("rewarding people for closing incident records", "perverse-incentives"),
    ("when a target becomes the goal people game it", "perverse-incentives|faq-frameworks"),
    ("key results should be outcomes not tasks", "okrs-key-results"),
    ("Kirkpatrick behaviour level", "training-evaluation"),
    ("reaction and learning levels versus results for the organisation", "training-evaluation"),
    ("laddering questions so what", "coaching-laddering"),
    ("asking why five times to find the root purpose, and when to stop", "coaching-laddering"),
    ("which measure moves first and tells us the result is coming", "leading-lagging"),
    ("we do not know the starting value of the indicator yet", "measure-design|faq-measures"),
    ("the if-then chain from resources and activities to results", "logic-models"),
    ("value is co-created between provider and consumer of a service", "itil4-value"),
    ("describe what IT delivers in the language of the business", "it-business-terms"),
    ("Seiden: a change in customer behaviour that drives business results", "outcomes-over-output"),
    ("who are the actors and how should their behaviour change to reach the goal", "impact-mapping"),
    ("compliance deadline where delivering the thing itself is the commitment", "legitimate-outputs"),
    ("funders want evidence that participants are better off, not how many were served", "social-sector-outcomes"),
    ("people say it is too hard to measure what we achieve", "social-sector-outcomes"),
    ("agenda and timings for a half-day session with a team", "running-a-workshop"),
    ("from X to Y by when: writing a good goal sentence", "outcome-statements"),
    ("outputs disguised as outcomes with words like improve or increase", "output-vs-outcome-differences"),
    ("what are inputs, activities, outputs, outcomes and impact", "definitions"),
    ("is customer satisfaction really an outcome?", "faq-outputs-outcomes"),
    ("customer effort and first contact resolution in a contact centre", "primer-customer-support"),
    ("pupils' reading attainment and school attendance", "primer-education"),
    ("greenhouse gas emissions scope 1 2 3 and net zero targets", "primer-environment"),
    ("month-end close, budgets and cash collection", "primer-finance"),
    ("patients waiting times and hospital readmissions", "primer-health"),
    ("onboarding new hires and staff retention after training", "primer-hr-learning"),
    ("change failure rate and outages on the service desk", "primer-it-service-management"),
    ("lean manufacturing, on-time delivery and defects in the warehouse", "primer-operations"),
    ("results-based accountability for councils and citizens", "primer-public-sector"),
    ("marketing campaigns, qualified leads and pipeline", "primer-sales-marketing"),
    ("homelessness, families and community programmes", "primer-social-services"),
    ("feature adoption and user retention for a product team", "primer-software-product"),
]


@pytest.fixture(scope="module")
def docs() -> dict[str, Any]:
    files = scan([DEFAULT_KNOWLEDGE], DEFAULT_KNOWLEDGE)
    return {d.meta.id: d for f in files if f.kind == "guidance" for d in f.items}


def test_the_query_set_is_large_and_fair(docs: dict[str, Any]) -> None:
    assert len(QUERIES) >= 20
    assert len({q for q, _ in QUERIES}) == len(QUERIES)
    for query, wanted in QUERIES:
        for doc_id in wanted.split("|"):
            assert doc_id in docs, doc_id
            # Not copied from the document: no query is a verbatim phrase of its target.
            assert query.lower() not in docs[doc_id].body.lower()
    assert sum("|" in wanted for _, wanted in QUERIES) <= 2


@pytest.mark.parametrize(("query", "doc_id"), QUERIES, ids=[d for _, d in QUERIES])
def test_expected_document_in_top_3(real_service: Any, query: str, doc_id: str) -> None:
    hits = real_service.search(query, k=3)
    got = [h.citation.doc_id for h in hits]
    assert set(doc_id.split("|")) & set(got), f"{query!r}: expected {doc_id} in the top 3, got {got}"


def test_passages_carry_title_section_and_sources(real_service: Any, docs: dict[str, Any]) -> None:
    for query, _ in QUERIES[:10]:
        hits = real_service.search(query, k=5)
        assert len(hits) == 5
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        assert all(-1.0 <= s <= 1.0 for s in scores)
        for h in hits:
            assert h.kind == "guidance"
            cite = h.citation
            assert cite is not None
            doc = docs[cite.doc_id]
            assert cite.title == doc.meta.title
            assert cite.sources == doc.meta.sources
            headings = {line.lstrip("#").strip() for line in doc.body.splitlines() if line.startswith("#")}
            assert cite.section.split(" › ")[0] in headings | {doc.meta.title}, (cite.section, headings)
            assert h.text.strip()
            # The passage text is the document's own words (the splitter may reflow whitespace).
            assert " ".join(h.text.split()[:10]) in " ".join(doc.body.split())


def test_search_measures_and_examples(real_service: Any) -> None:
    m = real_service.search("customers taking longer to pay their invoices", k=3, kind="measures")
    assert [h.kind for h in m] == ["measures"] * 3
    assert "fin-days-sales-outstanding" in [h.id for h in m]
    assert all(h.citation is None and h.metadata.get("domain") for h in m)
    e = real_service.search("we closed lots of tickets", k=5, kind="examples")
    assert all(h.metadata.get("label") in ("output", "outcome") for h in e)


def test_search_validates_its_input(real_service: Any) -> None:
    for bad in ("", "   ", "x" * 5000):
        with pytest.raises(InvalidInput):
            real_service.search(bad)
    for k in (0, 51):
        with pytest.raises(InvalidInput) as info:
            real_service.search("outcomes", k=k)
        assert "k must be" in info.value.message
