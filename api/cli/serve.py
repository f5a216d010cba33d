"""`coach serve`: the HTTP server (API, widget demo page, Slack endpoint)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from api.cli import state
from api.cli.keys import key_store
from api.cli.render import err, out
from coach.config import get_settings
from coach.errors import InvalidInput

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
    out.print(f"Outcome Coach on http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level=level)


def register(app: typer.Typer) -> None:
    app.command()(serve)
