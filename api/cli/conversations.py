"""`coach chat`, `coach sessions`, `coach export`: coaching conversations in the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from api.cli import report, state
from api.cli.render import MapFmt, err, out, print_reply, print_turn
from coach.errors import CoachError

_QUIT = {"/quit", "/exit", "/q", ":q"}
_CHAT_HELP = (
    "Type a statement about your work, answer the coach's question, or try: 'summary', 'skip', 'start over', "
    "'why is this an output?', 'no, that is an outcome', 'propose measures'. /quit (or Ctrl+D) leaves; "
    "the session is saved after every turn."
)


def chat(
    ctx: typer.Context,
    session: Annotated[
        str | None, typer.Option("--session", "-s", help="Resume this session (its id, or its first characters).")
    ] = None,
    team: Annotated[str, typer.Option(help="Team the session belongs to.")] = "local",
) -> None:
    """Talk with the coach in the terminal. Every turn is saved; resume with --session ID. /quit leaves."""
    svc = state(ctx).service
    if session:
        view = svc.get_session(svc.resolve_session_id(session, team), team)
        out.print(f"[dim]Resuming session {view.id} ({view.phase}, {len(view.messages)} messages so far).[/]")
    else:
        view = svc.start_session(mode="coach", team=team)
        out.print(f"[dim]New session {view.id}. {_CHAT_HELP}[/]")
    out.print()
    for t in view.messages:
        print_turn(t)
    while True:
        try:
            line = out.input("[bold cyan]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            out.print()
            break
        text = line.strip()
        if text.lower() in _QUIT:
            break
        if text.lower() in {"/help", "/?"}:
            out.print(f"[dim]{_CHAT_HELP}[/]")
            continue
        if not text:
            continue
        try:
            result = svc.handle_message(view.id, text, team=team, source="cli")
        except CoachError as exc:  # one bad message never ends the conversation
            report(exc)
            continue
        out.print()
        print_reply(result.reply)
        out.print()
    out.print(f"[dim]Session saved. Resume with: coach chat --session {view.id}[/]")


PHASES = {
    "ask_result": "laddering",
    "ask_higher": "laddering",
    "ask_mandate": "mandate",
    "ask_baseline": "baseline",
    "ask_target": "target",
}


def sessions(
    ctx: typer.Context,
    team: Annotated[str, typer.Option(help="Whose sessions to list.")] = "local",
    all_teams: Annotated[bool, typer.Option("--all", help="List the sessions of every team.")] = False,
) -> None:
    """List conversation sessions, most recently updated first."""
    rows = state(ctx).listings.session_summaries(None if all_teams else team)
    if not rows:
        out.print("No sessions yet. Start one with: coach chat")
        return
    # Fits an 80-column terminal without cutting the id: no vertical rules, minute precision.
    t = Table(
        title=f"sessions ({'all teams' if all_teams else 'team ' + team})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    for col in ("id", "mode", "phase", "chains", "updated UTC"):
        t.add_column(col, justify="right" if col == "chains" else "left", no_wrap=True)
    for r in rows:
        t.add_row(
            r.id,
            r.mode + (f" {r.workshop}" if r.workshop else ""),
            PHASES.get(r.phase, r.phase),
            str(r.chains),
            r.updated_at[:16].replace("T", " "),
        )
    out.print(t)


def export_cmd(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="The session id, or its first characters (see `coach sessions`).")],
    format: Annotated[MapFmt, typer.Option("--format", "-f", help="md, json, csv or svg")] = MapFmt.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    team: Annotated[str | None, typer.Option(help="Only if the session belongs to this team.")] = None,
) -> None:
    """Export a session's outcome map (outputs → outcomes → measures) as Markdown, JSON, CSV or SVG."""
    records = state(ctx).listings.records
    full = records.resolve_session_id(session_id, team)
    data = records.export(full, format.value, team)
    write_export(data, output, f"the {format.value} map of session {full}")


def write_export(data: str, output: Path | None, what: str) -> None:
    if output is None:
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise CoachError(f"Cannot write {output}: {exc.strerror or exc}.", "Choose a writable path with -o.") from None
    err.print(f"Wrote {what} to {output} ({len(data.encode()):,} bytes).", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(chat)
    app.command()(sessions)
    app.command("export")(export_cmd)
