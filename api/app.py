"""FastAPI application factory. The model and classifier are warmed once, in the lifespan."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from coach.config import Settings, get_settings
from coach.errors import CoachError
from coach.service import CoachService

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(settings: Settings, host: str) -> None:
    """Refuse to expose a keyless server beyond this machine."""
    if settings.api.require_keys is False and not is_loopback(host):
        raise CoachError(
            f"Refusing to bind {host} with API keys switched off (COACH_API__REQUIRE_KEYS=false).",
            "Bind 127.0.0.1, or create keys with `coach keys create --team NAME` and leave keys on.",
        )


def create_app(settings: Settings | None = None, service: CoachService | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service is None:
            from api.container import build

            app.state.service = build(settings)
        app.state.service.warm()
        yield

    app = FastAPI(title="Outcome Coach", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    if service is not None:
        app.state.service = service

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    async def readyz() -> JSONResponse:
        checks = app.state.service.readiness()
        return JSONResponse(checks, status_code=200 if checks["ready"] else 503)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> str:
        return "<!doctype html><title>Outcome Coach</title><h1>Outcome Coach</h1><p>The coach is running.</p>"

    return app
