"""Measures: proposing k library measures for an outcome, balanced, adapted, with prompts that invent nothing.

Structure is tested with the HashEmbedder (`hash_service`) and with a stub retriever over the whole library;
fit to the outcome needs meaning, so those tests use the real model (`real_service`, integration).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from coach.adapters.embeddings import HashEmbedder
from coach.config import DEFAULT_KNOWLEDGE
from coach.domain import Measure, Passage, ProposedMeasure
from coach.errors import InvalidInput
from coach.measures import MeasureProposer, adapt, population, population_class

FIELDS = (
    "name",
    "definition",
    "calculation",
    "unit",
    "who",
    "data_owner",
    "cadence",
    "gaming_risk",
    "balancing_measure",
    "domain",
    "baseline_prompt",
    "target_prompt",
    "collectability",
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
PEOPLE = re.compile(
    r"(?:new |active )?(?:customers|users|employees|patients|participants|residents|pupils|workers|"
    r"households|tenants|buyers|suppliers|children|young people|people|prospects)"
)


def load_library() -> dict[str, Measure]:
    out: dict[str, Measure] = {}
    for path in sorted(Path(DEFAULT_KNOWLEDGE, "measures").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8"))["measures"]:
            m = Measure.model_validate(item)
            out[m.id] = m
    return out


LIBRARY = load_library()


class StubRetriever:
    """Returns the given measures as hits, best first, whatever the query."""

    def __init__(self, measures: Sequence[Measure]) -> None:
        self.measures = list(measures)

    def search(self, query: Any, kind: str, k: int = 5, where: Any = None) -> list[Passage]:
        return [
            Passage(
                id=m.id,
                kind="measures",
                text=m.definition,
                score=round(0.9 - i * 0.01, 4),
                metadata={"json": m.model_dump_json(), "kind": m.kind, "name": m.name},
            )
            for i, m in enumerate(self.measures[:k])
        ]

    def count(self, kind: str) -> int:
        return len(self.measures)


def own_numbers(m: Measure) -> set[str]:
    """Numbers the library itself gives for a measure (e.g. '30 days', 'STATS19', '360 checklist')."""
    own = " ".join([m.name, m.definition, m.calculation, m.who, m.data_owner, m.cadence, *m.data_sources])
    return set(NUMBER.findall(own))


def assert_complete(pm: ProposedMeasure) -> None:
    for f in FIELDS:
        assert str(getattr(pm, f)).strip(), f"{pm.library_id}: empty {f}"
    assert pm.data_sources and all(s.strip() for s in pm.data_sources)
    assert pm.kind in ("leading", "lagging") and pm.direction in ("increase", "decrease")
    assert pm.library_id in LIBRARY
    assert 0.0 <= pm.fit <= 1.0
    assert pm.baseline is None and pm.target is None  # never filled in for the person


def assert_invents_no_number(pm: ProposedMeasure) -> None:
    lib = LIBRARY[pm.library_id]
    invented = set(NUMBER.findall(pm.baseline_prompt + " " + pm.target_prompt)) - own_numbers(lib)
    assert not invented, f"{pm.library_id}: prompts contain numbers of their own: {invented}"
    assert not NUMBER.search(pm.target_prompt), pm.target_prompt
    assert "unknown" in pm.baseline_prompt  # says it is fine not to know


# ----- population and adaptation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Payroll staff finish the monthly run without workarounds", "payroll staff"),
        ("Fewer patients are readmitted within 30 days", "patients"),
        ("New hires are productive sooner", "new hires"),
        ("More young people find work", "young people"),
        ("Customers renew their contracts", "customers"),
        ("Revenue grows", None),
        ("The business grows", None),
        ("Our people stay longer", None),
    ],
)
def test_population(text: str, who: str | None) -> None:
    assert population(text) == who


def test_adapt_swaps_the_population_within_the_same_kind_of_people() -> None:
    m = LIBRARY["sup-first-contact-resolution"]
    assert m.who == "customers"
    a = adapt(m, "business customers")
    assert a.who == "business customers"
    assert "business customers" in a.definition
    assert (a.id, a.kind, a.data_sources, a.gaming_risk) == (m.id, m.kind, m.data_sources, m.gaming_risk)
    staff_measure = next(x for x in LIBRARY.values() if x.who == "employees")
    b = adapt(staff_measure, "payroll staff")
    assert b.who == "payroll staff" and "payroll staff" in b.definition and "employees" not in b.definition


def test_adapt_never_turns_customers_into_staff() -> None:
    m = LIBRARY["sup-first-contact-resolution"]
    assert adapt(m, "payroll staff") == m


def test_adapt_leaves_other_measures_alone() -> None:
    about_things = next(m for m in LIBRARY.values() if m.who in ("the organisation", "the sites", "units"))
    assert adapt(about_things, "payroll staff") == about_things
    people = LIBRARY["sup-first-contact-resolution"]
    assert adapt(people, None) == people
    assert adapt(people, "Customers") == people


# ----- the proposer over a stub retriever ----------------------------------------------------------


def propose_one(m: Measure, outcome: str) -> ProposedMeasure:
    (pm,) = MeasureProposer(HashEmbedder(), StubRetriever([m])).propose(outcome, k=1)
    return pm


def test_every_library_measure_gets_prompts_that_invent_no_number() -> None:
    assert len(LIBRARY) >= 100
    for m in LIBRARY.values():
        pm = propose_one(m, "Residents feel safer in their neighbourhood")
        assert pm.library_id == m.id
        assert_complete(pm)
        assert_invents_no_number(pm)
        assert pm.data_owner in pm.baseline_prompt  # says whom to ask
        assert pm.data_sources[0] in pm.baseline_prompt  # and where the number lives


def test_balancing_swaps_in_a_lagging_measure_when_the_best_are_all_leading() -> None:
    leading = [m for m in LIBRARY.values() if m.kind == "leading"][:5]
    lagging = [m for m in LIBRARY.values() if m.kind == "lagging"][:1]
    out = MeasureProposer(HashEmbedder(), StubRetriever(leading + lagging)).propose("Customers stay", k=3)
    assert len(out) == 3
    assert sorted(pm.kind for pm in out) == ["lagging", "leading", "leading"]
    assert lagging[0].id in {pm.library_id for pm in out}
    assert [pm.fit for pm in out] == sorted((pm.fit for pm in out), reverse=True)


def test_balancing_swaps_in_a_leading_measure_and_drops_duplicate_names() -> None:
    lagging = [m for m in LIBRARY.values() if m.kind == "lagging"][:4]
    leading = [m for m in LIBRARY.values() if m.kind == "leading"][:1]
    dup = lagging[0].model_copy(update={"id": "dup"})
    out = MeasureProposer(HashEmbedder(), StubRetriever([lagging[0], dup, *lagging[1:], *leading])).propose(
        "Customers stay", k=3
    )
    names = [pm.name for pm in out]
    assert len(names) == len(set(names)) == 3
    assert {pm.kind for pm in out} == {"leading", "lagging"}


def test_no_measures_indexed_gives_an_empty_list() -> None:
    assert MeasureProposer(HashEmbedder(), StubRetriever([])).propose("Customers stay", k=3) == []


# ----- through the service (HashEmbedder) ----------------------------------------------------------


@pytest.fixture(scope="module")
def hash_service(tmp_path_factory: pytest.TempPathFactory, hash_service_factory: Any) -> Any:
    """Like conftest's `fake_service`, but ingested once for this module (proposing measures is read-only)."""
    return hash_service_factory(tmp_path_factory.mktemp("measures"))


