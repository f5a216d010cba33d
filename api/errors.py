"""Errors at the HTTP edge: every failure leaves as `application/problem+json` (RFC 9457).

Domain errors (coach/errors.py) are mapped to a status here and nowhere else; the service never knows HTTP.
Each problem carries `type`, `title`, `status`, `detail` and a `hint` saying what to do about it, and a
`user_message`: one short sentence, for the person in the channel, that a bot can post as is (no codes, ids or
field names). An unexpected exception becomes a bare 500 problem with a request id: the traceback goes to the
server log, never to the client.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coach.errors import (
    CoachError,
    Conflict,
    CorrectionNotFound,
    IdempotencyKeyReused,
    InvalidInput,
    KnowledgeError,
    LLMUnavailable,
    NotAuthorized,
    RateLimited,
    SessionNotFound,
    WorkshopClosed,
    WorkshopNotFound,
)

log = logging.getLogger("api.errors")

PROBLEM = "application/problem+json"
TYPE_BASE = "urn:outcome-coach:problem:"


class Unauthenticated(NotAuthorized):
    """No key, or a key that is unknown or revoked (401; the client should send a valid Bearer key)."""

    code = "unauthenticated"


class Forbidden(NotAuthorized):
    """A valid key that may not do this (wrong kind, or a widget key used from a foreign origin) (403)."""

    code = "forbidden"


class NotFound(CoachError):
    """Something other than a session that is not there (or not yours): a workshop code, a key prefix."""

    code = "not_found"
    exit_code = 1


class PayloadTooLarge(CoachError):
    code = "payload_too_large"


#: Domain error class → HTTP status, most specific first.
STATUS: list[tuple[type[CoachError], int]] = [
    (SessionNotFound, 404),
    (WorkshopNotFound, 404),
    (CorrectionNotFound, 404),
    (NotFound, 404),
    (Unauthenticated, 401),
    (NotAuthorized, 403),
    (RateLimited, 429),
    (PayloadTooLarge, 413),
    (IdempotencyKeyReused, 422),  # as the IETF Idempotency-Key draft suggests for a key reused with another body
    (InvalidInput, 422),
    (Conflict, 409),
    (WorkshopClosed, 409),
    (LLMUnavailable, 503),
    (KnowledgeError, 503),
    (CoachError, 400),
]


#: What a bot can say in the channel, per problem type. Written for the person who wrote the message, not for
#: the bot's developer: the developer has `detail` and `hint`.
TELL_THE_OWNER = "Please let whoever runs this bot know."
USER_MESSAGES: dict[str, str] = {
    "unauthenticated": f"The coach did not accept this bot's access key. {TELL_THE_OWNER}",
    "forbidden": f"This bot is not allowed to do that with the coach. {TELL_THE_OWNER}",
    "not_authorized": f"This bot is not allowed to do that with the coach. {TELL_THE_OWNER}",
    "session_not_found": "The coach can't find this conversation any more. Start a new thread to begin again.",
    "workshop_not_found": "The coach can't find that workshop. Check the code your trainer gave you.",
    "not_found": "The coach can't find what was asked for.",
    "payload_too_large": "That message is too long for the coach. Please send it in shorter parts.",
    "validation_error": f"The coach could not read that request. {TELL_THE_OWNER}",
    "idempotency_key_reused": "The coach mixed this message up with an earlier one. Please send it again.",
    "conflict": "Two messages reached the coach at the same moment. Please send yours again.",
    "llm_unavailable": "The coach is not available right now. Please try again in a few minutes.",
    "knowledge_error": "The coach is not ready right now. Please try again in a few minutes.",
    "index_not_ready": "The coach is not ready right now. Please try again in a few minutes.",
    "internal_error": "Something went wrong on the coach's side. Please try again in a moment.",
}
BY_STATUS: dict[int, str] = {
    404: f"The coach can't find that. {TELL_THE_OWNER}",
    405: f"The coach could not handle that request. {TELL_THE_OWNER}",
    413: USER_MESSAGES["payload_too_large"],
    429: "The coach is getting a lot of messages right now. Please try again in a minute.",
    503: "The coach is not ready right now. Please try again in a few minutes.",
}
DEFAULT_USER_MESSAGE = f"The coach could not handle that request. {TELL_THE_OWNER}"
# Invalid input that is about what the person wrote (coach.text.clean, statement limits): the detail says it.
_ABOUT_THEIR_TEXT = re.compile(r"^(?:The|A) (?:message|statement|text|query|outcome) is (?:empty|too long)\b")
_NO_STATEMENT = "No statement found"


def user_message(code: str | None, status: int, detail: str = "") -> str:
    """The sentence a bot can post for this problem."""
    if code == "invalid_input" and _ABOUT_THEIR_TEXT.match(detail):
        if " is empty" in detail:
            return "That message was empty. Write a sentence about your team's work, e.g. “We ran 14 workshops”."
        return f"{detail} Please send a shorter message, or split it into several."
    if code == "invalid_input" and detail.startswith(_NO_STATEMENT):
        return "The coach found no statement in that. Write a sentence about your team's work."
    if code == "rate_limited":
        return BY_STATUS[429]
    if code in USER_MESSAGES:
        return USER_MESSAGES[code]
    if status >= 500:
        return BY_STATUS.get(status, USER_MESSAGES["internal_error"])
    return BY_STATUS.get(status, DEFAULT_USER_MESSAGE)


def status_for(exc: CoachError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def problem(
    status: int,
    detail: str,
    hint: str = "",
    code: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    user: str | None = None,
    **extra: Any,
) -> Response:
    """One problem+json response; `user` overrides the `user_message` chosen for the code and status."""
    body: dict[str, Any] = {
        "type": f"{TYPE_BASE}{code}" if code else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "hint": hint,
        "user_message": user or user_message(code, status, detail),
    }
    body.update(extra)
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type=PROBLEM, headers=headers)


def coach_error_response(exc: CoachError) -> Response:
    status = status_for(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, int(exc.retry_after)))
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="outcome-coach"'
    title = exc.code.replace("_", " ").capitalize() if exc.code != "coach_error" else None
    user = getattr(exc, "user_message", None)  # an error raised at the edge may say it for the person itself
    if isinstance(exc, RateLimited):
        seconds = max(1, int(exc.retry_after))
        user = f"The coach is getting a lot of messages right now. Please try again in {seconds} second{'s' if seconds != 1 else ''}."
    return problem(status, exc.message, exc.hint, code=exc.code, title=title, headers=headers or None, user=user)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        where, rest = parts[0], parts[1:]
        return f"{where}.{'.'.join(rest)}" if rest else where
    return ".".join(parts)


def validation_response(exc: RequestValidationError) -> Response:
    errors = [
        {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "invalid")), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    named = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]) or "the request is malformed"
    return problem(
        422,
        f"The request is not valid — {named}.",
        "Check the field(s) named above against the examples in the OpenAPI document at /docs.",
        code="validation_error",
        title="Invalid request",
        errors=errors,
    )


_HTTP_HINTS = {
    404: "Check the path; the API lives under /v1 and is described at /docs.",
    405: "Check the HTTP method for this path in the OpenAPI document at /docs.",
}


def http_response(exc: StarletteHTTPException) -> Response:
    status = exc.status_code
    if status == 404 and exc.detail in (None, "Not Found"):
        detail = "There is nothing at this address."
    else:
        detail = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
    headers = dict(exc.headers) if exc.headers else None
    return problem(status, detail, _HTTP_HINTS.get(status, ""), headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Register the problem+json handlers on the app."""

    @app.exception_handler(CoachError)
    async def _coach(_request: Request, exc: CoachError) -> Response:
        return coach_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        return validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        return http_response(exc)


