"""A `CoachReply`, classifications or an `OutcomeMap` → Slack Block Kit: the one renderer, used by our own Slack
app (api/slack) and by the HTTP API (`render=slack`), so a team's own bot posts exactly what our app posts.

Every field of a reply is shown: its text (Markdown turned into mrkdwn, never a raw table), how the coach read
the message (`act`), the statements it classified, the outcome map as blocks (`map`, on "summary"), measure
cards (fit in words, data owner, cadence, calculation…), what is still to come, citations, the question, the
directions offered (`options`) as buttons, and the reply controls. **Every button's `value` is exactly the
text to send back as the person's next message**; action ids start with `coach_`.
"""

from __future__ import annotations

from collections.abc import Iterable

from api.render.kit import (
    MAX_BUTTON_VALUE,
    MAX_FIELD,
    MAX_FIELDS,
    Block,
    actions,
    button,
    context,
    divider,
    fallback,
    fit,
    header,
    mrkdwn,
    section,
)
from api.render.text import chunks, clip, escape, md_to_mrkdwn, percent, remove_block
from coach.domain import Chain, Citation, Classification, CoachReply, OutcomeMap, ProposedMeasure
from coach.outcome_map import to_markdown

MAX_CARD_FIELD = 600
MAX_OPTION_BUTTONS = 5

# The reply controls: action id → (label, the text the coach understands, sent back as the next message).
REPLY_ACTIONS: dict[str, tuple[str, str]] = {
    "coach_accept": ("That's the result", "That's the result"),
    "coach_measures": ("Propose measures", "Propose measures"),
    "coach_not_quite": ("Not quite", "Not quite"),
    "coach_summary": ("Summary", "summary"),
}
OPTION_ACTION = "coach_option_"  # + index: a direction the coach offered
ACTIONS_BLOCK = "coach_actions"  # our own app appends ":<session id>" to both buttons blocks' ids
OPTIONS_BLOCK = "coach_options"
START_ACTION = "coach_start"
START_LABEL = "Coach me on this"
OWN_APP_NOTE = "Only you can see this. “Coach me on this” opens a thread in this channel."
API_NOTE = "“Coach me on this” starts a coaching conversation on this text."
MAP_HINT = "Say “summary” for the whole outcome map."
CSV_HINT = "The attached CSV has every chain."  # our own app attaches the map's files to a summary


def block_id(name: str, session_id: str | None) -> str:
    return f"{name}:{session_id}" if session_id else name


def session_of_block(block_id: str) -> str | None:
    """The session id our own Slack app put in a buttons block's id (`coach_actions:<id>`), if any."""
    for name in (ACTIONS_BLOCK, OPTIONS_BLOCK):
        if block_id.startswith(name + ":"):
            return block_id[len(name) + 1 :] or None
    return None


# ----- pieces ---------------------------------------------------------------------------------------
def statement_text(c: Classification) -> str:
    flags = []
    if c.needs_clarification:
        flags.append("unsure")
    if c.commitment:
        flags.append(f"a {escape(c.commitment)}")
    extra = f" · _{', '.join(flags)}_" if flags else ""
    reason = escape(c.rationale.strip())
    head = f"*{c.label.capitalize()}* · {percent(c.confidence)}{extra}"
    if c.label == "none":  # not a statement about work: say what it is instead of a label
        head = f"*Not a statement* · {escape((c.none_kind or 'other').replace('_', ' '))}"
    quote = f"“{escape(clip(c.text, 1_200))}”"
    return clip(f"{head} — {quote}\n_{clip(reason, 1_500)}_" if reason else f"{head} — {quote}", 3_000)


def statement_blocks(statements: Iterable[Classification]) -> list[Block]:
    return [section(statement_text(c)) for c in statements]


def fit_text(m: ProposedMeasure) -> str:
    """The measure's fit in words: 'close match (83%)', 'partial match (61%)', or 'drafted from your outcome'."""
    if m.drafted or m.fit_label == "drafted":
        return "drafted from your outcome (not in the library)"
    return f"{m.fit_label} ({percent(m.fit)})"


def measure_fields(m: ProposedMeasure) -> list[tuple[str, str]]:
    """The card's fields, in order; baseline and target only once they are known."""
    fields = [
        ("Calculation", m.calculation),
        ("Unit", m.unit),
        ("Who", m.who),
        ("Data sources", ", ".join(m.data_sources)),
        ("Data owner", m.data_owner),
        ("Cadence", m.cadence),
        ("Gaming risk", m.gaming_risk),
        ("Balancing measure", m.balancing_measure),
    ]
    fields += [(name, value) for name, value in (("Baseline", m.baseline), ("Target", m.target)) if value]
    return fields[:MAX_FIELDS]