@pytest.mark.parametrize(
    "outcome",
    [
        "Users get back to work faster after an incident",
        "Fewer patients are readmitted within 30 days",
        "Payroll staff finish the monthly run without workarounds",
    ],
)
def test_propose_measures_returns_k_balanced_complete_measures(hash_service: Any, outcome: str) -> None:
    found = hash_service.propose_measures(outcome, k=3)
    assert len(found) == 3
    kinds = [m.kind for m in found]
    assert "leading" in kinds and "lagging" in kinds
    assert len({m.name for m in found}) == 3
    for m in found:
        assert_complete(m)
        assert_invents_no_number(m)


@pytest.mark.parametrize("k", [1, 2, 5])
def test_propose_measures_honours_k(hash_service: Any, k: int) -> None:
    found = hash_service.propose_measures("Customers renew their contracts", k=k)
    assert len(found) == k
    if k >= 2:
        assert {m.kind for m in found} == {"leading", "lagging"}


def test_measures_are_adapted_to_the_population(hash_service: Any) -> None:
    found = hash_service.propose_measures("Payroll staff finish the monthly run without workarounds", k=5)
    same_kind = [m for m in found if population_class(LIBRARY[m.library_id].who) == "staff"]
    other_kind = [m for m in found if population_class(LIBRARY[m.library_id].who) not in (None, "staff")]
    assert same_kind or other_kind, "expected at least one library measure about people"
    for m in same_kind:
        lib = LIBRARY[m.library_id]
        assert m.who == "payroll staff", (lib.who, m.who)
        assert "payroll staff" in m.definition, m.definition
        assert "payroll staff" in m.baseline_prompt
    for m in other_kind:  # customers, patients… are never relabelled as staff
        assert m.who == LIBRARY[m.library_id].who


