"""Block Kit building blocks within Slack's limits, and `check_limits`, which lists any breach.

Slack's limits: 50 blocks per message, 3,000 characters per text, 2,000 per section field (10 fields), 150 per
header, 75 per button label, 2,000 per button value, 10 elements per context block, 25 per actions block.
"""

from __future__ import annotations

import re
from typing import Any

from api.render.text import clip

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_TEXT = 3_000
MAX_FIELD = 2_000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2_000
MAX_ACTION_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_BLOCK_ID = 255
MAX_FALLBACK = 3_000
# Slack echoes a message's blocks back with every button click; a text budget keeps those requests small
# (well under the server's 64 kB body limit) and the message readable.
MAX_MESSAGE_CHARS = 12_000


def mrkdwn(text: str, limit: int = MAX_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit) or " "}


def plain(text: str, limit: int = MAX_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:MAX_CONTEXT_ELEMENTS]]}


def divider() -> Block:
    return {"type": "divider"}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    """A button; callers make sure `value` fits (a clipped value would send the wrong text back)."""
    b: dict[str, Any] = {
        "type": "button",
        "text": plain(label, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style:
        b["style"] = style
    return b


def actions(block_id: str, elements: list[dict[str, Any]]) -> Block:
    return {"type": "actions", "block_id": block_id[:MAX_BLOCK_ID], "elements": elements[:MAX_ACTION_ELEMENTS]}


def chars(block: Any) -> int:
    """How many characters of text a block carries (all its text objects, fields and elements)."""
    if isinstance(block, dict):
        own = len(block["text"]) if isinstance(block.get("text"), str) else 0
        return own + sum(chars(v) for v in block.values() if isinstance(v, dict | list))
    if isinstance(block, list):
        return sum(chars(v) for v in block)
    return 0


def fit(content: list[Block], tail: list[Block] | None = None, more_hint: str = "") -> list[Block]:
    """Cap a message at 50 blocks and MAX_MESSAGE_CHARS of text: keep the head of `content`, say what was
    left out, always keep `tail` (the question and the buttons)."""
    tail = tail or []
    room = MAX_BLOCKS - len(tail)
    budget = MAX_MESSAGE_CHARS - chars(tail)
    kept: list[Block] = []
    used = 0
    for b in content:
        n = chars(b)
        if len(kept) >= room or (used + n > budget and kept):
            break
        kept.append(b)
        used += n
    else:
        return [*content, *tail]
    kept = kept[: room - 1]  # one slot for the note
    while len(kept) > 1 and used + 200 > budget:  # and room for its text
        used -= chars(kept.pop())
    left_out = len(content) - len(kept)
    note = f"_{left_out} more block{'s' if left_out != 1 else ''} not shown.{(' ' + more_hint) if more_hint else ''}_"
    return [*kept, context(note), *tail]


def fallback(text: str) -> str:
    """The plain `text` Slack shows in notifications and where blocks can't render."""
    return clip(re.sub(r"\s+\n", "\n", text).strip(), MAX_FALLBACK) or "Outcome Coach"


def check_limits(blocks: list[Block]) -> list[str]:
    """Every breach of Slack's Block Kit limits in `blocks` (empty when the message is valid)."""
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks (max {MAX_BLOCKS})")

    def text_obj(obj: Any, where: str, limit: int = MAX_TEXT) -> None:
        if not isinstance(obj, dict) or obj.get("type") not in ("mrkdwn", "plain_text"):
            problems.append(f"{where}: not a text object")
            return
        n = len(obj.get("text", ""))
        if n > limit:
            problems.append(f"{where}: {n} characters (max {limit})")
        if n == 0:
            problems.append(f"{where}: empty text")

    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        problems.append("block_id used twice in one message")
    for i, b in enumerate(blocks):
        kind = b.get("type")
        where = f"block {i} ({kind})"
        if len(b.get("block_id", "")) > MAX_BLOCK_ID:
            problems.append(f"{where}: block_id over {MAX_BLOCK_ID} characters")
        if kind == "section":
            if "text" in b:
                text_obj(b["text"], where)
            fields = b.get("fields", [])
            if len(fields) > MAX_FIELDS:
                problems.append(f"{where}: {len(fields)} fields (max {MAX_FIELDS})")
            for j, f in enumerate(fields):
                text_obj(f, f"{where} field {j}", MAX_FIELD)
            if "text" not in b and not fields:
                problems.append(f"{where}: neither text nor fields")
        elif kind == "header":
            text_obj(b.get("text"), where, MAX_HEADER)
        elif kind == "context":
            elements = b.get("elements", [])
            if not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements (1..{MAX_CONTEXT_ELEMENTS})")
            for j, e in enumerate(elements):
                text_obj(e, f"{where} element {j}")
        elif kind == "actions":
            elements = b.get("elements", [])
            if not 1 <= len(elements) <= MAX_ACTION_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements (1..{MAX_ACTION_ELEMENTS})")
            ids = [e.get("action_id", "") for e in elements]
            if len(ids) != len(set(ids)):
                problems.append(f"{where}: action_id used twice")
            for j, e in enumerate(elements):
                text_obj(e.get("text"), f"{where} button {j}", MAX_BUTTON_TEXT)
                if len(e.get("value", "")) > MAX_BUTTON_VALUE:
                    problems.append(f"{where} button {j}: value over {MAX_BUTTON_VALUE} characters")
                if len(e.get("action_id", "")) > 255:
                    problems.append(f"{where} button {j}: action_id over 255 characters")
        elif kind != "divider":
            problems.append(f"{where}: unexpected block type")
    return problems
