"""Errors at the HTTP edge: every failure leaves as `application/problem+json` (RFC 9457).

Domain errors (coach/errors.py) are mapped to a status here and nowhere else; the service never knows HTTP.
Each problem carries `type`, `title`, `status`, `detail` and a `hint` saying what to do about it, and a
`user_message`: one short sentence, for the person in the channel, that a bot can post as is (no codes, ids or
field names). An unexpected exception becomes a bare 500 problem with a request id: the traceback goes to the
server log, never to the client.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

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