@pytest.mark.parametrize(
    ("outcome", "k", "hint"),
    [
        ("", 3, "Type"),
        ("   ", 3, "Type"),
        ("Customers stay", 0, "3"),
        ("Customers stay", 11, "3"),
        ("x" * 2_001, 3, "shorter"),
    ],
)
def test_propose_measures_rejects_bad_input(hash_service: Any, outcome: str, k: int, hint: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        hash_service.propose_measures(outcome, k=k)
    assert hint in exc.value.hint


# ----- fit, with the real model --------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize(
    ("outcome", "domains", "words"),
    [
        (
            "Fewer patients are readmitted to hospital within 30 days of discharge",
            {"health"},
            r"readmi|admission|patient",
        ),
        (
            "Fewer customers cancel their subscription",
            {"sales-marketing", "customer-support", "software-product"},
            r"cancel|churn|retain|renew|leav",
        ),
        (
            "Users get back to work faster after an IT incident",
            {"it-service-management", "software-product"},
            r"incident|restore|disruption|fixed",
        ),
        ("More pupils read at the expected level by age 11", {"education"}, r"read|attain|pupil"),
        ("Fewer families are made homeless", {"social-services", "public-sector"}, r"homeless|housing|famil"),
    ],
)
def test_real_model_measures_fit_the_outcome(real_service: Any, outcome: str, domains: set[str], words: str) -> None:
    found = real_service.propose_measures(outcome, k=3)
    assert len(found) == 3 and {m.kind for m in found} == {"leading", "lagging"}
    top = found[0]
    assert top.domain in domains, [(m.name, m.domain) for m in found]
    assert re.search(words, f"{top.name} {top.definition}", re.IGNORECASE), top.name
    assert sum(m.domain in domains for m in found) >= 2, [(m.name, m.domain) for m in found]
    for m in found:
        assert_complete(m)
        assert_invents_no_number(m)


@pytest.mark.integration
def test_real_model_adapts_people_measures_to_payroll_staff(real_service: Any) -> None:
    found = real_service.propose_measures("Payroll staff finish the monthly run without workarounds", k=3)
    assert any(m.domain == "finance" for m in found), [(m.name, m.domain) for m in found]
    adapted = [m for m in found if m.who != LIBRARY[m.library_id].who]
    assert adapted, "no measure was adapted to payroll staff"
    assert all(m.who == "payroll staff" and "payroll staff" in m.definition for m in adapted)


@pytest.mark.integration
def test_real_model_vector_and_text_queries_agree(real_service: Any) -> None:
    outcome = "Fewer customers cancel their subscription"
    vec = real_service.embedder.embed([outcome])[0]
    assert isinstance(vec, np.ndarray)
    by_text = [m.library_id for m in real_service.proposer.propose(outcome, k=3)]
    by_vec = [m.library_id for m in real_service.proposer.propose(outcome, k=3, vector=vec)]
    assert by_text == by_vec
