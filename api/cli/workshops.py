"""`coach workshop create | list | export | start | close | reset`: trainer workshops from the terminal.

No model is loaded: these commands work on the database only (see `api.cli.store`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import typer
from rich import box
from rich.table import Table

from api.cli import state
from api.cli.conversations import write_export
from api.cli.render import MapFmt, TextJson, err, out
from coach.errors import InvalidInput

workshop_app = typer.Typer(
    no_args_is_help=True, help="Trainer workshops: create one (a join code), list, export the map, start, close, reset."
)

Team = Annotated[str, typer.Option(help="The team the workshop belongs to.")]
Server = Annotated[
    str, typer.Option(help="Where the coach is served, for the links printed (the trainer page, the join link).")
]


def links(server: str, code: str, join_page: str | None) -> tuple[str, str]:
    """(trainer page, join link) for a workshop."""
    base = server.rstrip("/")
    page = join_page or f"{base}/"
    joiner = "&" if "?" in page else "?"
    return f"{base}/trainer/{code}", f"{page}{joiner}{urlencode({'coach-join': code})}"


@workshop_app.command("create")
def create(
    ctx: typer.Context,
    title: Annotated[str, typer.Option(help="Shown on the trainer's page and the exported map.")] = "",
    team: Team = "local",
    wait: Annotated[bool, typer.Option("--wait", help="Participants can join only once started.")] = False,
    server: Server = "http://127.0.0.1:8000",
    qr: Annotated[bool, typer.Option("--qr", help="Also print the join link as a QR code.")] = False,
) -> None:
    """Create a workshop; prints its join code (stdout), the trainer page and the join link."""
    st = state(ctx)
    w = st.stores.workshops.create(team, title, start=not wait)
    page, join = links(server, w["code"], st.settings.api.join_page)
    err.print(f"Workshop [bold]{w['title']}[/] for team {w['team']} ({w['status']}).", highlight=False)
    err.print(f"Trainer page: {page}?key=YOUR_TRAINER_KEY", highlight=False, markup=False)
    err.print(f"Join link:    {join}", highlight=False, markup=False)
    if qr:
        import segno

        segno.make(join, error="m").terminal(out=sys.stderr, compact=True)
    print(w["code"])


@workshop_app.command("list")
def list_cmd(
    ctx: typer.Context,
    team: Team = "local",
    all_teams: Annotated[bool, typer.Option("--all", help="Every team's workshops.")] = False,
    format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text,
) -> None:
    """Workshops, newest first: code, title, status, participants and statements."""
    rows = state(ctx).listings.workshop_summaries(None if all_teams else team)
    if format == TextJson.json:
        print(json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("No workshops yet. Create one with: coach workshop create --title 'Outcomes clinic'")
        return
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for col in ("code", "title", "status", "people", "statements", "created UTC"):
        t.add_column(col, justify="right" if col in ("people", "statements") else "left")
    for r in rows:
        t.add_row(
            r.code, r.title, r.status, str(r.participants), str(r.statements), r.created_at[:16].replace("T", " ")
        )
    out.print(t)


@workshop_app.command("export")
def export_cmd(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The workshop's join code.")],
    format: Annotated[MapFmt, typer.Option("--format", "-f", help="md, json, csv or svg")] = MapFmt.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    team: Annotated[str | None, typer.Option(help="Only if the workshop belongs to this team.")] = None,
) -> None:
    """The whole workshop's outcome map, every participant named, as Markdown, JSON, CSV or SVG."""
    from coach.outcome_map import export

    m = state(ctx).listings.workshop_map(code, team)
    write_export(export(m, format.value), output, f"the {format.value} map of workshop {code.upper()}")


def _status(ctx: typer.Context, code: str, team: str | None, status: str, said: str) -> None:
    w = state(ctx).stores.workshops.set_status(code, team, status)
    out.print(f"Workshop {w.code} ({w.title}): {said}", highlight=False, markup=False)


@workshop_app.command("start")
def start(ctx: typer.Context, code: str, team: Annotated[str | None, typer.Option()] = None) -> None:
    """Open the workshop to participants (again)."""
    _status(ctx, code, team, "live", "open, participants can join.")


@workshop_app.command("close")
def close(ctx: typer.Context, code: str, team: Annotated[str | None, typer.Option()] = None) -> None:
    """Close the workshop: nobody new can join; everything said is kept."""
    _status(ctx, code, team, "closed", "closed, nobody new can join. Everything said is kept.")


@workshop_app.command("reset")
def reset(
    ctx: typer.Context,
    code: str,
    team: Annotated[str | None, typer.Option()] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Really delete every participant's session.")] = False,
) -> None:
    """Delete every participant's session and statements; the code and title stay."""
    if not yes:
        raise InvalidInput(
            f"Resetting workshop {code.upper()} deletes every participant's conversation.",
            "Export the map first if you want to keep it, then run again with --yes.",
        )
    removed = state(ctx).stores.workshops.reset(code, team)
    out.print(f"Workshop {code.upper()} reset: {removed} participant session(s) deleted.", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(workshop_app, name="workshop")
