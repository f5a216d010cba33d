"""A `CoachReply` or classifications → one Slack-flavoured mrkdwn text, for bots that post plain messages
(`render=markdown`). The same pieces as the Block Kit renderer (api/render/slack.py), laid out as text: no
tables (Slack has none), person-written text escaped, and the question and options always kept at the end.
"""

from __future__ import annotations

from api.render.slack import (
    REPLY_ACTIONS,
    body_and_question,
    chain_measure_text,
    chain_text,
    citation_text,
    measure_fields,
    measure_head,
    shown_chains,
    statement_text,
)
from api.render.text import clip, escape, md_to_mrkdwn
from coach.domain import Classification, CoachReply, OutcomeMap, ProposedMeasure

#: Slack accepts 40,000 characters of message text but folds long ones; the coach's turns stay well under.
MAX_MRKDWN = 12_000


def map_mrkdwn(m: OutcomeMap) -> str:
    chains = shown_chains(m)
    if not chains:
        return f"*{escape(m.title)}*\n_Nothing mapped yet._"
    parts = [f"*{escape(m.title)}*"]
    for n, c in enumerate(chains, 1):
        parts.append(chain_text(n, c) + "".join(f"\n    {chain_measure_text(ms)}" for ms in c.measures))
    return "\n\n".join(parts)


def measure_mrkdwn(m: ProposedMeasure) -> str:
    lines = [measure_head(m)]
    lines += [f"• *{name}:* {escape(clip(value, 600))}" for name, value in measure_fields(m) if value]
    return "\n".join(lines)


def reply_mrkdwn(reply: CoachReply) -> str:
    """The whole turn as one mrkdwn message: the head is clipped if need be, the question never."""
    body, question = body_and_question(reply)
    head: list[str] = []
    if body:
        head.append(md_to_mrkdwn(body))
    if reply.map is not None:
        head.append(map_mrkdwn(reply.map))
    head += [statement_text(c) for c in reply.statements]
    head += [measure_mrkdwn(m) for m in reply.measures]
    if reply.queued:
        head.append("Still to come: " + "; ".join(f"“{escape(clip(q, 300))}”" for q in reply.queued))
    if reply.citations:
        head.append("\n".join(citation_text(c) for c in reply.citations))
    tail: list[str] = []
    if question:
        tail.append(f":point_right: *{escape(clip(question, 2_000))}*")
    if reply.options:
        tail.append("Directions others took: " + " · ".join(f"“{escape(clip(o, 300))}”" for o in reply.options))
    said = [s for _, s in REPLY_ACTIONS.values()]
    tail.append("_You can also say: " + ", ".join(f"“{s}”" for s in said) + "._")
    end = "\n\n".join(tail)
    start = clip("\n\n".join(head), max(200, MAX_MRKDWN - len(end) - 2))
    return f"{start}\n\n{end}" if start else end


def classification_mrkdwn(statements: list[Classification], questions: dict[int, str]) -> str:
    parts = [f"*Here's how I read {'it' if len(statements) == 1 else 'them'}:*"]
    for i, c in enumerate(statements):
        parts.append(
            statement_text(c) + (f"\n:speech_balloon: _Coach:_ {escape(questions[i])}" if i in questions else "")
        )
    return clip("\n\n".join(parts), MAX_MRKDWN)
