"""Block Kit rendering of what the coach says, within Slack's limits.

Pure functions: a `CoachReply`, classifications or an `OutcomeMap` in, a list of blocks out. Every text is
escaped for mrkdwn where it comes from a person, and clipped cleanly to Slack's limits (50 blocks per
message, 3,000 characters per text, 2,000 per section field, 150 per header, 75 per button label).
`check_limits` lists any breach; the tests run it over huge replies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from coach.domain import Citation, Classification, CoachReply, OutcomeMap, ProposedMeasure

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_TEXT = 3_000
MAX_FIELD = 2_000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2_000
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK = 3_000
# Slack echoes a message's blocks back with every button click; a text budget keeps those requests small
# (well under the server's 64 kB body limit) and the message readable.
MAX_MESSAGE_CHARS = 12_000
MAX_CARD_FIELD = 600

# Buttons under every coach reply: action id → (label, the text the policy understands).
REPLY_ACTIONS: dict[str, tuple[str, str]] = {
    "coach_accept": ("That's the result", "That's the result"),
    "coach_measures": ("Propose measures", "Propose measures"),
    "coach_not_quite": ("Not quite", "Not quite"),
    "coach_summary": ("Summary", "summary"),
}
START_ACTION = "coach_start"
START_LABEL = "Coach me on this"
ELLIPSIS = "…"


# ----- text helpers ---------------------------------------------------------------------------------
def escape(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """Cut `text` to at most `limit` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= int(limit * 0.8):
        cut = cut[:space]
    # Never leave half an escape sequence (&amp;) or a half-open link (<...) behind.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:] and len(cut) - amp <= 5:
        cut = cut[:amp]
    lt = cut.rfind("<")
    if lt != -1 and ">" not in cut[lt:]:
        cut = cut[:lt]
    return cut.rstrip() + ELLIPSIS


