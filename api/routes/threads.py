"""Threads: a bot's own conversation id (a Slack thread, a Teams reply chain…) → the coach session for it.

`PUT /v1/threads/{external_id}` returns the thread's session, starting one on first use, so a bot keeps no
storage of its own. The id is opaque to the coach and scoped to the key's team: two teams using the same id
get two sessions. Concurrent first messages (or retried deliveries) of one thread get the same session.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, ServiceDep
from api.errors import Forbidden, NotFound
from api.routes.sessions import session_out
from api.schemas import COMMON, SessionOut, problems
from coach.errors import InvalidInput
from coach.service import CoachService

PREFIX = "/v1/threads"
router = APIRouter(prefix=PREFIX, tags=["threads"])

MAX_ID = 200
ALLOWED = "letters, digits and . _ : - @ + = ~"
_ALLOWED = re.compile(r"[A-Za-z0-9._:@+=~-]")
EXAMPLE = "slack:T1:C1:1712345.000100"
BOT_USER_MESSAGE = "The coach could not open this conversation. Please let whoever runs this bot know."

ThreadId = Annotated[
    str,
    Path(
        description=f"Any id the bot chooses for its conversation, 1-{MAX_ID} characters: {ALLOWED}. "
        "Slack: `slack:<team>:<channel>:<thread ts>`.",
        examples=[EXAMPLE],
        # Documented for clients; checked by `check_thread_id`, which says which character is wrong and where.
        json_schema_extra={"pattern": r"^[A-Za-z0-9._:@+=~-]+$", "minLength": 1, "maxLength": MAX_ID},
    ),
]


class ThreadOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"external_id": EXAMPLE, "session_id": "5f0c…", "created": True, "session": {"id": "5f0c…"}}]
        }
    )

    external_id: str
    session_id: str = Field(description="Send the thread's messages to POST /v1/sessions/{session_id}/messages.")
    created: bool = Field(description="True when this call started the session (the thread's first use).")
    session: SessionOut = Field(description="The session: its transcript (the greeting first) and outcome map.")


class BadThreadId(InvalidInput):
    user_message = BOT_USER_MESSAGE


def check_thread_id(external_id: str) -> str:
    """The id as given, or a 422 that says exactly what is wrong with it."""
    if not external_id:
        raise BadThreadId("The thread id is empty.", f"Use an id such as '{EXAMPLE}'.")
    if len(external_id) > MAX_ID:
        raise BadThreadId(
            f"The thread id is too long ({len(external_id):,} characters; the limit is {MAX_ID}).",
            f"Use a shorter id (e.g. a hash of a long one) made of {ALLOWED}.",
        )
    for i, ch in enumerate(external_id):
        if not _ALLOWED.fullmatch(ch):
            shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
            raise BadThreadId(
                f"The thread id has a character that is not allowed: {shown} at position {i + 1}.",
                f"Use only {ALLOWED}, e.g. '{EXAMPLE}'.",
            )
    return external_id


def raw_id(request: Request, external_id: str) -> str:
    """The id exactly as sent: the router's match stops before a trailing line break, which must not be
    dropped silently (it would name another thread)."""
    path: str = request.scope.get("path", "")
    _, sep, tail = path.partition(PREFIX + "/")
    return tail if sep and tail.startswith(external_id) else external_id


def ensure_bot(caller: Caller) -> None:
    if not caller.may("api"):
        raise Forbidden(
            f"A {caller.kind} key cannot map threads: a thread's session holds what people wrote.",
            "Use an api key of your team (`coach keys create --team NAME`).",
        )


def _thread(service: CoachService, team: str, external_id: str, create: bool) -> ThreadOut:
    if create:
        rec, created = service.session_for_thread(team, external_id)
    else:
        found = service.find_thread(team, external_id)
        if found is None:
            raise NotFound(
                "This thread has no coaching session yet.", "PUT /v1/threads/{external_id} starts one on first use."
            )
        rec, created = found, False
    view = service.get_session(rec.session_id, team)
    return ThreadOut(external_id=external_id, session_id=rec.session_id, created=created, session=session_out(view))


@router.put(
    "/{external_id:path}",
    response_model=ThreadOut,
    responses={**COMMON, 201: {"model": ThreadOut, "description": "The thread's session, started by this call"}},
    summary="The session of a bot's thread, started on first use",
)
async def put_thread(
    external_id: ThreadId, caller: Caller, service: ServiceDep, request: Request, response: Response
) -> ThreadOut:
    """Returns the coach session bound to `external_id` for your team: `200` when it exists, `201` when this
    call started it. Idempotent: call it for every message of the thread, then send the message to
    `POST /v1/sessions/{session_id}/messages`."""
    ensure_bot(caller)
    external_id = check_thread_id(raw_id(request, external_id))
    out = await run_in_threadpool(_thread, service, caller.team, external_id, True)
    response.status_code = 201 if out.created else 200
    response.headers["Location"] = f"/v1/sessions/{out.session_id}"
    return out


@router.get(
    "/{external_id:path}",
    response_model=ThreadOut,
    responses={**COMMON, **problems(404)},
    summary="The session of a bot's thread, if it has one",
)
async def get_thread(external_id: ThreadId, caller: Caller, service: ServiceDep, request: Request) -> ThreadOut:
    """Whether the coach is part of this thread (404 if not): a bot can ignore thread replies it was never
    asked into."""
    ensure_bot(caller)
    external_id = check_thread_id(raw_id(request, external_id))
    return await run_in_threadpool(_thread, service, caller.team, external_id, False)
