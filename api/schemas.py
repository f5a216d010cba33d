"""HTTP bodies of the /v1 API. Routers own these; the domain objects inside come from coach.domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.render.http import RenderedReply, Rendering
from coach.domain import Classification, OutcomeMap, Passage, ProposedMeasure, Turn
from coach.views import SessionSummary, WorkshopSummary

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
        400: "The body could not be read (not UTF-8, or not parseable as its content type)",
        401: "No key, or an unknown or revoked key",
        403: "This key may not do that",
        404: "Not found (or not yours)",
        409: "Not now: the workshop has not started or has closed, or a record changed at the same moment",
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


COMMON = problems(400, 401, 403, 413, 422, 429)

#: Names and titles are shown to people and stored: no control characters (NUL, line breaks, escapes).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
#: Text the coach can read: at least one character that is not a space, a control or a zero-width character.
READABLE = r"[^\s\x00-\x1f\x7f\u200b\ufeff]"


#: Text cut into statements: a statement needs at least one letter or digit ("…" or "¢" alone is none).
WORDY = r"[\p{L}\p{N}_]"


def text_schema(max_length: int, pattern: str = READABLE) -> dict[str, Any]:
    """Document a text field's limits. The service enforces them itself, with messages that give the numbers
    (the defaults are documented; COACH_API__MAX_MESSAGE_CHARS and friends can change them)."""
    return {"minLength": 1, "maxLength": max_length, "pattern": pattern}


#: A workshop join code: letters and digits (the trainer's page shows six).
JOIN_CODE = r"^[A-Za-z0-9]{1,16}$"

# ----- classify ----------------------------------------------------------------------------------------


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"text": "We ran 14 workshops for team leads. New hires stay past their first year.", "split": True},
            ]
        }
    )

    text: str = Field(
        description="One statement, or several (a list, sentences) when `split` is true. Up to 10,000 characters "
        "and 50 statements; one statement up to 2,000 characters.",
        json_schema_extra=text_schema(10_000, WORDY),
    )
    split: bool = Field(True, strict=True, description="Cut the text into statements first.")


class ClassifyResponse(Rendering):
    statements: list[Classification]


# ----- sessions ----------------------------------------------------------------------------------------


class SessionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"mode": "coach"},
                {"mode": "workshop", "workshop": "K7QX4M", "participant": "Sam"},
            ],
            # mode "workshop" needs the code: said in the schema, so clients (and generated tests) know it
            "if": {"properties": {"mode": {"const": "workshop"}}, "required": ["mode"]},
            "then": {"required": ["workshop"], "properties": {"workshop": {"type": "string"}}},
        }
    )

    mode: Literal["coach", "workshop"] = "coach"
    workshop: str | None = Field(
        None, max_length=16, pattern=JOIN_CODE, description="The join code a trainer shared (mode workshop)."
    )
    participant: str = Field(
        "", max_length=100, pattern=PRINTABLE, description="How the trainer's page names you (optional)."
    )

    @model_validator(mode="after")
    def _workshop_needs_a_code(self) -> SessionCreate:
        if self.mode == "workshop" and not self.workshop:
            raise ValueError("a workshop session needs the workshop code your trainer shared")
        return self


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

    text: str = Field(
        description="What the person wrote: up to 10,000 characters and 50 statements.",
        json_schema_extra=text_schema(10_000, WORDY),
    )


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

    outcome: str = Field(description="The outcome, in plain words.", json_schema_extra=text_schema(2_000))
    k: int = Field(3, ge=1, le=10, description="How many measures (a JSON integer; true is not 1).")

    @field_validator("k", mode="before")
    @classmethod
    def _json_integer(cls, value: Any) -> Any:
        """A JSON integer (4 or 4.0), never true or "4": lax parsing would take both, the document does not."""
        if isinstance(value, bool | str):
            raise ValueError("must be a JSON integer, such as 3")
        return value


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

    text: str = Field(description="The statement.", json_schema_extra=text_schema(2_000))
    label: Literal["output", "outcome"]
    session_id: str | None = Field(None, max_length=40)


class CorrectionOut(BaseModel):
    id: int
    text: str
    label: str


class CorrectionRecordOut(BaseModel):
    """A correction as reviewed: `active` applies to its team only, `promoted` to every team (the shared
    model learned it), `reverted` to no one."""

    id: int
    text: str
    label: str
    team: str
    source: str = Field(description="Where it was made: api, chat, widget, slack, cli.")
    session_id: str | None
    status: Literal["active", "promoted", "reverted"]
    created_at: datetime
    changed_at: datetime | None = None
    changed_by: str | None = None


class CorrectionList(BaseModel):
    corrections: list[CorrectionRecordOut]


# ----- workshops ---------------------------------------------------------------------------------------


class WorkshopCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"title": "Outcomes clinic — HR, March"}]})

    title: str = Field("", max_length=200, pattern=PRINTABLE)
    start: bool = Field(True, strict=True, description="Open for participants at once; false waits for POST …/start.")


class WorkshopOut(BaseModel):
    code: str = Field(description="The short join code participants type into the widget.")
    title: str
    team: str
    status: str = Field("live", description="waiting, live or closed.")
    trainer_page: str = Field(description="Path of the live trainer page (add ?key=… with a trainer key).")
    events: str = Field(description="Path of the server-sent event stream.")
    join_url: str = Field(description="The link participants open (or scan as a QR code) to join.")


class WorkshopList(BaseModel):
    workshops: list[WorkshopSummary]


class WorkshopState(BaseModel):
    code: str
    status: str = Field(description="waiting, live or closed.")
    removed: int = Field(default=0, description="Sessions removed (reset only).")