def internal_problem(rid: str) -> Response:
    """The 500 problem: no internals, a request id to report."""
    return problem(
        500,
        "Something went wrong on our side; the error has been logged.",
        f"Try again in a moment. If it keeps happening, report request id {rid}.",
        code="internal_error",
        request_id=rid,
    )


class ProblemMiddleware:
    """Outermost safety net (pure ASGI): a request id on every response, and any exception that escaped
    the routes becomes a 500 problem without internals. The traceback is logged with the method, the path
    (no query string: it may carry a key) and the request id; headers are never logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # the one place that must catch everything
            log.error(
                "unhandled %s on %s %s (request %s)",
                type(exc).__name__,
                scope.get("method"),
                scope.get("path"),
                rid,
                exc_info=exc,
            )
            if started:
                return  # a stream was already under way: nothing more can be said to the client
            await internal_problem(rid)(scope, receive, send_with_id)


#: A JSON escape of a UTF-16 surrogate: the only way a JSON body can carry text that is not valid Unicode.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _is_json(scope: Scope) -> bool:
    ctype = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip().lower()
    return bool(ctype == b"application/json" or ctype.endswith(b"+json"))


def _first_unencodable(value: Any, where: str) -> str | None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            found = _first_unencodable(k, where) or _first_unencodable(v, f"{where}.{k}")
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _first_unencodable(v, f"{where}.{i}")
            if found:
                return found
    return None


def unencodable_field(body: bytes) -> str | None:
    """The field (e.g. 'body.text') of the first string in a JSON body that is not valid Unicode: a lone
    surrogate escape such as \\ud800 parses into a Python string that can be neither stored nor encoded."""
    if not _SURROGATE_ESCAPE.search(body):
        return None  # the fast path: no surrogate escape at all
    try:
        parsed = json.loads(body)
    except ValueError:
        return None  # not JSON: the route's own parsing reports it
    return _first_unencodable(parsed, "body")


def _not_unicode(field: str) -> Response:
    message = "contains a lone surrogate escape (such as \\ud800), which is not a character"
    return problem(
        422,
        f"The request is not valid — {field}: {message}.",
        "Send text as valid Unicode: a surrogate escape is only valid as half of a pair (\\ud83d\\ude00).",
        code="validation_error",
        title="Invalid request",
        errors=[{"field": field, "message": message, "type": "unicode"}],
    )


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413: by Content-Length up front, and by counting the bytes
    actually received (chunked uploads, lying headers). Bodies under the limit are buffered and replayed,
    so the app and every route below it see the request unchanged. A JSON body carrying text that is not
    valid Unicode (a lone surrogate escape) is refused here with a 422 that names the field, for every route."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> Response:
        return problem(
            413,
            f"The request body is larger than the limit of {self.max_bytes:,} bytes.",
            "Send less text per request: split long input into several messages.",
            code="payload_too_large",
            title="Request body too large",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = False
            if too_big:
                await self._too_large()(scope, receive, send)
                return
        if (
            scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE")
            and declared is None
            and b"chunked" not in dict(scope.get("headers") or []).get(b"transfer-encoding", b"")
        ):
            await self.app(scope, receive, send)  # no body to count
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large()(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        bad = unencodable_field(body) if _is_json(scope) else None
        if bad is not None:
            await _not_unicode(bad)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
