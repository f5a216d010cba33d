"""Exports are data: a title or a statement can never add markup, a link, an attribute or a formula to them."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

from markdown_it import MarkdownIt

from coach.domain import Chain, ProposedMeasure
from coach.outcome_map import build_map, to_csv, to_markdown, to_svg

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert('x')</script>"
LINK = "[click me](javascript:alert(document.cookie)) ![img](javascript:alert(1)) <javascript:alert(2)>"
ATTR = 'Clinic" onload="alert(1)'


def measure(name: str, **extra: str) -> ProposedMeasure:
    values: dict[str, object] = {
        "id": "m",
        "library_id": "m",
        "name": name,
        "definition": "Share of new hires still here after a year.",
        "calculation": "stayed ÷ hired × 100",
        "unit": "percent",
        "direction": "increase",
        "kind": "lagging",
        "who": "new hires",
        "data_sources": ["HR system"],
        "data_owner": "HR analytics lead",
        "cadence": "quarterly",
        "outcome_themes": [],
        "gaming_risk": "Counting transfers as stays.",
        "balancing_measure": "Internal transfer rate.",
        "domain": "hr",
        "fit": 0.81,
        "fit_label": "close match",
        "baseline_prompt": "?",
        "target_prompt": "?",
    }
    values.update(extra)
    return ProposedMeasure.model_validate(values)


def hostile_map(title: str = ATTR) -> object:
    chain = Chain(
        id="c1",
        origin=f"We ran {SCRIPT} workshops {LINK}",
        origin_label="output",
        rungs=['=HYPERLINK("http://evil.example","x")'],
        outcome="+1 more people stay @everyone",
        status="outcome",
        participant="-Ada <img src=x onerror=alert(1)>",
        measures=[measure("=1+2 new hires stay", data_owner="@HR lead", cadence="-monthly")],
    )
    return build_map([chain], title=title)


def test_markdown_renders_as_the_literal_text_without_html_or_links() -> None:
    text = to_markdown(hostile_map())  # type: ignore[arg-type]
    html = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").render(text)
    tags = set(re.findall(r"<([a-z][a-z0-9]*)\b", html))
    assert tags <= {"h1", "h2", "ul", "li", "strong", "em", "p", "table", "thead", "tbody", "tr", "th", "td"}, tags
    assert "&lt;script&gt;" in html  # shown, as text
    assert "javascript:alert(document.cookie)" in html  # the words are still there, harmless


def test_svg_title_cannot_add_an_attribute() -> None:
    svg = to_svg(hostile_map())  # type: ignore[arg-type]
    root = ET.fromstring(svg)
    assert root.get("aria-label") == ATTR  # the whole title, as one attribute value
    assert "onload" not in root.attrib and not any("onload" in el.attrib for el in root.iter())
    assert not any(el.tag in (f"{SVG}script", "script") for el in root.iter())


def test_csv_cells_never_start_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(hostile_map()))))  # type: ignore[arg-type]
    cells = [c for row in rows[1:] for c in row if c]
    assert cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    body = dict(zip(rows[0], rows[1], strict=True))
    assert body["measure"] == "'=1+2 new hires stay" and body["outcome"] == "'+1 more people stay @everyone"
    assert body["participant"] == "'-Ada <img src=x onerror=alert(1)>"
    assert body["data_owner"] == "'@HR lead" and body["cadence"] == "'-monthly"


def test_exports_show_each_measures_fit_calculation_owner_and_cadence_and_the_participant() -> None:
    m = hostile_map("Workshop")
    md = to_markdown(m)  # type: ignore[arg-type]
    row = next(ln for ln in md.splitlines() if "new hires stay |" in ln)
    assert "| close match | lagging |" in row and "| stayed ÷ hired × 100 | @HR lead | -monthly |" in row
    assert "**Participant:** -Ada" in md
    svg_text = " ".join(t.text or "" for t in ET.fromstring(to_svg(m)).iter(f"{SVG}text"))  # type: ignore[arg-type]
    assert "lagging · close match" in svg_text and "owner: @HR lead" in svg_text and "cadence: -monthly" in svg_text
    assert "Ada" in svg_text
