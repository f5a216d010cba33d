"""Our Slack app's view of the one Slack renderer, which lives in api/render/ (shared with the HTTP API's
`?render=slack|markdown`). Nothing is rendered here: this module only names what the listeners use."""

from __future__ import annotations

from api.render.kit import (
    MAX_BLOCKS,
    MAX_BUTTON_VALUE,
    MAX_MESSAGE_CHARS,
    MAX_TEXT,
    Block,
    chars,
    check_limits,
    context,
    fallback,
    section,
)
from api.render.slack import (
    ACTIONS_BLOCK,
    OPTION_ACTION,
    REPLY_ACTIONS,
    START_ACTION,
    START_LABEL,
    classification_blocks,
    classification_fallback,
    map_blocks,
    reply_blocks,
    session_of_block,
    summary_blocks,
)
from api.render.text import chunks, clip, escape, md_to_mrkdwn

__all__ = [
    "ACTIONS_BLOCK",
    "MAX_BLOCKS",
    "MAX_BUTTON_VALUE",
    "MAX_MESSAGE_CHARS",
    "MAX_TEXT",
    "OPTION_ACTION",
    "REPLY_ACTIONS",
    "START_ACTION",
    "START_LABEL",
    "Block",
    "chars",
    "check_limits",
    "chunks",
    "classification_blocks",
    "classification_fallback",
    "clip",
    "context",
    "escape",
    "fallback",
    "map_blocks",
    "md_to_mrkdwn",
    "reply_blocks",
    "section",
    "session_of_block",
    "summary_blocks",
]
