"""`coach classify`, `coach correct`, `coach eval`: the statement classifier."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api.cli import state
from api.cli.render import Fmt, classification_json, err, out, print_classification
from coach.errors import CoachError, InvalidInput

if TYPE_CHECKING:
    from coach.service import CoachService


def classify(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Statements to classify; omit with --format jsonl.")] = None,
    format: Annotated[Fmt, typer.Option("--format", "-f", help="text, json, or jsonl (reads stdin)")] = Fmt.text,
    split: Annotated[bool, typer.Option("--split/--no-split", help="Split text into statements.")] = True,
    team: Annotated[str, typer.Option(help="Classify as this team: its corrections and examples apply.")] = "local",
) -> None:
    """Classify statements as output or outcome, with confidence, the reason and the evidence."""
    svc = state(ctx).service
    if format == Fmt.jsonl:
        _classify_stream(svc, split, team)
        return
    if text is None:
        raise InvalidInput("No text given.", 'Pass it as an argument, e.g. coach classify "We ran 14 workshops".')
    result = svc.classify(text, split=split, team=team)
    if format == Fmt.json:
        print(json.dumps({"statements": [classification_json(c) for c in result]}, ensure_ascii=False, indent=2))
        return
    for c in result:
        print_classification(c)


def _classify_stream(svc: CoachService, split: bool, team: str) -> None:
    """One statement per stdin line; a bad line is reported and skipped, the rest still run (exit 1 if any)."""
    failures = 0
    limit = svc.max_statement
    for n, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            failures += 1
            err.print(f"line {n}: not valid UTF-8 (byte {exc.start}); skipped. Save the input as UTF-8.")
            continue
        if not line.strip():
            continue
        if len(line) > limit:
            failures += 1
            err.print(f"line {n}: too long ({len(line):,} characters; the limit is {limit:,}); skipped.")
            continue
        try:
            for c in svc.classify(line, split=split, team=team):
                print(json.dumps(classification_json(c), ensure_ascii=False), flush=False)
        except CoachError as exc:
            failures += 1
            err.print(f"line {n}: {exc}", highlight=False, markup=False)
    sys.stdout.flush()
    if failures:
        raise typer.Exit(1)


def correct(
    ctx: typer.Context,
    text: str,
    label: Annotated[str, typer.Option("--label", "-l", help="output or outcome")],
    team: Annotated[str, typer.Option(help="The team whose correction it is.")] = "local",
) -> None:
    """Record a correction for a team; it applies to the team's identical text at once and to its model on its
    next training (other teams: once promoted with `coach corrections promote`)."""
    cid = state(ctx).service.correct(text, label, team=team, source="cli")
    out.print(f"Recorded correction #{cid} for team {team}: '{text}' is an {label}.", markup=False, highlight=False)


def eval_cmd(
    ctx: typer.Context,
    file: Path,
    split: Annotated[
        str | None, typer.Option(help="Only lines of this split (train|dev); dev uses the train-only model.")
    ] = None,
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.text,
    worst: Annotated[int, typer.Option(help="How many mistakes to list.")] = 10,
) -> None:
    """Accuracy, macro-F1, confusion matrix, per-domain accuracy and the worst mistakes on a labelled JSONL file."""
    from coach.knowledge import read_jsonl_labelled

    examples = read_jsonl_labelled(file)
    if split:
        examples = [e for e in examples if e.resolved_split == split]
    scope = "train" if split == "dev" else "all"
    report = state(ctx).service.evaluate(examples, scope=scope, worst=worst)
    if format != Fmt.text:
        print(report.model_dump_json(indent=2))
        return
    out.print(f"[bold]{file}[/] ({report.n} statements{', split ' + split if split else ''})")
    out.print(
        f"accuracy [bold]{report.accuracy:.1%}[/]   macro-F1 [bold]{report.macro_f1:.3f}[/]   "
        f"ECE [bold]{report.ece:.3f}[/]   mean confidence right {report.mean_confidence_right:.2f} / "
        f"wrong {report.mean_confidence_wrong:.2f}   would ask {report.clarify_rate:.0%}   "
        f"statements called none {report.predicted_none}"
    )
    if report.accuracy_by_rule is not None:
        out.print(
            f"accuracy against our labelling rule [bold]{report.accuracy_by_rule:.1%}[/] "
            f"(the source and the rule differ on {report.rule_disagreements} statements)"
        )
    cm = Table(title="confusion (rows: expected)")
    cm.add_column("")
    for lab in report.confusion:
        cm.add_column(f"→ {lab}")
    for lab, row in report.confusion.items():
        cm.add_row(lab, *(str(v) for v in row.values()))
    out.print(cm)
    dom = Table(title="per domain")
    dom.add_column("domain")
    dom.add_column("n", justify="right")
    dom.add_column("accuracy", justify="right")
    for d, v in report.per_domain.items():
        dom.add_row(d, str(int(v["n"])), f"{v['accuracy']:.1%}")
    out.print(dom)
    if report.worst:
        out.print("[bold]worst mistakes[/]")
        for m in report.worst:
            out.print(
                f"  {m.confidence:.0%} said {m.predicted}, is {m.expected}: {m.text}", highlight=False, markup=False
            )


def register(app: typer.Typer) -> None:
    app.command()(classify)
    app.command()(correct)
    app.command("eval")(eval_cmd)
