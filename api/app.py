"""FastAPI application factory. The model and classifier are warmed once, in the lifespan.

Layers, outermost first: CORS (allow-list from widget keys + settings) → request id and the catch-all 500 problem
→ body-size limit → FastAPI (problem+json handlers, routes). Routes only parse HTTP and call CoachService.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import DynamicCORSMiddleware, OriginRegistry
from api.auth import is_loopback as is_loopback
from api.deps import known_query_only
from api.errors import install_handlers
from api.middleware import BodyLimitMiddleware, ProblemMiddleware
from api.ratelimit import build_limiter
from api.routes import ROUTERS
from api.routes.pages import STATIC_DIR
from api.startup import startup_failed
from coach.adapters.embeddings import limit_math_threads
from coach.config import Settings, get_settings
from coach.errors import CoachError

if TYPE_CHECKING:
    from api.container import Container
    from api.slack.settings import SlackSettings

log = logging.getLogger(__name__)

DESCRIPTION = """
Turns the outputs a team reports into the outcomes they serve, and proposes outcome measures.

**Auth.** `Authorization: Bearer <key>`; keys come from `coach keys create --team NAME [--kind api|widget|trainer]`.
Each key belongs to a team, and a team sees only its own sessions. Widget keys work only from their allowed origins.
In local dev mode (no `COACH_API__REQUIRE_KEYS`, requests from this machine) keys are optional.

**Errors** are `application/problem+json`: `type`, `title`, `status`, `detail`, a `hint` (what to do about it)
and a `user_message`: one short sentence a bot can post in the channel as is.

**Bots** (a team's own Slack bot, say): `PUT /v1/threads/{external_id}` gives the session of any conversation id the
bot chooses (created on first use), `?render=slack|markdown` adds Block Kit or mrkdwn to replies, an
`Idempotency-Key` per message (Slack's message ts) makes retries safe, and `user_message` is what to post when
something fails. A typed Python client is generated from this document (`clients/python`).

**Limits.** Request bodies up to `max_body_bytes`, statements up to `max_statement_chars`, and a per-key rate limit
(`429` with `Retry-After`).
"""

TAGS = [
    {"name": "classify", "description": "Output or outcome, with confidence, reason and evidence."},
    {"name": "sessions", "description": "Coaching conversations, their transcripts and outcome maps."},
    {"name": "threads", "description": "A bot's own conversation ids mapped to coach sessions."},
    {"name": "knowledge", "description": "Measures, guidance search and corrections."},
    {"name": "workshops", "description": "Trainer workshops: join codes, live events, exports."},
    {"name": "ops", "description": "Liveness and readiness."},
]


def operation_id(route: APIRoute) -> str:
    """OpenAPI operation ids are the route functions' names: the generated client's function names."""
    return route.name


def check_bind(settings: Settings, host: str) -> None:
    """Refuse to expose a keyless server beyond this machine."""
    if settings.api.require_keys is False and not is_loopback(host):
        raise CoachError(
            f"Refusing to bind {host} with API keys switched off (COACH_API__REQUIRE_KEYS=false).",
            "Bind 127.0.0.1, or create keys with `coach keys create --team NAME` and leave keys on.",
        )


class RedactKeys(logging.Filter):
    """Keep `?key=…` (trainer page, event stream) out of the access log."""

    pattern = re.compile(r"(?i)([?&]key=)[^&\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self.pattern.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args)
        return True


DOCS_ASSETS = "/static-docs"
#: /docs and /redoc run their own inline start-up script; everything else they load must come from here, so a
#: page opened without internet never waits on (or leaks a request to) a CDN — ReDoc's footer logo included.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)


class DocsCSP:
    """Adds DOCS_CSP to the /docs and /redoc pages (pure ASGI: every other response passes untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in ("/docs", "/redoc"):
            await self.app(scope, receive, send)
            return

        async def with_csp(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"content-security-policy", DOCS_CSP.encode())]
            await send(message)

        await self.app(scope, receive, with_csp)


#: Our own loggers; uvicorn's follow `coach serve`'s --log-level, which defaults to COACH_LOG_LEVEL.
APP_LOGGERS = ("api", "coach")


def configure_logging(level: str) -> None:
    """Honour COACH_LOG_LEVEL in every process that builds the app (each uvicorn worker does)."""
    name = level.strip().upper()
    numeric = logging.getLevelName(name)
    if not isinstance(numeric, int):
        log.warning("COACH_LOG_LEVEL=%r is not a log level; using INFO", level)
        numeric = logging.INFO
    for logger_name in APP_LOGGERS:
        logger = logging.getLogger(logger_name)
        logger.setLevel(numeric)
        if not logger.handlers and not logging.getLogger().handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            logger.addHandler(handler)


def _attach(app: FastAPI, container: Container, settings: Settings) -> None:
    registry = OriginRegistry(settings.api.widget_origins, container.keys)
    container.keys.on_change.append(registry.invalidate)
    app.state.container = container
    app.state.service = container.service
    app.state.keys = container.keys
    app.state.origins = registry


def create_app(
    settings: Settings | None = None, container: Container | None = None, slack: SlackSettings | None = None
) -> FastAPI:
    """The HTTP app. Without a `container` the lifespan builds one from `settings` (the server's way)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            if container is None:
                from api.container import build

                _attach(app, build(settings), settings)
            app.state.service.warm()
            limit_math_threads(settings.embedding.server_threads)
        except Exception as exc:
            startup_failed(exc)  # under `coach serve`: one line, and the server exits non-zero
            raise
        if settings.api.require_keys is not True:
            log.warning(
                "API keys are optional for requests from this machine (dev mode). "
                "Serve on another address, or set COACH_API__REQUIRE_KEYS=true, to require them."
            )
        yield

    configure_logging(settings.log_level)
    # /docs and /redoc load Swagger UI and ReDoc from files shipped in the fastapi-offline package, never a CDN.
    app = FastAPIOffline(
        title="Outcome Coach",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=TAGS,
        static_url=DOCS_ASSETS,
        generate_unique_id_function=operation_id,
        dependencies=[Depends(known_query_only)],
    )
    app.state.settings = settings
    app.state.limiter = build_limiter(settings.api.rate_limit_per_minute, settings.redis_url, settings.redis_prefix)
    app.state.sse_poll_seconds = 1.0  # workshop stream: how often it looks for new statements
    app.state.sse_fallback_seconds = 15.0  # with live events (Redis): read anyway after this long without one
    app.state.sse_coalesce_seconds = 0.1  # with live events: wait this long for more before one read
    app.state.sse_max_seconds = 600.0  # then the stream ends and EventSource reconnects (Last-Event-ID)
    if container is not None:
        _attach(app, container, settings)

    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Slack: POST /slack/events. Without a container here, Slack handlers read request.app.state.container.
    from api import slack as slack_channel
    from api.slack.settings import SlackSettings

    slack_channel.mount(app, slack or SlackSettings(), container)

    app.add_middleware(DocsCSP)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api.max_body_bytes)
    app.add_middleware(ProblemMiddleware)
    app.add_middleware(
        DynamicCORSMiddleware,
        registry_of=lambda: getattr(app.state, "origins", None),
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Accept", "Idempotency-Key", "Last-Event-ID"],
        expose_headers=["Retry-After", "Location", "Content-Disposition", "X-Request-ID"],
        max_age=600,
    )
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactKeys) for f in access.filters):
        access.addFilter(RedactKeys())
    return app