def md_to_mrkdwn(text: str) -> str:
    """Markdown as the coach writes it (headings, **bold**, tables) → Slack mrkdwn; escapes the rest."""
    out: list[str] = []
    for line in escape(text).splitlines():
        stripped = line.strip()
        heading = re.match(r"^#{1,6}\s+(.*)$", stripped)
        if heading:
            out.append(f"*{heading.group(1).strip()}*")
            continue
        if re.match(r"^\|?\s*:?-{3,}", stripped):
            continue  # table separator row
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            out.append("• " + " — ".join(c for c in cells if c))
            continue
        line = re.sub(r"\*\*(.+?)\*\*", r"*\1*", line)
        line = re.sub(r"^(\s*)[-*]\s+", r"\1• ", line)
        out.append(line)
    return "\n".join(out).strip()


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split long text into pieces of at most `limit` characters, at paragraph, line or word boundaries."""
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def mrkdwn(text: str, limit: int = MAX_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit) or " "}


def plain(text: str, limit: int = MAX_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:MAX_CONTEXT_ELEMENTS]]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    b: dict[str, Any] = {
        "type": "button",
        "text": plain(label, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style:
        b["style"] = style
    return b


def chars(block: Any) -> int:
    """How many characters of text a block carries (all its text objects, fields and elements)."""
    if isinstance(block, dict):
        own = len(block["text"]) if isinstance(block.get("text"), str) else 0
        return own + sum(chars(v) for k, v in block.items() if isinstance(v, dict | list))
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


# ----- pieces ---------------------------------------------------------------------------------------
def statement_text(c: Classification) -> str:
    flags = []
    if c.needs_clarification:
        flags.append("unsure")
    if c.commitment:
        flags.append(f"a {escape(c.commitment)}")
    extra = f" · _{', '.join(flags)}_" if flags else ""
    reason = escape(c.rationale.strip())
    head = f"*{c.label.capitalize()}* · {c.confidence:.0%}{extra}"
    if c.label == "none":  # not a statement about work: say what it is instead of a label
        head = f"*Not a statement* · {escape((c.none_kind or 'other').replace('_', ' '))}"
    quote = f"“{escape(clip(c.text, 1_200))}”"
    return clip(f"{head} — {quote}\n_{clip(reason, 1_500)}_" if reason else f"{head} — {quote}")


def statement_blocks(statements: Iterable[Classification]) -> list[Block]:
    return [section(statement_text(c)) for c in statements]


def _field(name: str, value: str) -> dict[str, Any]:
    return mrkdwn(f"*{name}*\n{escape(clip(value, MAX_CARD_FIELD)) if value else '—'}", MAX_FIELD)


def measure_blocks(m: ProposedMeasure) -> list[Block]:
    """A measure card: name, kind and direction, definition, then the library fields."""
    head = f"*:straight_ruler: {escape(clip(m.name, 200))}*  _{m.kind}, {m.direction}_\n{escape(clip(m.definition, 1_000))}"
    fields = [
        _field("Calculation", m.calculation),
        _field("Unit", m.unit),
        _field("Who", m.who),
        _field("Data sources", ", ".join(m.data_sources)),
        _field("Data owner", m.data_owner),
        _field("Cadence", m.cadence),
        _field("Gaming risk", m.gaming_risk),
        _field("Balancing measure", m.balancing_measure),
    ][:MAX_FIELDS]
    notes = [f"Fit {m.fit:.0%} · library: `{escape(clip(m.library_id, 100))}`"]
    if m.collectability:
        notes.append(escape(clip(m.collectability, MAX_CARD_FIELD)))
    return [{"type": "section", "text": mrkdwn(head), "fields": fields}, context(*notes)]


def citation_text(c: Citation) -> str:
    text = f":books: *{escape(clip(c.label(), 200))}*"
    if c.sources:
        text += " — " + escape(clip("; ".join(c.sources), 400))
    return text


def citation_blocks(citations: list[Citation]) -> list[Block]:
    if not citations:
        return []
    return [context(*(citation_text(c) for c in citations[:MAX_CONTEXT_ELEMENTS]))]


def reply_actions(session_id: str) -> Block:
    elements = [
        button(label, action_id, session_id, style="primary" if action_id == "coach_accept" else None)
        for action_id, (label, _) in REPLY_ACTIONS.items()
    ]
    return {"type": "actions", "block_id": "coach_actions", "elements": elements}


# ----- whole messages -------------------------------------------------------------------------------
def _body_and_question(reply: CoachReply) -> tuple[str, str | None]:
    text, question = reply.text.strip(), (reply.question or "").strip() or None
    if question and text.endswith(question):
        text = text[: -len(question)].rstrip()
    return text, question


def reply_blocks(reply: CoachReply, session_id: str | None = None, buttons: bool = True) -> list[Block]:
    """A coach turn: its text, the statements it classified, the question, measure cards, citations, buttons."""
    body, question = _body_and_question(reply)
    content: list[Block] = [section(piece) for piece in chunks(md_to_mrkdwn(body))]
    content += [context(statement_text(c)) for c in reply.statements]
    for m in reply.measures:
        content += [{"type": "divider"}, *measure_blocks(m)]
    if reply.measures:
        content.append({"type": "divider"})
    if reply.queued:
        content.append(context("Still to come: " + "; ".join(f"“{escape(clip(q, 300))}”" for q in reply.queued)))
    content += citation_blocks(reply.citations)
    tail: list[Block] = []
    if question:
        tail.append(section(f":point_right: *{escape(clip(question, 2_000))}*"))
    if reply.options:
        tail.append(context("Directions others took: " + " · ".join(escape(clip(o, 200)) for o in reply.options)))
    if buttons and session_id:
        tail.append(reply_actions(session_id))
    return fit(content, tail, more_hint="Say “summary” for the whole outcome map.")


def classification_blocks(text: str, statements: list[Classification], questions: dict[int, str]) -> list[Block]:
    """The ephemeral answer to `/outcome TEXT`: each statement's label, confidence and reason, and the
    coach's first question for outputs; a "Coach me on this" button opens a thread seeded with the text."""
    content: list[Block] = [section(f"*Here's how I read {'it' if len(statements) == 1 else 'them'}:*")]
    for i, c in enumerate(statements):
        content.append(section(statement_text(c)))
        if i in questions:
            content.append(context(f":speech_balloon: _Coach:_ {escape(questions[i])}"))
    tail: list[Block] = []
    if len(text) <= MAX_BUTTON_VALUE:
        tail.append(
            {
                "type": "actions",
                "block_id": "coach_start",
                "elements": [button(START_LABEL, START_ACTION, text, style="primary")],
            }
        )
        tail.append(context("Only you can see this. “Coach me on this” opens a thread in this channel."))
    else:
        tail.append(
            context(
                "Only you can see this. The text is too long for a thread — mention me with a "
                "shorter version to be coached on it."
            )
        )
    return fit(content, tail)


