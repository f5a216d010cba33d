"""View models the service returns to channels: a session, its summary, one turn's result, a workshop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from coach.domain import Chain, CoachReply, OutcomeMap, Turn

if TYPE_CHECKING:
    from coach.ports import SessionRecord, WorkshopRecord, WorkshopTotals


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

    @classmethod
    def of(cls, r: SessionRecord, chains: int) -> SessionSummary:
        return cls(
            id=r.id,
            mode=r.mode,
            workshop=r.workshop_code,
            phase=str(r.state.get("phase", "welcome")),
            created_at=r.created_at.isoformat(),
            updated_at=r.updated_at.isoformat(),
            chains=chains,
        )


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
    status: str = Field("live", description="waiting (not started), live, or closed (no new participants).")
    participants: int
    counts: dict[str, int]
    statements: list[WorkshopStatement] = Field(description="Statements after `after`, oldest first.")
    unsure: list[WorkshopStatement] = Field(
        description="Worth discussing: statements the coach flagged, or read with less than 80 % confidence "
        "(newest first)."
    )
    chains: list[Chain] = Field(description="Chains that climbed at least one rung or reached an outcome.")
    stuck: list[Chain] = Field(
        default_factory=list, description="Outputs that have not reached an outcome (yet): debrief material."
    )
    measures: list[str]
    last_id: int


class WorkshopSummary(BaseModel):
    code: str
    title: str
    team: str
    status: str
    created_at: str
    participants: int
    statements: int

    @classmethod
    def of(cls, w: WorkshopRecord, t: WorkshopTotals) -> WorkshopSummary:
        return cls(
            code=w.code,
            title=w.title,
            team=w.team,
            status=w.status,
            created_at=w.created_at.isoformat(),
            participants=t.participants,
            statements=t.outputs + t.outcomes,
        )
