"""What a move decides: lines to say, the question to end on, and typed needs the service resolves (measures
to propose, a question to answer, the map to show, directions to offer) before the reply is composed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from coach.conversation.acts import Reading
from coach.conversation.state import Pending, SessionState
from coach.conversation.wording import outcome_form
from coach.domain import Chain, Classification, Label


@dataclass(frozen=True)
class Line:
    """A sentence from a template (`prompts/coach/<move>.yaml`, key `<move>.<name>`) and its slots."""

    key: str
    slots: dict[str, Any] = field(default_factory=dict)


# ----- needs: what the service fetches before composing ----------------------------------------------------
@dataclass(frozen=True)
class ProposeMeasures:
    chain_id: str


@dataclass(frozen=True)
class AnswerQuestion:
    query: str


@dataclass(frozen=True)
class ShowMap:
    pass


@dataclass(frozen=True)
class OfferDirections:
    """Outcome themes similar work usually serves, offered as options (never chosen for the person)."""

    text: str


Need = ProposeMeasures | AnswerQuestion | ShowMap | OfferDirections


@dataclass
class Turn:
    """One message as the engine sees it: the text, how it was read, and its statements classified."""

    text: str
    reading: Reading
    statements: list[Classification] = field(default_factory=list)


@dataclass
class Plan:
    state: SessionState
    chains: list[Chain]
    turn: Turn
    lines: list[Line] = field(default_factory=list)
    question: Line | None = None
    reask: bool = False  # end on the open question again (reworded, never verbatim)
    options: list[str] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    correction: tuple[str, Label] | None = None
    statements: list[Classification] = field(default_factory=list)
    move: str = ""

    # ----- helpers the moves use ------------------------------------------------------------------------------
    def say(self, key: str, **slots: Any) -> None:
        self.lines.append(Line(key, slots))

    def ask(self, key: str, options: list[str] | None = None, **slots: Any) -> None:
        self.question = Line(key, slots)
        self.reask = False
        self.options = options or []

    def again(self) -> None:
        """Come back to the open question (the compose step rewords it)."""
        self.question = None
        self.reask = True

    def need(self, need: Need) -> None:
        self.needs.append(need)

    @property
    def chain(self) -> Chain | None:
        return next((c for c in self.chains if c.id == self.state.current), None)


def new_chain(p: Pending) -> Chain:
    return Chain(
        id=uuid.uuid4().hex[:12],
        origin=p.text,
        origin_label=p.label,
        commitment=p.commitment,
        outcome=outcome_form(p.text) if p.label == "outcome" else None,
        status="outcome" if p.label == "outcome" else "open",
    )
