"""`coach knowledge ask QUESTION` and `coach knowledge gaps`: knowledge answers and the questions they missed."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli import state
from api.cli.render import TextJson, out

knowledge_app = typer.Typer(help="Knowledge answers: ask the guidance, list the questions it did not cover.")


@knowledge_app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help='e.g. "What are Kirkpatrick\'s four levels?"')],
    team: Annotated[str, typer.Option(help="Team the question is recorded under if it is not covered.")] = "local",
    format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text,
) -> None:
    """Answer a question from the guidance, cited; or say honestly that it is not covered (and record it)."""
    got = state(ctx).service.answer(question, team=team)
    if format == TextJson.json:
        print(got.model_dump_json(indent=2))
        return
    out.print(got.text, markup=False, highlight=False)
    for c in got.citations:
        out.print(f"[dim]{escape(c.label())}: {escape('; '.join(c.sources))}[/]")


@knowledge_app.command()
def gaps(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many questions.")] = 30,
    team: Annotated[str | None, typer.Option(help="Only this team's questions.")] = None,
    format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text,
) -> None:
    """Questions asked that the guidance did not cover, most frequent first: what to write next."""
    found = state(ctx).service.knowledge_gaps(limit=limit, team=team)
    if format == TextJson.json:
        rows = [
            {**g.__dict__, "last_asked": g.last_asked.isoformat(), "best_score": round(g.best_score, 4)} for g in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        out.print("No uncovered questions recorded yet.")
        return
    table = Table(title="Questions the guidance did not cover")
    for col in ("times", "question", "teams", "best score", "last asked"):
        table.add_column(col)
    for g in found:
        table.add_row(
            str(g.count),
            escape(g.question),
            escape(", ".join(g.teams)),
            f"{g.best_score:.2f}",
            g.last_asked.strftime("%Y-%m-%d %H:%M"),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(knowledge_app, name="knowledge")
