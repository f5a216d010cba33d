"""Conversations: start, read, talk (JSON or server-sent events), export the map, delete."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse

from api.deps import Caller, ServiceDep, charge_statements, session_scope, session_team
from api.errors import Forbidden, coach_error_response, internal_problem
from api.render.http import Render, RenderMode, render_reply
from api.schemas import COMMON, MessageIn, SessionCreate, SessionList, SessionOut, TurnOut, problems
from coach.errors import CoachError
from coach.outcome_map import MEDIA_TYPES
from coach.service import CoachService
from coach.text import clean
from coach.views import SessionView, TurnResult

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])
log = logging.getLogger(__name__)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Any unique string per message: a retry with the same key returns the first reply, "
        "so a turn is never recorded twice.",
    ),
]
MapFormat = Annotated[Literal["json", "md", "csv", "svg"], Query(description="Export format.")]

#: Map exports are data, never a document to run: nothing in them may load or execute anything.
EXPORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "X-Content-Type-Options": "nosniff",
}


def session_out(view: SessionView) -> SessionOut:
    return SessionOut(
        id=view.id, mode=view.mode, workshop=view.workshop, phase=view.phase, messages=view.messages, map=view.map
    )


def export_response(content: str, fmt: str, stem: str, download: bool) -> Response:
    headers = dict(EXPORT_HEADERS)
    disposition = "attachment" if download else "inline"
    headers["Content-Disposition"] = f'{disposition}; filename="{stem}.{fmt}"'
    return Response(content, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.post(
    "",
    status_code=201,
    response_model=SessionOut,
    responses={**COMMON, **problems(404, 409)},
    summary="Start a conversation (alone, or in a trainer's workshop)",
)
def start(body: SessionCreate, caller: Caller, service: ServiceDep, response: Response) -> SessionOut:
    """Returns the session id and the coach's greeting. With `{"mode": "workshop", "workshop": CODE}` the
    session joins that workshop: the trainer sees its statements live. An unknown code is a 404; a workshop the
    trainer has not started, or has closed, a 409."""
    view = service.start_session(mode=body.mode, team=caller.team, workshop=body.workshop, participant=body.participant)
    response.headers["Location"] = f"/v1/sessions/{view.id}"
    return session_out(view)


@router.get("", response_model=SessionList, responses={**COMMON}, summary="Your team's sessions")
def list_sessions(caller: Caller, service: ServiceDep) -> SessionList:
    if not caller.may("api", "trainer"):
        raise Forbidden(
            "A widget key cannot list sessions: it is shared by everyone on the page.", "Use an api key of your team."
        )
    return SessionList(sessions=service.list_sessions(caller.team))


@router.get(
    "/{session_id}",
    response_model=SessionOut,
    responses={**COMMON, **problems(404)},
    summary="Transcript and outcome map",
)
def get_session(session_id: str, caller: Caller, service: ServiceDep) -> SessionOut:
    _, view = session_scope(service, caller, session_id)
    return session_out(view)


@router.delete(
    "/{session_id}",
    status_code=204,
    responses={**COMMON, **problems(404)},
    summary="Delete the session and everything the person wrote",
)
def delete_session(session_id: str, caller: Caller, service: ServiceDep) -> Response:
    team = session_team(service, caller, session_id)
    service.delete_session(session_id, team)
    return Response(status_code=204)


@router.get(
    "/{session_id}/map",
    responses={
        **COMMON,
        **problems(404),
        200: {"description": "The outcome map", "content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}},
    },
    summary="The outcome map as json, md, csv or svg",
)
def session_map(
    session_id: str, caller: Caller, service: ServiceDep, format: MapFormat = "json", download: bool = False
) -> Response:
    team = session_team(service, caller, session_id)
    return export_response(
        service.export_map(session_id, format, team), format, f"outcome-map-{session_id[:8]}", download
    )


def _sse(event: str, data: Any, event_id: str | None = None) -> dict[str, str]:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    out = {"event": event, "data": payload}
    if event_id is not None:
        out["id"] = event_id
    return out


async def _turn_events(
    service: CoachService,
    session_id: str,
    text: str,
    team: str | None,
    client_key: str | None,
    source: str,
    render: RenderMode | None = None,
) -> AsyncIterator[dict[str, str]]:
    """accepted → statement* → delta* → measure* → map → done (or error with a problem body)."""
    yield _sse("accepted", {"session_id": session_id})
    try:
        result: TurnResult = await anyio.to_thread.run_sync(
            lambda: service.handle_message(session_id, text, team, client_key=client_key, source=source)
        )
    except CoachError as exc:
        yield _sse("error", json.loads(bytes(coach_error_response(exc).body)))
        return
    except Exception as exc:  # the stream has started: the client learns of the failure as an event
        rid = uuid.uuid4().hex[:16]
        log.error("unhandled %s in a message stream (request %s)", type(exc).__name__, rid, exc_info=exc)
        yield _sse("error", json.loads(bytes(internal_problem(rid).body)))
        return
    reply = result.reply
    for c in reply.statements:
        yield _sse("statement", c.model_dump_json())
    for part in [p for p in reply.text.split("\n\n") if p.strip()]:
        yield _sse("delta", {"text": part})
    for m in reply.measures:
        yield _sse("measure", m.model_dump_json())
    yield _sse("map", result.map.model_dump_json())
    done = TurnOut(reply=render_reply(reply, render, result.map), map=result.map, replayed=result.replayed)
    yield _sse("done", done.model_dump_json())


@router.post(
    "/{session_id}/messages",
    response_model=TurnOut,
    responses={
        **COMMON,
        **problems(404),
        200: {
            "description": "The coach's reply and the updated map. With `Accept: text/event-stream` the reply "
            "streams as events: accepted, statement…, delta…, measure…, map, done (or error).",
            "content": {
                "text/event-stream": {
                    "example": 'event: accepted\ndata: {"session_id": "…"}\n\n'
                    'event: delta\ndata: {"text": "I\'d file that as an output…"}\n\n'
                }
            },
        },
    },
    summary="Send a message; get the coach's reply",
)
async def post_message(
    session_id: str,
    body: MessageIn,
    caller: Caller,
    service: ServiceDep,
    request: Request,
    idempotency_key: IdempotencyKey = None,
    render: Render = None,
) -> Any:
    team = await run_in_threadpool(session_team, service, caller, session_id)
    charge_statements(request, body.text)
    source = "widget" if caller.kind == "widget" else "api"
    if "text/event-stream" in request.headers.get("accept", ""):
        # Refuse bad input with a real status before the stream starts; later failures arrive as `error` events.
        clean(body.text, limit=service.settings.api.max_message_chars, what="message")
        events = _turn_events(service, session_id, body.text, team, idempotency_key, source, render)
        return EventSourceResponse(events, ping=15)
    result = await run_in_threadpool(service.handle_message, session_id, body.text, team, idempotency_key, source)
    return TurnOut(reply=render_reply(result.reply, render, result.map), map=result.map, replayed=result.replayed)
