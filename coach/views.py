"""View models the service returns to channels: a session, its summary, one turn's result, a workshop."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coach.domain import Chain, CoachReply, OutcomeMap, Turn


class SessionView(BaseModel):
    id: str
    mode: str
    team: str
    workshop: str | None = None
    phase: str
    messages: list[Turn] = Field(default_factory=list)
    map: OutcomeMap


class SessionSummary(BaseModel):
    id: str
    mode: str
    workshop: str | None
    phase: str
    created_at: str
    updated_at: str
    chains: int


class TurnResult(BaseModel):
    session_id: str
    reply: CoachReply
    map: OutcomeMap
    replayed: bool = False


class WorkshopStatement(BaseModel):
    id: int
    session_id: str
    participant: str
    text: str
    label: str
    confidence: float
    needs_clarification: bool
    at: str


class WorkshopView(BaseModel):
    code: str
    title: str
    team: str
    participants: int
    counts: dict[str, int]
    statements: list[WorkshopStatement]
    unsure: list[WorkshopStatement]
    chains: list[Chain]
    measures: list[str]
    last_id: int
