"""Session chains → outcome map (outputs → intermediate results → outcomes → measures) → JSON, Markdown,
CSV and an SVG diagram a trainer can paste into slides. One function per format."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from xml.sax.saxutils import escape

from coach.domain import Chain, MapEdge, MapNode, OutcomeMap

FORMATS = ("json", "md", "csv", "svg")
MEDIA_TYPES = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
}


def build_map(chains: list[Chain], title: str = "Outcome map") -> OutcomeMap:
    nodes: list[MapNode] = []
    edges: list[MapEdge] = []
    for c in chains:
        if c.status == "skipped" and not c.rungs:
            continue
        prev: str | None = None
        if c.origin_label == "output":
            prev = f"{c.id}:output"
            detail = {k: v for k, v in (("commitment", c.commitment), ("participant", c.participant)) if v}
            nodes.append(MapNode(id=prev, kind="output", text=c.origin, detail=detail))
        for i, rung in enumerate(c.rungs):
            nid = f"{c.id}:r{i}"
            nodes.append(MapNode(id=nid, kind="intermediate", text=rung))
            if prev:
                edges.append(MapEdge(source=prev, target=nid, relation="serves"))
            prev = nid
        if c.outcome:
            oid = f"{c.id}:outcome"
            detail = {
                k: v
                for k, v in (
                    ("baseline", c.baseline),
                    ("target", c.target),
                    ("by", c.by_when),
                    ("statement", c.outcome_statement),
                    ("participant", c.participant),
                )
                if v
            }
            nodes.append(MapNode(id=oid, kind="outcome", text=c.outcome, detail=detail))
            if prev:
                edges.append(MapEdge(source=prev, target=oid, relation="serves"))
            for j, m in enumerate(c.measures):
                mid = f"{c.id}:m{j}"
                nodes.append(
                    MapNode(
                        id=mid,
                        kind="measure",
                        text=m.name,
                        detail={
                            "kind": m.kind,
                            "fit": m.fit_label,
                            "definition": m.definition,
                            "calculation": m.calculation,
                            "owner": m.data_owner,
                            "cadence": m.cadence,
                            "data": ", ".join(m.data_sources),
                        },
                    )
                )
                edges.append(MapEdge(source=oid, target=mid, relation="evidenced_by"))
    return OutcomeMap(title=title, nodes=nodes, edges=edges, chains=chains)


def to_json(m: OutcomeMap) -> str:
    return json.dumps(m.model_dump(mode="json"), ensure_ascii=False, indent=2)


#: Markdown that would turn into markup: HTML (<script>), links and images ([x](javascript:…): without an
#: unescaped bracket there is no link), emphasis, code, tables. Each is written backslash-escaped, so a renderer
#: shows exactly the characters the person typed. Text never starts a line, so # + - 1. need no escape.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    """One line of Markdown text that renders as the literal text (no HTML, no links, no formatting)."""
    flat = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def to_markdown(m: OutcomeMap) -> str:
    lines = [f"# {md(m.title)}", ""]
    shown = [c for c in m.chains if not (c.status == "skipped" and not c.rungs)]
    if not shown:
        return "\n".join([*lines, "_Nothing mapped yet._", ""])
    for n, c in enumerate(shown, 1):
        head = c.outcome or c.origin
        lines += [f"## {n}. {md(head)}", ""]
        if c.participant:
            lines.append(f"- **Participant:** {md(c.participant)}")
        if c.origin_label == "output":
            lines.append(f"- **Output:** {md(c.origin)}" + (f" _(a {md(c.commitment)})_" if c.commitment else ""))
        for r in c.rungs:
            lines.append(f"- **Leads to:** {md(r)}")
        if c.outcome:
            lines.append(f"- **Outcome:** {md(c.outcome)}")
        else:
            lines.append(f"- **Outcome:** _not named yet ({c.status})_")
        if c.outcome_statement:
            lines.append(f"- **Outcome statement:** {md(c.outcome_statement)}")
        elif c.baseline == "unknown":
            lines.append("- **Baseline:** unknown — to be collected")
        if c.measures:
            lines += [
                "",
                "| Measure | Fit | Kind | Definition | Calculation | Owner | Cadence | Data source | Balancing measure |",
                "|---|---|---|---|---|---|---|---|---|",
            ]
            for ms in c.measures:
                cells = [
                    ms.name,
                    ms.fit_label,
                    ms.kind,
                    ms.definition,
                    ms.calculation,
                    ms.data_owner,
                    ms.cadence,
                    ", ".join(ms.data_sources),
                    ms.balancing_measure,
                ]
                lines.append("| " + " | ".join(md(x) for x in cells) + " |")
        lines.append("")
    return "\n".join(lines)


CSV_COLUMNS = [
    "chain",
    "participant",
    "output",
    "intermediate",
    "outcome",
    "status",
    "measure",
    "fit",
    "kind",
    "definition",
    "calculation",
    "data_owner",
    "data_sources",
    "cadence",
    "gaming_risk",
    "balancing_measure",
    "baseline",
    "target",
    "by",
]


#: A cell starting with one of these is a formula to a spreadsheet (CSV injection); a leading apostrophe makes it
#: text, as OWASP recommends.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(m: OutcomeMap) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for c in m.chains:
        base = [
            c.id,
            c.participant or "",
            c.origin if c.origin_label == "output" else "",
            " → ".join(c.rungs),
            c.outcome or "",
            c.status,
        ]
        tail = [c.baseline or "", c.target or "", c.by_when or ""]
        rows: list[list[str]] = []
        if not c.measures:
            rows.append([*base, *([""] * 10), *tail])
        for ms in c.measures:
            rows.append(
                [
                    *base,
                    ms.name,
                    ms.fit_label,
                    ms.kind,
                    ms.definition,
                    ms.calculation,
                    ms.data_owner,
                    "; ".join(ms.data_sources),
                    ms.cadence,
                    ms.gaming_risk,
                    ms.balancing_measure,
                    *tail,
                ]
            )
        for row in rows:
            w.writerow([cell(v) for v in row])
    return buf.getvalue()


_COLS = {"output": 0, "intermediate": 1, "outcome": 2, "measure": 3}
_FILL = {"output": "#e8f1fb", "intermediate": "#fff6e0", "outcome": "#e6f6ea", "measure": "#f3eefb"}
_STROKE = {"output": "#3b7dd8", "intermediate": "#d89b1c", "outcome": "#2e9b4f", "measure": "#7d5bbe"}
_HEAD = ["Outputs", "Intermediate results", "Outcomes", "Measures"]


def _box_lines(n: MapNode) -> list[str]:
    """The text of one box: a measure shows its kind, fit, owner and cadence under its name."""
    if n.kind != "measure":
        lines = textwrap.wrap(n.text, 34)[:6]
        who = n.detail.get("participant")
        return (lines or [""]) + ([f"— {who}"[:34]] if who and n.kind == "output" else [])
    d = n.detail
    lines = textwrap.wrap(n.text, 34)[:4]
    lines.append(f"{d.get('kind', '')} · {d.get('fit', '')}")
    if d.get("owner"):
        lines += textwrap.wrap(f"owner: {d['owner']}", 34)[:2]
    if d.get("cadence"):
        lines += textwrap.wrap(f"cadence: {d['cadence']}", 34)[:1]
    return lines


def attr(text: str) -> str:
    """Text for an XML attribute value: quotes escaped too, so nothing can end the attribute."""
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def to_svg(m: OutcomeMap) -> str:
    """A four-column diagram: boxes with wrapped text, arrows for 'serves' and 'evidenced by'."""
    col_w, box_w, gap, line_h, pad, top = 260, 230, 14, 15, 8, 56
    y_next = [top] * 4
    pos: dict[str, tuple[float, float, float]] = {}
    body: list[str] = []
    for c in m.chains:
        ids = [n for n in m.nodes if n.id.startswith(c.id + ":")]
        if not ids:
            continue
        start = max(y_next)
        y_next = [start] * 4
        for n in ids:
            col = _COLS[n.kind]
            lines = _box_lines(n)
            h = len(lines) * line_h + 2 * pad
            x, y = 20 + col * col_w, y_next[col]
            y_next[col] += h + gap
            pos[n.id] = (x, y, h)
            body.append(
                f'<rect x="{x}" y="{y}" width="{box_w}" height="{h}" rx="8" fill="{_FILL[n.kind]}" '
                f'stroke="{_STROKE[n.kind]}" stroke-width="1.5"/>'
            )
            for i, ln in enumerate(lines):
                body.append(f'<text x="{x + pad}" y="{y + pad + (i + 1) * line_h - 3}">{escape(ln)}</text>')
        y_next = [max(y_next) + 10] * 4
    arrows = []
    for e in m.edges:
        if e.source in pos and e.target in pos:
            sx, sy, sh = pos[e.source]
            tx, ty, th = pos[e.target]
            x1, y1, x2, y2 = sx + box_w, sy + sh / 2, tx, ty + th / 2
            dash = ' stroke-dasharray="4 3"' if e.relation == "evidenced_by" else ""
            arrows.append(
                f'<path d="M{x1},{y1} C{x1 + 20},{y1} {x2 - 20},{y2} {x2},{y2}" fill="none" '
                f'stroke="#666" stroke-width="1.3" marker-end="url(#arrow)"{dash}/>'
            )
    height = max(max(y_next), top + 40) + 10
    width = 20 + 4 * col_w
    heads = "".join(f'<text x="{20 + i * col_w}" y="38" class="h">{h}</text>' for i, h in enumerate(_HEAD))
    empty = "" if body else f'<text x="20" y="{top + 20}">Nothing mapped yet.</text>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{attr(m.title)}" font-family="Helvetica, Arial, sans-serif" font-size="12">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker>'
        "<style>.h{font-weight:bold;font-size:14px}</style></defs>"
        f'<rect width="100%" height="100%" fill="#ffffff"/><text x="20" y="18" class="h">{escape(m.title)}</text>'
        f"{heads}{''.join(arrows)}{''.join(body)}{empty}</svg>"
    )


def export(m: OutcomeMap, fmt: str) -> str:
    fns = {"json": to_json, "md": to_markdown, "csv": to_csv, "svg": to_svg}
    if fmt not in fns:
        from coach.errors import InvalidInput

        raise InvalidInput(f"Unknown map format '{fmt}'.", f"Use one of: {', '.join(FORMATS)}.")
    return fns[fmt](m)
