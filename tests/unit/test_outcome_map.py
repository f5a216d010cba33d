"""Outcome map: chains → graph → JSON, Markdown, CSV and SVG (one function per format)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from coach.domain import Chain, OutcomeMap, ProposedMeasure
from coach.errors import InvalidInput
from coach.outcome_map import CSV_COLUMNS, build_map, export, to_csv, to_json, to_markdown, to_svg

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'We shipped the <b>portal</b> & "help" page'


def measure(name: str, kind: str = "lagging") -> ProposedMeasure:
    return ProposedMeasure(
        id=name.lower().replace(" ", "-"),
        library_id=name.lower().replace(" ", "-"),
        name=name,
        definition=f"Share of users for whom {name.lower()} holds | measured monthly.",
        calculation="users with it ÷ all users × 100",
        unit="percent",
        direction="increase",
        kind=kind,  # type: ignore[arg-type]
        who="users",
        data_sources=["service desk tool", "survey"],
        data_owner="service desk manager",
        cadence="monthly",
        outcome_themes=["less time lost"],
        gaming_risk="Closing tickets early.",
        balancing_measure="Reopen rate.",
        domain="it-service-management",
        fit=0.7,
        baseline_prompt="What is it today?",
        target_prompt="Where to, by when?",
    )


@pytest.fixture
def chains() -> list[Chain]:
    laddered = Chain(
        id="c1",
        origin="We closed 500 incident records",
        origin_label="output",
        rungs=["Tickets are closed faster"],
        outcome="Users get back to work faster",
        status="outcome",
        measures=[measure("Time to restore service", "leading"), measure("Disruption hours", "lagging")],
        baseline="12 hours",
        target="6 hours",
        by_when="June",
        outcome_statement="Disruption hours: from 12 hours to 6 hours by June — Users get back to work faster",
    )
    direct = Chain(
        id="c2",
        origin="Payroll staff finish the monthly run without workarounds",
        origin_label="outcome",
        outcome="Payroll staff finish the monthly run without workarounds",
        status="outcome",
        measures=[measure("Runs without manual fixes", "lagging")],
        baseline="unknown",
    )
    nasty = Chain(
        id="c3",
        origin=NASTY,
        origin_label="output",
        commitment="contracted deliverable",
        status="unresolved",
        rungs=["Fewer calls", "Staff have time", "Queues shrink"],
    )
    skipped = Chain(id="c4", origin="We sent a newsletter", origin_label="output", status="skipped")
    return [laddered, direct, nasty, skipped]


@pytest.fixture
def omap(chains: list[Chain]) -> OutcomeMap:
    return build_map(chains, title="Outcome map — IT <team>")


def test_build_map_nodes_and_edges(omap: OutcomeMap) -> None:
    kinds = {n.id: n.kind for n in omap.nodes}
    assert kinds["c1:output"] == "output" and kinds["c1:r0"] == "intermediate"
    assert kinds["c1:outcome"] == "outcome" and kinds["c1:m0"] == kinds["c1:m1"] == "measure"
    assert "c2:output" not in kinds and kinds["c2:outcome"] == "outcome"  # stated directly: no output node
    assert not any(k.startswith("c4:") for k in kinds)  # skipped before any rung: left out of the picture
    edges = {(e.source, e.target, e.relation) for e in omap.edges}
    assert ("c1:output", "c1:r0", "serves") in edges
    assert ("c1:r0", "c1:outcome", "serves") in edges
    assert ("c1:outcome", "c1:m0", "evidenced_by") in edges
    assert ("c3:r2", "c3:outcome", "serves") not in edges and "c3:outcome" not in kinds
    assert all(e.source in kinds and e.target in kinds for e in omap.edges)
    outcome = next(n for n in omap.nodes if n.id == "c1:outcome")
    assert outcome.detail["baseline"] == "12 hours" and outcome.detail["by"] == "June"
    assert next(n for n in omap.nodes if n.id == "c3:output").detail == {"commitment": "contracted deliverable"}


def test_json_parses_and_round_trips(omap: OutcomeMap) -> None:
    text = to_json(omap)
    data = json.loads(text)
    assert {"title", "nodes", "edges", "chains"} <= set(data)
    again = OutcomeMap.model_validate(data)
    assert again == omap
    assert again.chains[0].measures[0].name == "Time to restore service"
    assert again.chains[2].origin == NASTY
    assert "<b>portal</b>" in text and "—" in text  # readable: no \u escapes (ensure_ascii=False)


def test_markdown_has_the_chain_the_outcome_and_a_measures_table(omap: OutcomeMap) -> None:
    md = to_markdown(omap)
    assert md.startswith("# Outcome map — IT \\<team\\>")  # escaped: Markdown would read <team> as HTML
    assert "## 1. Users get back to work faster" in md
    assert "- **Output:** We closed 500 incident records" in md
    assert "- **Leads to:** Tickets are closed faster" in md
    assert "- **Outcome:** Users get back to work faster" in md
    assert "- **Outcome statement:** Disruption hours: from 12 hours to 6 hours by June" in md
    assert "- **Baseline:** unknown — to be collected" in md
    assert "_(a contracted deliverable)_" in md
    assert "_not named yet (unresolved)_" in md
    assert "We sent a newsletter" not in md
    header = "| Measure | Fit | Kind | Definition | Calculation | Owner | Cadence | Data source | Balancing measure |"
    assert md.count(header) == 2
    rows = [ln for ln in md.splitlines() if ln.startswith("| Time to restore service |")]
    assert len(rows) == 1
    cells = rows[0].strip("|").split(" | ")
    assert len(cells) == 9  # the '|' inside the definition does not break the table
    assert cells[1] == "partial match" and cells[2] == "leading"
    assert cells[4] == "users with it ÷ all users × 100" and cells[5] == "service desk manager"
    assert cells[6] == "monthly" and cells[7] == "service desk tool, survey"


def test_csv_has_the_header_and_one_row_per_measure(omap: OutcomeMap) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(omap))))
    assert rows[0] == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]]
    by_chain: dict[str, list[dict[str, str]]] = {}
    for r in body:
        by_chain.setdefault(r["chain"], []).append(r)
    assert [r["measure"] for r in by_chain["c1"]] == ["Time to restore service", "Disruption hours"]
    assert [r["measure"] for r in by_chain["c2"]] == ["Runs without manual fixes"]
    assert len(by_chain["c3"]) == 1 and by_chain["c3"][0]["measure"] == ""  # a chain without measures: one row
    first = by_chain["c1"][0]
    assert first["output"] == "We closed 500 incident records"
    assert first["intermediate"] == "Tickets are closed faster"
    assert first["outcome"] == "Users get back to work faster"
    assert (first["kind"], first["baseline"], first["target"], first["by"]) == (
        "leading",
        "12 hours",
        "6 hours",
        "June",
    )
    assert first["data_sources"] == "service desk tool; survey"
    assert (first["fit"], first["calculation"], first["data_owner"], first["cadence"]) == (
        "partial match",
        "users with it ÷ all users × 100",
        "service desk manager",
        "monthly",
    )
    assert by_chain["c2"][0]["output"] == ""  # stated as an outcome
    assert by_chain["c3"][0]["output"] == NASTY  # quotes and commas survive the CSV quoting


def test_svg_is_well_formed_with_one_box_per_node_and_escaped_text(omap: OutcomeMap) -> None:
    svg = to_svg(omap)
    root = ET.fromstring(svg)  # raises on malformed XML or unescaped < & "
    assert root.tag == f"{SVG}svg"
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == len(omap.nodes) + 1  # + the white background
    paths = [p for p in root.findall(f"{SVG}path")]
    assert len(paths) == len(omap.edges)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "<b>portal</b>" in texts and '& "help"' in texts  # shown as typed once parsed…
    assert "<b>portal</b>" not in svg and "&lt;b&gt;portal&lt;/b&gt;" in svg  # …because escaped in the file
    assert root.get("aria-label") == "Outcome map — IT <team>"
    assert "Users get back to work faster" in texts and "Time to restore service" in texts
    assert "leading · partial match" in texts and "owner: service desk manager" in texts


def test_svg_of_an_empty_map_says_so() -> None:
    root = ET.fromstring(to_svg(build_map([])))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Nothing mapped yet." in texts
    assert len(root.findall(f"{SVG}rect")) == 1


def test_empty_map_in_every_format() -> None:
    empty = build_map([])
    assert json.loads(to_json(empty))["nodes"] == []
    assert "_Nothing mapped yet._" in to_markdown(empty)
    assert to_csv(empty).strip() == ",".join(CSV_COLUMNS)


@pytest.mark.parametrize("fmt", ["json", "md", "csv", "svg"])
def test_export_dispatches_to_the_format(omap: OutcomeMap, fmt: str) -> None:
    expected = {"json": to_json, "md": to_markdown, "csv": to_csv, "svg": to_svg}[fmt](omap)
    assert export(omap, fmt) == expected


def test_export_unknown_format_is_a_clear_error(omap: OutcomeMap) -> None:
    with pytest.raises(InvalidInput) as exc:
        export(omap, "pdf")
    assert "pdf" in exc.value.message and "svg" in exc.value.hint
