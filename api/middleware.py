"""ASGI middleware at the HTTP edge: a last-resort problem for any unhandled failure, bodies that are not valid
Unicode refused as a 422 naming the field, and a cap on request bodies."""

from __future__ import annotations

import json
import logging
import re
import uuid
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import internal_problem, problem

log = logging.getLogger("api.errors")


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
