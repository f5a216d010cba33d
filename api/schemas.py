"""HTTP bodies of the /v1 API. Routers own these; the domain objects inside come from coach.domain."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.render.http import RenderedReply, Rendering
from coach.domain import Classification, OutcomeMap, Passage, ProposedMeasure, Turn
from coach.views import SessionSummary

# ----- problems ----------------------------------------------------------------------------------------


class FieldError(BaseModel):
    field: str = Field(description="Where the problem is, e.g. 'body.text' or 'query.k'.")
    message: str
    type: str = ""


class Problem(BaseModel):
    """RFC 9457 problem details, plus a `hint` that says what to do about it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:outcome-coach:problem:session_not_found",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "No session with id '3f2a…'.",
                    "hint": "Start a new session, or list yours with GET /v1/sessions.",
                    "user_message": "The coach can't find this conversation any more. Start a new thread to begin again.",
                }
            ]
        }
    )

    type: str
    title: str
    status: int
    detail: str
    hint: str = ""
    user_message: str = Field(
        "", description="One short sentence for the person in the channel: a bot can post it as is (no codes or ids)."
    )
    errors: list[FieldError] | None = None
    request_id: str | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problems a route can answer with."""
    text = {
        400: "Bad request",
        401: "No key, or an unknown or revoked key",
        403: "This key may not do that",
        404: "Not found (or not yours)",
        413: "Request body too large",
        422: "Invalid input (names the field)",
        429: "Rate limit reached; see Retry-After",
        503: "Not ready (model, index or database)",
    }
    return {
        s: {
            "model": Problem,
            "description": text.get(s, "Problem"),
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }


COMMON = problems(401, 403, 413, 422, 429)

# ----- classify ----------------------------------------------------------------------------------------


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"text": "We ran 14 workshops for team leads. New hires stay past their first year.", "split": True},
            ]
        }
    )

    text: str = Field(description="One statement, or several (a list, sentences) when `split` is true.")
    split: bool = Field(True, description="Cut the text into statements first.")


class ClassifyResponse(Rendering):
    statements: list[Classification]


# ----- sessions ----------------------------------------------------------------------------------------


class SessionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"mode": "coach"},
                {"mode": "workshop", "workshop": "K7QX4M", "participant": "Sam"},
            ]
        }
    )

    mode: Literal["coach", "workshop"] = "coach"
    workshop: str | None = Field(None, max_length=16, description="The join code a trainer shared (mode workshop).")
    participant: str = Field("", max_length=100, description="How the trainer's page names you (optional).")


class SessionOut(BaseModel):
    id: str
    mode: str
    workshop: str | None = None
    phase: str
    messages: list[Turn]
    map: OutcomeMap


class SessionList(BaseModel):
    sessions: list[SessionSummary]


class MessageIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"text": "We ran 14 workshops for team leads this quarter"},
                {"text": "Team leads give clearer feedback, so fewer new hires quit in their first year"},
            ]
        }
    )

    text: str = Field(description="What the person wrote.")


class TurnOut(BaseModel):
    reply: RenderedReply
    map: OutcomeMap
    replayed: bool = Field(False, description="True when an Idempotency-Key repeated an earlier turn.")


# ----- knowledge ---------------------------------------------------------------------------------------


class MeasuresIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"outcome": "Fewer new hires leave in their first year", "k": 3},
            ]
        }
    )

    outcome: str
    k: int = Field(3, ge=1, le=10, description="How many measures.")


class MeasuresOut(BaseModel):
    outcome: str
    measures: list[ProposedMeasure]


class SearchOut(BaseModel):
    query: str
    kind: str
    results: list[Passage]


class CorrectionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"text": "Launched the new onboarding portal", "label": "output"},
            ]
        }
    )

    text: str
    label: Literal["output", "outcome"]
    session_id: str | None = Field(None, max_length=40)


class CorrectionOut(BaseModel):
    id: int
    text: str
    label: str


# ----- workshops ---------------------------------------------------------------------------------------


class WorkshopCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"title": "Outcomes clinic — HR, March"}]})

    title: str = Field("", max_length=200)


class WorkshopOut(BaseModel):
    code: str = Field(description="The short join code participants type into the widget.")
    title: str
    team: str
    trainer_page: str = Field(description="Path of the live trainer page (add ?key=… with a trainer key).")
    events: str = Field(description="Path of the server-sent event stream.")
