"""`coach eval-measures [FILE]`: how well proposed measures fit outcomes, against a relevance set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli import state
from api.cli.render import Fmt, out

if TYPE_CHECKING:  # the evaluation loads when the command runs, not for `coach --help`
    from coach.measure_eval import MeasureEvalReport

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "bench" / "data" / "measure-relevance.jsonl"
ROWS = (
    ("precision@3 (outcomes the library can serve)", "precision_at_3"),
    ("precision@3 (all outcomes)", "precision_at_3_all"),
    ("served@3 (an acceptable measure proposed)", "served_at_3"),
    ("a leading and a lagging measure on topic", "lead_lag_on_topic"),
    ('"no close match" precision', "no_match_precision"),
    ('"no close match" recall', "no_match_recall"),
)


def eval_measures(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A measure-relevance JSONL file.")] = DEFAULT_FILE,
    format: Annotated[Fmt, typer.Option("--format", "-f", help="text or json")] = Fmt.text,
    worst: Annotated[int, typer.Option(help="How many misses to list (test half).")] = 10,
) -> None:
    """Precision@3, leading+lagging on topic, and "no close match" precision/recall; tune and test halves."""
    from coach.measure_eval import evaluate_measures, read_relevance, split_of

    svc = state(ctx).service
    rows = read_relevance(file, known_ids=set(svc.proposer.library_ids()))
    halves = {
        "tune": [r for r in rows if split_of(r.outcome) == "tune"],
        "test": [r for r in rows if split_of(r.outcome) == "test"],
        "all": rows,
    }
    reports: dict[str, MeasureEvalReport] = {}
    for name, part in halves.items():
        if part:
            reports[name] = evaluate_measures(part, lambda o: svc.propose_measures(o, k=3), worst=worst)
    if format != Fmt.text:
        print(json.dumps({k: r.as_dict() for k, r in reports.items()}, indent=2))
        return
    out.print(f"[bold]{escape(str(file))}[/] ({len(rows)} outcomes; thresholds calibrated on the tune half)")
    table = Table()
    table.add_column("")
    for name, r in reports.items():
        table.add_column(f"{name} (n={r.n})", justify="right")
    for label, attr in ROWS:
        table.add_row(label, *(f"{getattr(r, attr):.3f}" for r in reports.values()))
    out.print(table)
    labels = reports["all"].labels if "all" in reports else {}
    for label, (good, shown) in sorted(labels.items()):
        out.print(f"  {label}: {good}/{shown} accepted ({good / shown:.0%})" if shown else f"  {label}: none")
    test = reports.get("test")
    if test and test.misses:
        out.print("[bold]Misses (test half)[/]")
        for m in test.misses:
            out.print(f"- {escape(m.outcome)}", highlight=False)
            out.print(f"  proposed: {', '.join(m.proposed)}", markup=False, highlight=False)
            out.print(f"  acceptable: {', '.join(m.acceptable) or 'none'}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("eval-measures")(eval_measures)
