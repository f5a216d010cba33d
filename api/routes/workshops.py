"""Trainer workshops: create one (a join code), watch it live (server-sent events), export its outcome map.

The event stream polls the service's `workshop_view(after_id=…)` about once a second instead of relying on
in-process notifications, so it sees turns handled by any worker or server sharing the database.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse

from api.deps import ServiceDep, Staff, StaffOrQueryKey
from api.errors import NotFound
from api.routes.sessions import MapFormat, export_response
from api.schemas import COMMON, WorkshopCreate, WorkshopOut, problems
from coach.errors import WorkshopNotFound
from coach.outcome_map import export
from coach.service import CoachService
from coach.views import WorkshopView

router = APIRouter(prefix="/v1/workshops", tags=["workshops"])
T = TypeVar("T")


def no_such_workshop(code: str) -> NotFound:
    return NotFound(f"No workshop with code '{code}'.", "Check the code, or create one with POST /v1/workshops.")


def workshop_call(code: str, fn: Callable[[], T]) -> T:
    """Run a service call about a workshop; a missing (or other team's) workshop is a 404 that says so."""
    try:
        return fn()
    except WorkshopNotFound as exc:
        raise no_such_workshop(code) from exc


def summary(view: WorkshopView) -> dict[str, Any]:
    """Everything on the trainer's page except the statement feed."""
    return {
        "code": view.code,
        "title": view.title,
        "participants": view.participants,
        "counts": view.counts,
        "chains": [c.model_dump(mode="json") for c in view.chains],
        "measures": view.measures,
        "unsure": [u.model_dump(mode="json") for u in view.unsure],
    }


@router.post(
    "",
    status_code=201,
    response_model=WorkshopOut,
    responses={**COMMON},
    summary="Create a workshop; participants join with its code",
)
def create(body: WorkshopCreate, caller: Staff, service: ServiceDep, response: Response) -> WorkshopOut:
    w = service.create_workshop(caller.team, body.title)
    response.headers["Location"] = f"/v1/workshops/{w['code']}"
    return WorkshopOut(
        code=w["code"],
        title=w["title"],
        team=w["team"],
        trainer_page=f"/trainer/{w['code']}",
        events=f"/v1/workshops/{w['code']}/events",
    )


@router.get(
    "/{code}",
    response_model=WorkshopView,
    responses={**COMMON, **problems(404)},
    summary="Everything said in the workshop so far",
)
def view(
    code: str,
    caller: StaffOrQueryKey,
    service: ServiceDep,
    after: Annotated[int, Query(ge=0, description="Only statements with a larger id.")] = 0,
) -> WorkshopView:
    return workshop_call(code, lambda: service.workshop_view(code, caller.team, after))


@router.get(
    "/{code}/map",
    responses={
        **COMMON,
        **problems(404),
        200: {
            "description": "The workshop's outcome map",
            "content": {"text/markdown": {}, "text/csv": {}, "image/svg+xml": {}},
        },
    },
    summary="The whole workshop's outcome map as json, md, csv or svg",
)
def workshop_map(
    code: str, caller: StaffOrQueryKey, service: ServiceDep, format: MapFormat = "json", download: bool = False
) -> Response:
    m = workshop_call(code, lambda: service.workshop_map(code, caller.team))
    return export_response(export(m, format), format, f"workshop-{code.upper()}", download)


async def workshop_events(
    service: CoachService, code: str, team: str, after: int, request: Request, poll_seconds: float, max_seconds: float
) -> AsyncIterator[dict[str, Any]]:
    """snapshot, then `statement` per new statement (id = its id) and `summary` whenever the rest changes.
    Ends after `max_seconds`; EventSource reconnects by itself and resumes from Last-Event-ID."""
    deadline = time.monotonic() + max_seconds
    view = await anyio.to_thread.run_sync(service.workshop_view, code, team, after)
    last = view.last_id
    current = summary(view)
    snapshot = {**current, "statements": [s.model_dump(mode="json") for s in view.statements], "last_id": last}
    yield {"event": "snapshot", "id": str(last), "retry": 2000, "data": json.dumps(snapshot, ensure_ascii=False)}
    while time.monotonic() < deadline:
        await anyio.sleep(poll_seconds)
        if await request.is_disconnected():
            return
        try:
            view = await anyio.to_thread.run_sync(service.workshop_view, code, team, last)
        except WorkshopNotFound:
            yield {"event": "gone", "data": json.dumps({"code": code})}
            return
        for st in view.statements:
            yield {"event": "statement", "id": str(st.id), "data": st.model_dump_json()}
        last = max(last, view.last_id)
        latest = summary(view)
        if latest != current:
            current = latest
            yield {"event": "summary", "data": json.dumps(latest, ensure_ascii=False)}


@router.get(
    "/{code}/events",
    responses={
        **COMMON,
        **problems(404),
        200: {
            "description": "Server-sent events: snapshot, statement…, summary…",
            "content": {"text/event-stream": {}},
        },
    },
    summary="Live stream of the workshop for the trainer's page",
)
async def events(
    code: str,
    caller: StaffOrQueryKey,
    service: ServiceDep,
    request: Request,
    after: Annotated[int, Query(ge=0, description="Resume after this statement id.")] = 0,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> EventSourceResponse:
    if last_event_id and last_event_id.isdigit():
        after = max(after, int(last_event_id))
    await run_in_threadpool(workshop_call, code, lambda: service.workshop_view(code, caller.team, after))
    state = request.app.state
    stream = workshop_events(
        service,
        code,
        caller.team,
        after,
        request,
        poll_seconds=state.sse_poll_seconds,
        max_seconds=state.sse_max_seconds,
    )
    return EventSourceResponse(stream, ping=15, headers={"Cache-Control": "no-store"})
