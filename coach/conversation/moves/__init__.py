"""The moves, in the order the engine tries them. Adding a move: a class here and a `prompts/coach/<name>.yaml`."""

from __future__ import annotations

from coach.conversation.moves.base import Move
from coach.conversation.moves.clarify import Clarified
from coach.conversation.moves.commands import Command
from coach.conversation.moves.ladder import Intermediate, Result
from coach.conversation.moves.mandate import Mandate, MandateReply
from coach.conversation.moves.non_answer import NonAnswer
from coach.conversation.moves.numbers import HeldNumbers, NoNumbers, Numbers, NumbersElsewhere
from coach.conversation.moves.objection import Objection
from coach.conversation.moves.questions import KnowledgeQuestion, MetaQuestion
from coach.conversation.moves.social import Affirm, Deny, Fallback, Gibberish, SmallTalk
from coach.conversation.moves.statements import NewStatements

MOVES: tuple[Move, ...] = (
    Command(),
    Clarified(),  # in `clarify`, yes/no/answers settle the statement before any other reading
    MandateReply(),
    HeldNumbers(),
    NoNumbers(),
    Numbers(),
    NumbersElsewhere(),
    NewStatements(),
    Result(),
    Intermediate(),
    Mandate(),
    NonAnswer(),
    Objection(),
    KnowledgeQuestion(),
    MetaQuestion(),
    Affirm(),
    Deny(),
    SmallTalk(),
    Gibberish(),
)
FALLBACK = Fallback()

__all__ = ["FALLBACK", "MOVES", "Move"]
