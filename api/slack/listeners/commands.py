"""`/outcome TEXT` (classify, ephemerally) and `/outcome summary` (the channel's outcome map)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from api.slack import blocks
from api.slack.coaching import SlackCoach, error_text, first_question, unescape
from coach.errors import CoachError

log = logging.getLogger(__name__)

COMMAND = "/outcome"
USAGE = (
    "*How to use* `/outcome`\n"
    "• `/outcome We ran 14 workshops this quarter` — I tell you which statements are outputs and which are "
    "outcomes, and why.\n"
    "• `/outcome summary` — the outcome map of the latest coaching thread in this channel.\n"
    "• Mention me (or DM me) to be coached in a thread, one question at a time."
)


async def reply_ephemeral(
    respond: AsyncRespond | None,
    client: AsyncWebClient,
    command: dict[str, Any],
    text: str,
    blocks_: list[dict[str, Any]] | None = None,
) -> None:
    """An answer only the person who typed the command sees: via response_url, else chat.postEphemeral."""
    if respond is not None and command.get("response_url"):
        await respond(text=blocks.fallback(text), blocks=blocks_, response_type="ephemeral")
    else:
        await client.chat_postEphemeral(
            channel=command["channel_id"], user=command["user_id"], text=blocks.fallback(text), blocks=blocks_
        )


def register(app: AsyncApp, service: Any) -> None:
    coach = service if isinstance(service, SlackCoach) else SlackCoach(service)

    @app.command(COMMAND)
    async def outcome_command(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()  # within Slack's 3 seconds; the work below runs after the acknowledgement
        text = unescape(command.get("text") or "").strip()
        if not text or text.lower() in ("help", "?"):
            await reply_ephemeral(respond, client, command, USAGE, [blocks.section(USAGE)])
            return
        if text.lower() in ("summary", "map", "outcome map"):
            await summary(command, respond, client)
            return
        try:
            found = await coach.classify(text, command.get("team_id") or None)
        except CoachError as exc:
            await reply_ephemeral(respond, client, command, exc.message, [blocks.section(error_text(exc))])
            return
        questions = {i: q for i, c in enumerate(found) if (q := first_question(c))}
        await reply_ephemeral(
            respond,
            client,
            command,
            blocks.classification_fallback(found),
            blocks.classification_blocks(text, found, questions),
        )

    async def summary(command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient) -> None:
        team_id, channel = command.get("team_id", ""), command.get("channel_id", "")
        thread_ts = command.get("thread_ts")
        if thread_ts:
            sid = await coach.mapped_session(team_id, channel, thread_ts)
            thread = (thread_ts, sid) if sid else None
        else:
            latest = await coach.latest_thread(team_id, channel)
            thread = (latest.thread_ts, latest.session_id) if latest else None
        if thread is None:
            msg = (
                "There's no coaching thread in this channel yet. Mention me with something your team "
                "delivers, or use `/outcome TEXT` and press “Coach me on this”."
            )
            await reply_ephemeral(respond, client, command, msg, [blocks.section(msg)])
            return
        ok = await coach.post_map(client, team_id, channel, thread[0], thread[1])
        msg = (
            "I posted the outcome map, with the SVG and CSV, in the coaching thread."
            if ok
            else "I couldn't find that coaching session any more."
        )
        await reply_ephemeral(respond, client, command, msg, [blocks.section(msg)])
