"""`coach serve`: the HTTP server (API, widget demo page, Slack endpoint)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from api.cli import state
from api.cli.keys import key_store
from api.cli.render import err, out
from api.startup import PARENT_ENV, REPORT_ENV, STARTUP_FAILURE, one_line, read_report
from coach.errors import CoachError, InvalidInput

LEVELS = ("critical", "error", "warning", "info", "debug")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    log_level: Annotated[
        str | None, typer.Option(help="debug, info, warning or error (default: COACH_LOG_LEVEL, else info).")
    ] = None,
) -> None:
    """Start the HTTP server (API, widget demo page, Slack endpoint)."""
    import uvicorn

    from api.app import check_bind
    from api.auth import is_loopback
    from coach.config import get_settings

    settings = state(ctx).settings
    check_bind(settings, host)
    if settings.api.require_keys is None and not is_loopback(host):
        # Beyond this machine keys are required; worker processes inherit the environment.
        os.environ["COACH_API__REQUIRE_KEYS"] = "true"
        get_settings.cache_clear()
        err.print(f"API keys are required: the server is bound to {host}, beyond this machine.")
        try:
            if key_store(ctx).count_active() == 0:
                err.print("[yellow]No API keys exist yet.[/] Create one with `coach keys create --team NAME`.")
        except Exception:  # only a hint; the server reports database problems itself
            pass
    level = (log_level or settings.log_level).strip().lower()
    if level not in LEVELS:
        raise InvalidInput(f"Unknown log level '{level}'.", f"Use one of: {', '.join(LEVELS)}.")
    # Worker processes build their own app from the environment: hand them the level chosen here.
    os.environ["COACH_LOG_LEVEL"] = level.upper()
    get_settings.cache_clear()
    try:  # once, before any worker starts: the schema (workers then find it at head), and a clear error
        state(ctx).stores.db.migrate()
    except CoachError as exc:
        fail(one_line(exc))
    except Exception as exc:
        fail(f"the database is not reachable: {one_line(exc)}")
    out.print(f"Outcome Coach on http://{host}:{port}/  (Ctrl+C to stop)")
    fd, name = tempfile.mkstemp(prefix="coach-startup-", suffix=".txt")
    os.close(fd)
    report = Path(name)
    os.environ[REPORT_ENV] = str(report)
    os.environ[PARENT_ENV] = str(os.getpid())
    code: object = 0
    try:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level=level)
    except SystemExit as exc:  # uvicorn exits by itself when a single worker fails to start
        code = exc.code
    finally:
        failure = read_report(report)
        report.unlink(missing_ok=True)
        os.environ.pop(REPORT_ENV, None)
        os.environ.pop(PARENT_ENV, None)
    if failure:
        fail(failure)
    if code not in (0, None):
        fail(f"the server stopped (uvicorn exit code {code}); see the log above.")


def fail(line: str) -> NoReturn:
    """A start-up failure: one line on stderr and exit code 3 (uvicorn's own for
    one worker), so a supervisor restarts or alerts instead of taking the stop for a clean one."""
    err.print(f"[bold red]Error:[/] the server did not start: {line}", highlight=False, soft_wrap=True)
    raise typer.Exit(STARTUP_FAILURE)


def migrate(ctx: typer.Context) -> None:
    """Bring the database schema to the newest version (run once per deployment, before the servers)."""
    db = state(ctx).stores.db
    db.migrate()
    out.print(f"Database schema is up to date ({db.engine.url.render_as_string(hide_password=True)}).")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(migrate)
