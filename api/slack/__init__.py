"""The Slack channel: `mount(app, slack_settings, container)` adds POST /slack/events to the FastAPI app.

Events, slash commands and interactivity all arrive on that one URL and go to a Bolt `AsyncApp`, which
verifies every request's signature and timestamp before any listener runs. Without both
COACH_SLACK_SIGNING_SECRET and COACH_SLACK_BOT_TOKEN the route answers 503 with a clear message, and the
rest of the server runs as usual.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from api.slack.settings import SlackSettings

if TYPE_CHECKING:
    from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

    from api.container import Container

log = logging.getLogger(__name__)

PATH = "/slack/events"
NOT_CONFIGURED = "Slack is not configured: set COACH_SLACK_SIGNING_SECRET and COACH_SLACK_BOT_TOKEN"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse anything bigger before reading it

__all__ = ["NOT_CONFIGURED", "PATH", "SlackSettings", "mount"]


def _problem(status: int, title: str, detail: str, code: str) -> JSONResponse:
    return JSONResponse(
        {
            "type": f"https://outcome-coach.dev/problems/{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "user_message": "The coach is not set up for Slack on this server yet.",
        },
        status_code=status,
        media_type="application/problem+json",
    )


def mount(app: FastAPI, settings: SlackSettings, container: Container | None = None) -> None:
    """Add POST /slack/events. `container` may be None when the app builds it in its lifespan
    (it is then taken from `app.state.container` on the first Slack request)."""
    missing = settings.missing()
    if missing:
        log.warning(
            "Slack is not configured: missing %s. POST %s answers 503 until COACH_SLACK_SIGNING_SECRET and "
            "COACH_SLACK_BOT_TOKEN are both set; the rest of the server runs.",
            " and ".join(missing),
            PATH,
        )

        @app.post(PATH, include_in_schema=False)
        async def slack_not_configured() -> JSONResponse:
            return _problem(503, "Slack is not configured", NOT_CONFIGURED, "slack_not_configured")

        return

    state: dict[str, Any] = {}

    def handler(request: Request) -> AsyncSlackRequestHandler:
        if "handler" not in state:
            from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

            from api.slack.app import build_app

            built = container if container is not None else request.app.state.container
            state["handler"] = AsyncSlackRequestHandler(build_app(settings, built))
        handler: AsyncSlackRequestHandler = state["handler"]
        return handler

    if container is not None:
        from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

        from api.slack.app import build_app

        state["handler"] = AsyncSlackRequestHandler(build_app(settings, container))

    @app.post(PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > MAX_BODY_BYTES:
            return _problem(
                413, "Payload too large", f"Slack requests are at most {MAX_BODY_BYTES:,} bytes.", "payload_too_large"
            )
        return await handler(request).handle(request)