def measure_head(m: ProposedMeasure) -> str:
    return (
        f"*:straight_ruler: {escape(clip(m.name, 200))}*  _{escape(fit_text(m))} · {m.kind}, {m.direction}_\n"
        f"{escape(clip(m.definition, 1_000))}"
    )


def measure_blocks(m: ProposedMeasure) -> list[Block]:
    """A measure card: name, fit in words, kind and direction, definition, then the library fields."""
    fields = [
        mrkdwn(f"*{name}*\n{escape(clip(value, MAX_CARD_FIELD)) if value else '—'}", MAX_FIELD)
        for name, value in measure_fields(m)
    ]
    notes = [f"Library: `{escape(clip(m.library_id, 100))}`" if m.library_id and not m.drafted else "Drafted"]
    if m.collectability:
        notes.append(escape(clip(m.collectability, MAX_CARD_FIELD)))
    return [{"type": "section", "text": mrkdwn(measure_head(m)), "fields": fields}, context(*notes)]


def citation_text(c: Citation) -> str:
    text = f":books: *{escape(clip(c.label(), 200))}*"
    if c.sources:
        text += " — " + escape(clip("; ".join(c.sources), 400))
    return text


def citation_blocks(citations: list[Citation]) -> list[Block]:
    return [context(*(citation_text(c) for c in citations))] if citations else []


def shown_chains(m: OutcomeMap) -> list[Chain]:
    return [c for c in m.chains if not (c.status == "skipped" and not c.rungs)]


def chain_text(n: int, c: Chain) -> str:
    """One chain of the map as mrkdwn lines: output → rungs → outcome, statement or baseline note."""
    lines = [f"*{n}. {escape(clip(c.outcome or c.origin, 300))}*"]
    if c.origin_label == "output":
        lines.append(f"• *Output:* {escape(c.origin)}" + (f" _(a {escape(c.commitment)})_" if c.commitment else ""))
    lines += [f"• *Leads to:* {escape(r)}" for r in c.rungs]
    lines.append(f"• *Outcome:* {escape(c.outcome)}" if c.outcome else f"• *Outcome:* _not named yet ({c.status})_")
    if c.outcome_statement:
        lines.append(f"• *Outcome statement:* {escape(c.outcome_statement)}")
    else:
        known = [
            f"{k} {escape(v)}" for k, v in (("baseline", c.baseline), ("target", c.target)) if v and v != "unknown"
        ]
        if c.baseline == "unknown":
            lines.append("• *Baseline:* unknown — to be collected")
        elif known:
            lines.append("• *Where it stands:* " + ", ".join(known) + (f" by {escape(c.by_when)}" if c.by_when else ""))
    return clip("\n".join(lines), 3_000)


def chain_measure_text(ms: ProposedMeasure) -> str:
    return (
        f":straight_ruler: *{escape(clip(ms.name, 200))}* · _{ms.kind}, {escape(fit_text(ms))}_ — "
        f"{escape(clip(ms.definition, 400))} · {escape(ms.cadence)} · owner: {escape(clip(ms.data_owner, 200))}"
    )


def map_content(m: OutcomeMap) -> list[Block]:
    """The outcome map as blocks: a header, one section per chain, its measures as context lines."""
    content: list[Block] = [header(m.title)]
    chains = shown_chains(m)
    if not chains:
        content.append(section("_Nothing mapped yet._ Tell me about something your team delivers or a goal."))
    for n, c in enumerate(chains, 1):
        content.append(section(chain_text(n, c)))
        if c.measures:
            content.append(context(*(chain_measure_text(ms) for ms in c.measures)))
    return content


def map_blocks(m: OutcomeMap, more_hint: str = CSV_HINT) -> list[Block]:
    """The outcome map as a message of its own."""
    return fit(map_content(m), [], more_hint=more_hint)


# ----- buttons --------------------------------------------------------------------------------------
def sendable(options: list[str]) -> tuple[list[str], list[str]]:
    """Options that can be buttons (value = the exact text, within Slack's limit), and the rest."""
    fits = [o for o in options if o.strip() and len(o) <= MAX_BUTTON_VALUE]
    as_buttons = fits[:MAX_OPTION_BUTTONS]
    return as_buttons, [o for o in options if o not in as_buttons]


