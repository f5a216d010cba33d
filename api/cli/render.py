"""Rich rendering shared by the CLI commands: consoles, formats, classifications, replies and measures."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

out = Console()
err = Console(stderr=True)


class Fmt(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class TextJson(StrEnum):
    text = "text"
    json = "json"


class MapFmt(StrEnum):
    md = "md"
    json = "json"
    csv = "csv"
    svg = "svg"


_CHIP = {"output": "bold white on dark_cyan", "outcome": "bold white on green4", "none": "bold white on grey42"}


def classification_json(c: Any) -> dict[str, Any]:
    return {
        "text": c.text,
        "label": c.label,
        "confidence": c.confidence,
        "rationale": c.rationale,
        "evidence": [e.model_dump(exclude_none=True) for e in c.evidence],
        "needs_clarification": c.needs_clarification,
        "none_kind": c.none_kind,
        "language": c.language,
        "commitment": c.commitment,
        "start": c.start,
        "end": c.end,
    }


def print_classification(c: Any) -> None:
    if c.label == "none":
        kind = str(c.none_kind or "").replace("_", " ")
        out.print(f"[bold]NOT A STATEMENT[/] ({kind})  [bold]{escape(c.text)}[/]", highlight=False)
        out.print(f"  [dim]why:[/] {escape(c.rationale)}", highlight=False)
        return
    colour = "cyan" if c.label == "output" else "green"
    unsure = "  [yellow](unsure — the coach would ask)[/]" if c.needs_clarification else ""
    if c.language:
        unsure = f"  [yellow](language: {escape(c.language)} — only a guess, the coach would ask)[/]"
    out.print(
        f"[bold {colour}]{c.label.upper()}[/] {c.confidence:.0%}  [bold]{escape(c.text)}[/]{unsure}", highlight=False
    )
    out.print(f"  [dim]why:[/] {escape(c.rationale)}", highlight=False)
    if c.commitment:
        out.print(
            f"  [dim]note:[/] looks like a {c.commitment}: a fair commitment, still worth naming the outcome it serves"
        )
    for e in c.evidence:
        if e.kind == "example":
            out.print(f"  [dim]like:[/] {escape(e.text)} [dim]({e.label}, {e.similarity:.2f})[/]", highlight=False)
        elif e.citation:
            out.print(
                f"  [dim]guidance:[/] {escape(e.citation.label())} [dim]— {escape('; '.join(e.citation.sources[:2]))}[/]",
                highlight=False,
            )


def measure_table(measures: list[Any], title: str | None = None) -> Table:
    t = Table(title=title, show_lines=True, expand=False)
    for col, style in (
        ("Measure", "bold"),
        ("Kind", ""),
        ("Definition", ""),
        ("Calculation", "dim"),
        ("Data source · cadence", ""),
        ("Gaming risk", "dim"),
        ("Balancing measure", "dim"),
    ):
        t.add_column(col, style=style or None, overflow="fold")
    for m in measures:
        kind = f"[magenta]{m.kind}[/]" if m.kind == "leading" else f"[blue]{m.kind}[/]"
        t.add_row(
            escape(m.name),
            kind,
            escape(m.definition),
            escape(m.calculation),
            escape(f"{', '.join(m.data_sources)} · {m.cadence}"),
            escape(m.gaming_risk),
            escape(m.balancing_measure),
        )
    return t


def map_table(omap: Any) -> Table:
    """The outcome map: one row per piece of work, from output to outcome, measures and numbers."""
    t = Table(title="Outcome map", show_lines=True, expand=False)
    for col in ("Work", "Steps", "Outcome", "Measures", "Baseline", "Target", "By", "Status"):
        t.add_column(col, overflow="fold")
    status = {
        "outcome": "outcome named",
        "open": "in progress",
        "skipped": "parked",
        "unresolved": "parked",
        "commitment": "commitment",
    }
    for c in omap.chains:
        t.add_row(
            escape(c.origin),
            escape(" → ".join(c.rungs)),
            escape(c.outcome or ""),
            escape("; ".join(f"{m.name} ({m.fit_label})" for m in c.measures)),
            escape(c.baseline or ""),
            escape(c.target or ""),
            escape(c.by_when or ""),
            status.get(c.status, c.status),
        )
    return t


def print_reply(reply: Any) -> None:
    """One coach reply: label chips per statement, the text, directions, measures, the question, citations."""
    for c in reply.statements:
        chip = f"[{_CHIP.get(c.label, 'bold')}] {c.label.upper()} [/]"
        unsure = " [black on yellow] UNSURE [/]" if c.needs_clarification else ""
        note = f" [dim]({escape(c.commitment)})[/]" if c.commitment else ""
        out.print(f"{chip}{unsure} {c.confidence:.0%}  {escape(c.text)}{note}", highlight=False)
    body = reply.text
    if reply.question and body.rstrip().endswith(reply.question):
        body = body.rstrip()[: -len(reply.question)].rstrip()
    if reply.map is not None:  # the map is shown as a table below, not as the text's plain lines
        body = "\n".join(line for line in body.splitlines() if not line.startswith("• ")).strip()
    if body:
        out.print(f"[bold green]coach>[/] {escape(body)}", highlight=False)
    if reply.map is not None and reply.map.chains:
        out.print(map_table(reply.map))
    if reply.measures:
        out.print(measure_table(reply.measures))
    if reply.options:
        out.print("[italic]You can reply:[/] " + " · ".join(escape(o) for o in reply.options), highlight=False)
    if reply.queued:
        out.print("[dim]Queued: " + "; ".join(escape(q) for q in reply.queued) + "[/]", highlight=False)
    if reply.question:
        out.print(f"[bold yellow]?[/] [bold]{escape(reply.question)}[/]", highlight=False)
    if reply.citations:
        cites = "; ".join(escape(c.label()) for c in reply.citations)
        out.print(f"[dim]Sources: {cites}[/]", highlight=False)


def print_turn(turn: Any) -> None:
    if turn.role == "user":
        out.print(f"[bold cyan]you>[/] {escape(turn.text)}", highlight=False)
    elif turn.reply is not None:
        print_reply(turn.reply)
    else:
        out.print(f"[bold green]coach>[/] {escape(turn.text)}", highlight=False)
    out.print()
