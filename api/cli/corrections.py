"""`coach corrections list|promote|revert`: review what teams taught the coach (the administrator's tool)."""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli import state
from api.cli.render import TextJson, out

corrections_app = typer.Typer(
    help="Corrections teams made: list them for review, promote one to the shared model, revert one.",
    no_args_is_help=True,
)
Team = Annotated[str | None, typer.Option(help="Only this team's corrections.")]


def _admin() -> str:
    return f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'admin'}"


@corrections_app.command("list")
def list_cmd(
    ctx: typer.Context,
    team: Team = None,
    status: Annotated[str | None, typer.Option(help="active, promoted or reverted.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = 100,
    format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text,
) -> None:
    """Corrections newest first: active ones apply to their team only, promoted ones to every team."""
    from coach.records import correction_records

    found = correction_records(state(ctx).listings.correction_reader, team, status, limit)
    if format == TextJson.json:
        rows = [
            {
                "id": c.id,
                "text": c.text,
                "label": c.label,
                "team": c.team,
                "source": c.source,
                "session_id": c.session_id,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "changed_by": c.changed_by,
            }
            for c in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        out.print("No corrections" + (f" for team {escape(team)}." if team else "."))
        return
    table = Table("id", "team", "label", "status", "source", "text", title="Corrections")
    for c in found:
        table.add_row(str(c.id), escape(c.team), c.label, c.status, c.source, escape(c.text))
    out.print(table)


@corrections_app.command()
def promote(ctx: typer.Context, correction_id: int, team: Team = None) -> None:
    """Promote a correction to the shared model: every team's classifications follow it."""
    done = state(ctx).service.promote_correction(correction_id, by=_admin(), team=team)
    out.print(
        f"Promoted correction #{done.id} (team {done.team}): '{done.text}' is an {done.label} for every team.",
        markup=False,
        highlight=False,
    )


@corrections_app.command()
def revert(ctx: typer.Context, correction_id: int, team: Team = None) -> None:
    """Revert a correction: it stops applying at once (for its team, and for all if it was promoted)."""
    done = state(ctx).service.revert_correction(correction_id, by=_admin(), team=team)
    out.print(f"Reverted correction #{done.id} (team {done.team}): '{done.text}'.", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(corrections_app, name="corrections")