def classification_fallback(statements: list[Classification]) -> str:
    return fallback("\n".join(f"{c.label} ({c.confidence:.0%}): {c.text}" for c in statements))


def map_blocks(m: OutcomeMap) -> list[Block]:
    """The outcome map as a message: one section per chain, with its measures."""
    content: list[Block] = [{"type": "header", "text": plain(m.title, MAX_HEADER)}]
    shown = [c for c in m.chains if not (c.status == "skipped" and not c.rungs)]
    if not shown:
        content.append(section("_Nothing mapped yet._ Tell me about something your team delivers or a goal."))
        return content
    for n, c in enumerate(shown, 1):
        lines = [f"*{n}. {escape(c.outcome or c.origin)}*"]
        if c.origin_label == "output":
            lines.append(f"• *Output:* {escape(c.origin)}" + (f" _(a {escape(c.commitment)})_" if c.commitment else ""))
        lines += [f"• *Leads to:* {escape(r)}" for r in c.rungs]
        lines.append(f"• *Outcome:* {escape(c.outcome)}" if c.outcome else f"• *Outcome:* _not named yet ({c.status})_")
        if c.outcome_statement:
            lines.append(f"• *Outcome statement:* {escape(c.outcome_statement)}")
        elif c.baseline == "unknown":
            lines.append("• *Baseline:* unknown — to be collected")
        content.append(section("\n".join(lines)))
        if c.measures:
            content.append(
                context(
                    *(
                        f":straight_ruler: *{escape(ms.name)}* ({ms.kind}) — {escape(ms.definition)} · {escape(ms.cadence)}"
                        for ms in c.measures
                    )
                )
            )
    return fit(content, [], more_hint="The attached CSV has every chain.")


def summary_blocks(m: OutcomeMap, reply: CoachReply, session_id: str | None = None) -> list[Block]:
    """A "summary" turn: the map as blocks (not the reply's Markdown), then the question it re-asks."""
    content = map_blocks(m)
    _, question = _body_and_question(reply)
    if question:
        content.append(section(f":point_right: *{escape(question)}*"))
    tail = [reply_actions(session_id)] if session_id else []
    return fit(content, tail, more_hint="The attached CSV has every chain.")


# ----- validation -----------------------------------------------------------------------------------
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

    for i, b in enumerate(blocks):
        kind = b.get("type")
        where = f"block {i} ({kind})"
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
            if not 1 <= len(elements) <= 25:
                problems.append(f"{where}: {len(elements)} elements (1..25)")
            for j, e in enumerate(elements):
                text_obj(e.get("text"), f"{where} button {j}", MAX_BUTTON_TEXT)
                if len(e.get("value", "")) > MAX_BUTTON_VALUE:
                    problems.append(f"{where} button {j}: value over {MAX_BUTTON_VALUE} characters")
                if len(e.get("action_id", "")) > 255:
                    problems.append(f"{where} button {j}: action_id over 255 characters")
        elif kind != "divider":
            problems.append(f"{where}: unexpected block type")
    return problems
