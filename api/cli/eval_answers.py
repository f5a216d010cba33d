"""`coach eval-answers [FILE]`: answer hit rate and out-of-scope precision/recall on a question set."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli import state
from api.cli.render import TextJson, out
from coach.env import REPO_ROOT

if TYPE_CHECKING:  # the evaluation (and numpy) load when the command runs, not for `coach --help`
    from coach.answer_eval import AnswerReport, Figures

DEFAULT_QUESTIONS = REPO_ROOT / "bench" / "data" / "questions.jsonl"


class HalfOpt(StrEnum):
    all = "all"
    tune = "tune"
    held_out = "held-out"


def _row(table: Table, name: str, f: Figures) -> None:
    table.add_row(
        name,
        str(f.n_in),
        f"{f.hit_rate:.1%}" if f.n_in else "—",
        f"{f.content_hits / f.n_in:.1%}" if f.n_in else "—",
        f"{f.any_section / f.n_in:.1%}" if f.n_in else "—",
        str(f.n_out) if f.n_out else "—",
        f"{f.oos_recall:.1%}" if f.n_out else "—",
        f"{f.oos_precision:.1%}" if f.n_out else "—",
    )


def eval_answers(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Question set (JSONL).")] = DEFAULT_QUESTIONS,
    half: Annotated[
        HalfOpt, typer.Option(help="Only one half of the groups (tune: used to choose thresholds).")
    ] = HalfOpt.all,
    misses: Annotated[int, typer.Option(help="How many misses to list.")] = 10,
    format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text,
) -> None:
    """Answer hit rate (right section cited AND required words in the answer) and out-of-scope precision/recall."""
    from coach.answer_eval import load_questions

    cases = load_questions(file)
    if half != HalfOpt.all:
        cases = [c for c in cases if c.half == half.value]
    report: AnswerReport = state(ctx).service.evaluate_answers(cases)
    if format == TextJson.json:
        print(json.dumps(report.as_dict(), indent=2))
        return
    table = Table(title=f"{escape(str(file))}: {len(cases)} questions")
    cols = (
        "",
        "in scope",
        "hit rate",
        "required content",
        "right section cited",
        "out of scope",
        "declined",
        "precision",
    )
    for col in cols:
        table.add_column(col, justify="left" if not col else "right")
    _row(table, "[bold]all[/]", report.overall)
    if half == HalfOpt.all:
        for name, f in report.halves.items():
            _row(table, f"half: {name}", f)
    for name, f in report.by_type.items():
        _row(table, f"type: {name}", f)
    out.print(table)
    out.print(f"answer time p50: {report.p50_ms():.1f} ms")
    for o in report.misses(misses):
        c = o.case
        got = "; ".join(f"{x.doc_id} › {x.section}" for x in o.answer.citations) or "declined"
        want = "out of scope" if c.out_of_scope else f"{c.doc_id} › {c.section}"
        extra = f"  missing: {', '.join(o.missing)}" if o.right_section and o.missing else ""
        out.print(f"[red]✗[/] {escape(c.question)}\n   want {escape(want)}\n   got  {escape(got)}{escape(extra)}")


def register(app: typer.Typer) -> None:
    app.command("eval-answers")(eval_answers)
