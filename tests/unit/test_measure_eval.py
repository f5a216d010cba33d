"""`coach eval-measures` figures computed from given proposals, and the relevance file's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.domain import ProposedMeasure
from coach.errors import KnowledgeError
from coach.measure_eval import RelevanceRow, evaluate_measures, read_relevance, split_of


def pm(mid: str, kind: str, drafted: bool = False, fit: float = 0.7) -> ProposedMeasure:
    return ProposedMeasure(
        id=mid or "drafted",
        name=mid or "Share of people who do it",
        definition="d",
        calculation="c",
        unit="percent",
        direction="increase",
        kind=kind,  # type: ignore[arg-type]
        who="people",
        data_sources=["s"],
        data_owner="o",
        cadence="monthly",
        outcome_themes=["t"],
        gaming_risk="g",
        balancing_measure="b",
        domain="x",
        library_id="" if drafted else mid,
        fit=0.0 if drafted else fit,
        fit_label="drafted" if drafted else "close match",  # type: ignore[arg-type]
        drafted=drafted,
        baseline_prompt="p",
        target_prompt="t",
    )


ROWS = [
    RelevanceRow(outcome="a", acceptable=["m1", "m2"]),  # served: m1 right, m3 wrong
    RelevanceRow(outcome="b", acceptable=["m4"]),  # drafted although m4 fits: a false "no close match"
    RelevanceRow(outcome="c", acceptable=[]),  # nothing fits and the coach says so
    RelevanceRow(outcome="d", acceptable=[]),  # nothing fits but a library measure is proposed
]
PROPOSALS = {
    "a": [pm("m1", "lagging"), pm("m3", "leading")],
    "b": [pm("", "lagging", drafted=True), pm("", "leading", drafted=True)],
    "c": [pm("", "lagging", drafted=True), pm("", "leading", drafted=True)],
    "d": [pm("m5", "lagging"), pm("", "leading", drafted=True)],
}


def test_figures() -> None:
    r = evaluate_measures(ROWS, lambda o: PROPOSALS[o])
    assert r.n == 4 and r.servable == 2
    assert r.precision_at_3 == pytest.approx(1 / 2)  # outcomes a, b: m1 right, m3 wrong
    assert r.precision_at_3_all == pytest.approx(1 / 3)  # plus m5 on d
    assert r.served_at_3 == pytest.approx(1 / 2)
    assert r.no_match_precision == pytest.approx(1 / 2)  # said on b (wrong) and c (right)
    assert r.no_match_recall == pytest.approx(1 / 2)  # c said, d missed
    assert r.lead_lag_on_topic == pytest.approx(2 / 4)  # b and c (drafted both); a has m3 off topic, d has m5
    assert r.labels["close match"] == (1, 3)
    assert {m.outcome for m in r.misses} == {"a", "b", "d"}


def test_split_is_stable_and_roughly_half() -> None:
    outcomes = [f"outcome number {i}" for i in range(400)]
    tune = [o for o in outcomes if split_of(o) == "tune"]
    assert 150 < len(tune) < 250
    assert all(split_of(o.upper() + "  ") == split_of(o) for o in outcomes[:20])


def test_the_shipped_relevance_set_is_large_and_broad() -> None:
    path = Path(__file__).resolve().parents[2] / "bench" / "data" / "measure-relevance.jsonl"
    rows = read_relevance(path)
    assert len(rows) >= 200
    assert sum(not r.acceptable for r in rows) >= 20
    assert len({r.domain for r in rows}) >= 22


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", "line 1: not valid JSON"),
        ('{"outcome": "x"}\n', "line 1: field 'acceptable'"),
        ('{"outcome": "x", "acceptable": []}\n{"outcome": "", "acceptable": []}\n', "line 2: field 'outcome'"),
        ('{"outcome": "x", "acceptable": ["nope"]}\n', "unknown measure id"),
        ("\n\n", "no outcomes"),
    ],
)
def test_bad_files_name_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rel.jsonl"
    path.write_text(content, "utf-8")
    with pytest.raises(KnowledgeError) as exc:
        read_relevance(path, known_ids={"m1"})
    assert message in exc.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        read_relevance(tmp_path / "none.jsonl")
