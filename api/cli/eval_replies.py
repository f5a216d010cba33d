"""`coach eval-replies [FILE]`: how well the coach reads replies in context (reply acts), on a labelled set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli import state
from api.cli.render import Fmt, out
from coach.env import REPO_ROOT

INDEPENDENT = REPO_ROOT / "bench" / "data" / "replies-independent.jsonl"


def eval_replies(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(help="Labelled replies (JSONL or a folder). Default: the dev split of knowledge/replies."),
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="Only lines of this split (dev uses a model trained on the train split).")
    ] = None,
    format: Annotated[Fmt, typer.Option("--format", "-f", help="text or json")] = Fmt.text,
) -> None:
    """Macro-F1 over the reply acts, per act and per context, the common confusions and the worst misreadings."""
    from coach.conversation.acts import load_replies
    from coach.conversation.reply_eval import evaluate_replies

    svc = state(ctx).service
    if file is None:
        examples, scope = [e for e in load_replies() if e.split == "dev"], "train"
        name = "knowledge/replies (dev split)"
    else:
        examples = load_replies([file])
        if split:
            examples = [e for e in examples if e.split == split]
        scope = "train" if split == "dev" else "all"
        name = str(file)
    report = evaluate_replies(svc.conversations.recognizer(scope), examples)
    if format != Fmt.text:
        print(report.model_dump_json(indent=2))
        return
    model = "trained on the train split only" if scope == "train" else "the production model (all replies)"
    out.print(f"[bold]{escape(name)}[/] ({report.n} replies; {model})")
    out.print(f"macro-F1 [bold]{report.macro_f1:.3f}[/]   accuracy [bold]{report.accuracy:.1%}[/]")
    acts = Table(title="per act")
    for col in ("act", "n", "precision", "recall", "F1"):
        acts.add_column(col, justify="left" if col == "act" else "right")
    for act, s in report.per_act.items():
        acts.add_row(act, str(s.n), f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}")
    out.print(acts)
    ctxs = Table(title="per context (the coach's last move)")
    ctxs.add_column("context")
    ctxs.add_column("n", justify="right")
    ctxs.add_column("accuracy", justify="right")
    for c, v in report.per_context.items():
        ctxs.add_row(c, str(int(v["n"])), f"{v['accuracy']:.1%}")
    out.print(ctxs)
    if report.worst:
        out.print("[bold]misreadings[/]")
        for m in report.worst:
            out.print(f"  [{m.context}] {m.text!r}: {m.expected}, read as {m.read_as}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("eval-replies")(eval_replies)