def option_blocks(options: list[str], session_id: str | None = None) -> list[Block]:
    if not options:
        return []
    as_buttons, rest = sendable(options)
    out = [context("Directions others took" + (" — pick one or say it your way:" if as_buttons else ":"))]
    if rest:
        out.append(context(" · ".join(f"“{escape(clip(o, 300))}”" for o in rest)))
    if as_buttons:
        out.append(
            actions(
                block_id(OPTIONS_BLOCK, session_id),
                [button(o, f"{OPTION_ACTION}{i}", o) for i, o in enumerate(as_buttons)],
            )
        )
    return out


def reply_controls(session_id: str | None = None) -> Block:
    """That's the result / Propose measures / Not quite / Summary; each value is the text it sends."""
    elements = [
        button(label, action_id, said, style="primary" if action_id == "coach_accept" else None)
        for action_id, (label, said) in REPLY_ACTIONS.items()
    ]
    return actions(block_id(ACTIONS_BLOCK, session_id), elements)


# ----- whole messages -------------------------------------------------------------------------------
def body_and_question(reply: CoachReply) -> tuple[str, str | None]:
    """The reply's text without its closing question (shown on its own) and without the Markdown copy of
    the map when the map comes as data."""
    text, question = reply.text.strip(), (reply.question or "").strip() or None
    if question and text.endswith(question):
        text = text[: -len(question)].rstrip()
    if reply.map is not None:
        text = remove_block(text, to_markdown(reply.map))
    return text, question


def reply_blocks(
    reply: CoachReply, session_id: str | None = None, buttons: bool = True, more_hint: str | None = None
) -> list[Block]:
    """A coach turn as one message. `session_id` (our own app) goes into the buttons' block ids; `more_hint`
    says where the rest is when a long message is cut."""
    body, question = body_and_question(reply)
    content: list[Block] = []
    content += [section(piece) for piece in chunks(md_to_mrkdwn(body), 3_000)]
    if reply.map is not None:
        content += map_content(reply.map)
    content += [context(statement_text(c)) for c in reply.statements]
    for m in reply.measures:
        content += [divider(), *measure_blocks(m)]
    if reply.measures:
        content.append(divider())
    if reply.queued:
        content.append(context("Still to come: " + "; ".join(f"“{escape(clip(q, 300))}”" for q in reply.queued)))
    content += citation_blocks(reply.citations)
    tail: list[Block] = []
    if question:
        tail.append(section(f":point_right: *{escape(clip(question, 2_000))}*"))
    tail += option_blocks(reply.options, session_id)
    if buttons:
        tail.append(reply_controls(session_id))
    if more_hint is None:
        more_hint = "" if reply.map is not None else MAP_HINT
    return fit(content, tail, more_hint=more_hint)


def reply_fallback(reply: CoachReply) -> str:
    """The notification text of a reply: its words without the Markdown copy of the map."""
    body, question = body_and_question(reply)
    return fallback("\n\n".join(p for p in (body, question) if p) or reply.text)


def summary_blocks(m: OutcomeMap, reply: CoachReply, session_id: str | None = None) -> list[Block]:
    """A "summary" turn: the map as blocks (not the reply's Markdown), then the question it re-asks."""
    return reply_blocks(reply.model_copy(update={"map": m}), session_id, more_hint=CSV_HINT)


def classification_blocks(
    text: str, statements: list[Classification], questions: dict[int, str], note: str = OWN_APP_NOTE
) -> list[Block]:
    """The answer to `/outcome TEXT` (or POST /v1/classify?render=slack): each statement's label, confidence
    and reason, the coach's first question for outputs, and a "Coach me on this" button whose value is the text."""
    content: list[Block] = [section(f"*Here's how I read {'it' if len(statements) == 1 else 'them'}:*")]
    for i, c in enumerate(statements):
        content.append(section(statement_text(c)))
        if i in questions:
            content.append(context(f":speech_balloon: _Coach:_ {escape(questions[i])}"))
    tail: list[Block] = []
    if len(text) <= MAX_BUTTON_VALUE:
        tail.append(actions(START_ACTION, [button(START_LABEL, START_ACTION, text, style="primary")]))
        tail.append(context(note))
    else:
        tail.append(
            context(
                "The text is too long to start coaching from a button — send a shorter version to be coached on it."
            )
        )
    return fit(content, tail)


def classification_fallback(statements: list[Classification]) -> str:
    return fallback("\n".join(f"{c.label} ({percent(c.confidence)}): {c.text}" for c in statements))
