"""Session state and the invariant that nothing a person says about their work is ever lost.

The state is plain data (stored as JSON with the session). `phase` is the coach's last move, and it is the
context the next reply is read in. Every statement a person makes is recorded in `said`; `lost()` lists any
that is neither in the map (a chain's origin), nor in the queue, nor the statement being clarified.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from coach.domain import Chain, Citation, Classification, Label

Phase = Literal["welcome", "idle", "ask_result", "ask_higher", "clarify", "ask_mandate", "ask_baseline", "ask_target"]
# What "yes" means right now: the offer the coach's last question made.
Offer = Literal["accept_rung", "record_commitment", "finish", "park"]
RECENT_QUESTIONS = 12


class Pending(BaseModel):
    """A classified statement waiting its turn (or in focus)."""

    text: str
    label: Label
    confidence: float
    rationale: str
    commitment: str | None = None
    needs_clarification: bool = False
    language: str | None = None  # ISO 639-1 when the statement is confidently not English
    guidance: str = ""
    citation: Citation | None = None

    @classmethod
    def of(cls, c: Classification) -> Pending:
        g = next((e for e in c.evidence if e.kind == "guidance"), None)
        return cls(
            text=c.text,
            label="outcome" if c.label == "outcome" else "output",
            confidence=c.confidence,
            rationale=c.rationale,
            commitment=c.commitment,
            needs_clarification=c.needs_clarification,
            language=c.language,
            guidance=g.text if g else "",
            citation=g.citation if g else None,
        )


RECENT = 6


class SessionState(BaseModel):
    phase: Phase = "welcome"
    queue: list[Pending] = Field(default_factory=list)
    current: str | None = None  # id of the chain in focus
    focus: Pending | None = None  # the statement last classified (for "why?" and corrections)
    recent: list[Pending] = Field(default_factory=list)  # the last few in focus, for "why is <that one> an output?"
    clarifying: Pending | None = None
    offer: Offer | None = None
    nudged: bool = False  # a non-answer to the open question has already been met with options
    measure_focus: int = 0  # which proposed measure numbers are for
    held_count: dict[str, str] | None = None  # a count questioned for a share: {"slot": …, "text": …}
    held_numbers: str | None = None  # numbers given before any were asked for ("it takes 9 days today")
    held_for: str | None = None  # the chain they were given for
    asked: list[str] = Field(default_factory=list)  # recent questions, so none is repeated word for word
    last_question: str | None = None
    q_key: str | None = None  # the open question's template and slots, to re-ask it in other words
    q_slots: dict[str, Any] = Field(default_factory=dict)
    last_options: list[str] = Field(default_factory=list)
    answer_context: dict[str, Any] | None = None  # the previous knowledge answer, for follow-ups
    answer_turn: int = -1  # the turn it was given in
    said: list[str] = Field(default_factory=list)  # every statement the person made
    turn: int = 0

    def hold(self, p: Pending) -> None:
        """Put a statement in focus, and keep it among the recent ones (the newest last, at most RECENT)."""
        self.focus = p
        kept = [r for r in self.recent if r.text != p.text][-(RECENT - 1) :]
        self.recent = [*kept, p]

    @model_validator(mode="before")
    @classmethod
    def _older_sessions(cls, data: Any) -> Any:
        """Sessions stored before the reply acts: map their phases onto today's."""
        if isinstance(data, dict):
            old = {"laddering": "ask_result", "baseline": "ask_baseline"}
            if data.get("phase") in old:
                data = {**data, "phase": old[data["phase"]]}
        return data

    def remember_question(self, question: str) -> None:
        self.last_question = question
        self.asked = [*self.asked, question][-RECENT_QUESTIONS:]

    def lost(self, chains: list[Chain]) -> list[str]:
        """Statements the person made that are nowhere: not mapped, not queued, not being clarified."""
        kept = {c.origin for c in chains} | {p.text for p in self.queue}
        if self.clarifying is not None:
            kept.add(self.clarifying.text)
        return [s for s in self.said if s not in kept]
