"""Trainer workshops: create one (a join code), watch it live (server-sent events), export its outcome map.

The event stream reads the service's `workshop_view(after_id=…)` when something may have changed. Without Redis
it polls about once a second (it sees turns handled by any worker or server sharing the database); with
COACH_REDIS_URL it waits for the workshop's live events, published by whichever worker saved the turn, and
reads the database only then (and on a slow timer, in case an event was missed).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import anyio
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse

from api.deps import ServiceDep, Staff, StaffOrQueryKey
from api.errors import NotFound
from api.routes.sessions import MapFormat, export_response
from api.schemas import COMMON, WorkshopCreate, WorkshopList, WorkshopOut, WorkshopState, problems
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
        "status": view.status,
        "participants": view.participants,
        "counts": view.counts,
        "chains": [c.model_dump(mode="json") for c in view.chains],
        "stuck": [c.model_dump(mode="json") for c in view.stuck],
        "measures": view.measures,
        "unsure": [u.model_dump(mode="json") for u in view.unsure],
    }


def join_url(request: Request, code: str) -> str:
    """The link participants open: the page with the widget (COACH_API__JOIN_PAGE, else this server's demo
    page) with `coach-join=CODE`, which opens the widget's join form with the code filled in."""
    page = request.app.state.settings.api.join_page or str(request.base_url)
    parts = urlsplit(page)
    query = urlencode([*parse_qsl(parts.query), ("coach-join", code)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def snapshot(view: WorkshopView) -> dict[str, Any]:
    return {
        **summary(view),
        "statements": [s.model_dump(mode="json") for s in view.statements],
        "last_id": view.last_id,
    }


@router.post(
    "",
    status_code=201,
    response_model=WorkshopOut,
    responses={**COMMON},
    summary="Create a workshop; participants join with its code",
)
def create(
    body: WorkshopCreate, caller: Staff, service: ServiceDep, request: Request, response: Response
) -> WorkshopOut:
    w = service.create_workshop(caller.team, body.title, start=body.start)
    response.headers["Location"] = f"/v1/workshops/{w['code']}"
    return WorkshopOut(
        code=w["code"],
        title=w["title"],
        team=w["team"],
        status=w["status"],
        trainer_page=f"/trainer/{w['code']}",
        events=f"/v1/workshops/{w['code']}/events",
        join_url=join_url(request, w["code"]),
    )


@router.get("", response_model=WorkshopList, responses={**COMMON}, summary="Your team's workshops, newest first")
def list_workshops(caller: Staff, service: ServiceDep) -> WorkshopList:
    return WorkshopList(workshops=service.list_workshops(caller.team))


def _set_status(service: CoachService, code: str, team: str, status: str) -> WorkshopState:
    w = workshop_call(code, lambda: service.set_workshop_status(code, team, status))
    return WorkshopState(code=w.code, status=w.status)


@router.post(
    "/{code}/start",
    response_model=WorkshopState,
    responses={**COMMON, **problems(404)},
    summary="Open the workshop to participants (again)",
)
def start_workshop(code: str, caller: StaffOrQueryKey, service: ServiceDep) -> WorkshopState:
    return _set_status(service, code, caller.team, "live")


@router.post(
    "/{code}/close",
    response_model=WorkshopState,
    responses={**COMMON, **problems(404)},
    summary="Close the workshop: no new participants; everything said is kept",
)
def close_workshop(code: str, caller: StaffOrQueryKey, service: ServiceDep) -> WorkshopState:
    return _set_status(service, code, caller.team, "closed")


@router.post(
    "/{code}/reset",
    response_model=WorkshopState,
    responses={**COMMON, **problems(404)},
    summary="Remove every participant's session and statements; the code stays",
)
def reset_workshop(code: str, caller: StaffOrQueryKey, service: ServiceDep) -> WorkshopState:
    removed = workshop_call(code, lambda: service.reset_workshop(code, caller.team))
    status, _ = service.workshop_totals(code, caller.team)
    return WorkshopState(code=code.upper(), status=status, removed=removed)


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
    service: CoachService,
    code: str,
    team: str,
    after: int,
    request: Request,
    poll_seconds: float,
    max_seconds: float,
    wake: Callable[[float], Awaitable[object]] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """snapshot, then `statement` per new statement (id = its id) and `summary` whenever the rest changes; after
    a reset, a new snapshot. Each poll reads the totals (aggregates only); the view is fetched only when they
    changed, and then only the new statements. Ends after `max_seconds`; EventSource reconnects by itself and
    resumes from Last-Event-ID."""
    deadline = time.monotonic() + max_seconds
    view = await anyio.to_thread.run_sync(service.workshop_view, code, team, after)
    last = view.last_id
    current = summary(view)
    yield {"event": "snapshot", "id": str(last), "retry": 2000, "data": json.dumps(snapshot(view), ensure_ascii=False)}
    status, totals = await anyio.to_thread.run_sync(service.workshop_totals, code, team)
    seen = (status, totals.signature)
    while time.monotonic() < deadline:
        await (wake(deadline - time.monotonic()) if wake is not None else anyio.sleep(poll_seconds))
        if await request.is_disconnected():
            return
        try:
            status, totals = await anyio.to_thread.run_sync(service.workshop_totals, code, team)
            if (status, totals.signature) == seen:
                continue
            was_reset = totals.last_id < last or totals.participants < current["participants"]
            view = await anyio.to_thread.run_sync(service.workshop_view, code, team, 0 if was_reset else last)
        except WorkshopNotFound:
            yield {"event": "gone", "data": json.dumps({"code": code})}
            return
        seen = (status, totals.signature)
        if was_reset:
            last, current = view.last_id, summary(view)
            yield {"event": "snapshot", "id": str(last), "data": json.dumps(snapshot(view), ensure_ascii=False)}
            continue
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
    bus = getattr(service, "events", None)
    if not hasattr(bus, "subscribe"):
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
    return EventSourceResponse(
        notified_events(bus, service, code, caller.team, after, request),
        ping=15,
        headers={"Cache-Control": "no-store"},
    )


async def notified_events(
    bus: Any, service: CoachService, code: str, team: str, after: int, request: Request
) -> AsyncIterator[dict[str, Any]]:
    """The workshop stream woken by live events (subscribed before the first read, so none is missed)."""
    state = request.app.state
    async with bus.subscribe(f"workshop:{code.upper()}") as sub:

        async def wake(left: float) -> None:
            if await sub.next(max(0.0, min(state.sse_fallback_seconds, left))) is None:
                return  # the slow timer: read anyway
            await anyio.sleep(state.sse_coalesce_seconds)  # a burst of turns becomes one read
            while await sub.next(0.001) is not None:
                pass

        async for event in workshop_events(
            service, code, team, after, request, state.sse_poll_seconds, state.sse_max_seconds, wake=wake
        ):
            yield event
