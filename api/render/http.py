"""`?render=slack|markdown` on the HTTP API: the query parameter, and the fields it adds to a reply or a
classification (`blocks` + `fallback` for Block Kit, `mrkdwn` for plain messages)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from api.render.markdown import classification_mrkdwn, reply_mrkdwn
from api.render.slack import API_NOTE, classification_blocks, classification_fallback, reply_blocks, reply_fallback
from coach.domain import Classification, CoachReply, OutcomeMap
from coach.outcome_map import to_markdown


class RenderMode(StrEnum):
    """How to render a reply for a channel: Slack Block Kit, or one Slack mrkdwn text."""

    slack = "slack"
    markdown = "markdown"


BLOCKS_EXAMPLE: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "I'd file that as an *output*: it counts work done."}},
    {"type": "section", "text": {"type": "mrkdwn", "text": ":point_right: *What changed for the team leads?*"}},
    {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Directions others took — pick one or say it your way:"}],
    },
    {
        "type": "actions",
        "block_id": "coach_options",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Staff retention", "emoji": True},
                "action_id": "coach_option_0",
                "value": "Staff retention",
            }
        ],
    },
]

Render = Annotated[
    RenderMode | None,
    Query(
        description="Also render the reply for a channel: `slack` adds `blocks` (Block Kit within Slack's limits: "
        "50 blocks, 3,000 characters per text; every button's `value` is exactly the text to send back as the "
        "next message) and `fallback` (the notification text); `markdown` adds `mrkdwn` (one Slack-flavoured "
        "text for bots that post plain messages). Without it, neither is sent.",
        openapi_examples={
            "slack": {"summary": "Block Kit blocks for chat.postMessage", "value": "slack"},
            "markdown": {"summary": "One mrkdwn text", "value": "markdown"},
        },
    ),
]


class Rendering(BaseModel):
    """What `?render=` adds; null when not asked for."""

    blocks: list[dict[str, Any]] | None = Field(
        None,
        description="With render=slack: Block Kit blocks, ready for chat.postMessage. Buttons' action ids start "
        "with `coach_`; each button's `value` is exactly the text to send back as the person's next message.",
        examples=[BLOCKS_EXAMPLE],
    )
    fallback: str | None = Field(
        None,
        description="With render=slack: the plain `text` to post alongside the blocks (notifications).",
        examples=["I'd file that as an output: it counts work done. What changed for the team leads?"],
    )
    mrkdwn: str | None = Field(
        None,
        description="With render=markdown: the whole reply as one Slack mrkdwn text (no tables, text escaped).",
        examples=[
            "I'd file that as an *output*: it counts work done.\n\n:point_right: *What changed for the team leads?*"
        ],
    )


class RenderedReply(CoachReply, Rendering):
    """The coach's reply, plus `blocks`/`fallback` (render=slack) or `mrkdwn` (render=markdown)."""


def render_reply(reply: CoachReply, mode: RenderMode | None, current: OutcomeMap | None = None) -> RenderedReply:
    """The reply plus what `mode` asks for. `current` is the session's map after the turn: when the reply's text
    carries it as Markdown (a summary) but not as data, it is rendered from the data (blocks, not a table)."""
    view = reply
    if mode is not None and reply.map is None and current is not None and to_markdown(current).strip() in reply.text:
        view = reply.model_copy(update={"map": current})  # only a rendering uses it: plain JSON keeps the data
    extra: dict[str, Any] = {}
    if mode == RenderMode.slack:
        extra = {"blocks": reply_blocks(view), "fallback": reply_fallback(view)}
    elif mode == RenderMode.markdown:
        extra = {"mrkdwn": reply_mrkdwn(view)}
    return RenderedReply(**reply.model_dump(), **extra)


def first_questions(statements: list[Classification]) -> dict[int, str]:
    """The question the coach opens with for each statement that gets one (as in turn 1 of a session)."""
    from api.slack.coaching import first_question

    return {i: q for i, c in enumerate(statements) if (q := first_question(c))}


def render_classification(text: str, statements: list[Classification], mode: RenderMode | None) -> dict[str, Any]:
    """The `Rendering` fields for a classification, as keyword arguments."""
    if mode == RenderMode.slack:
        blocks = classification_blocks(text, statements, first_questions(statements), note=API_NOTE)
        return {"blocks": blocks, "fallback": classification_fallback(statements)}
    if mode == RenderMode.markdown:
        return {"mrkdwn": classification_mrkdwn(statements, first_questions(statements))}
    return {}
