"""App mentions and messages: a coaching conversation in a thread, one coach session per thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from api.slack import blocks
from api.slack.coaching import SlackCoach, is_from_bot, strip_mentions
from coach.templates import render

log = logging.getLogger(__name__)


def message_key(channel: str, ts: str) -> str:
    """The idempotency key of a Slack message: the same for its app_mention and message events and for
    every retried delivery, so the service answers it once."""
    return f"slack:{channel}:{ts}"


def register(app: AsyncApp, service: Any) -> None:
    coach = service if isinstance(service, SlackCoach) else SlackCoach(service)

    async def converse(client: AsyncWebClient, team_id: str, event: dict[str, Any], root: str, text: str) -> None:
        channel = event["channel"]
        sid, created = await coach.open_thread(team_id, channel, root)
        if not text:  # a bare mention: say hello once, when it opens the thread (a retry says nothing)
            if created:
                hello = render("flow.welcome")
                await coach.post(client, channel, root, hello, [blocks.section(blocks.escape(hello))])
            return
        await coach.turn(client, team_id, channel, root, sid, text, message_key(channel, event["ts"]))

    @app.event("app_mention")
    async def on_mention(
        event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        if is_from_bot(event, context.bot_user_id):
            return
        team_id = context.team_id or body.get("team_id", "")
        text = strip_mentions(event.get("text") or "", context.bot_user_id)
        await converse(client, team_id, event, event.get("thread_ts") or event["ts"], text)

    @app.event("message")
    async def on_message(
        event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        if is_from_bot(event, context.bot_user_id):
            return  # bots, this app's own messages, edits and deletions: never answered, so no loops
        team_id = context.team_id or body.get("team_id", "")
        raw = event.get("text") or ""
        text = strip_mentions(raw, context.bot_user_id)
        if event.get("channel_type") == "im":
            await converse(client, team_id, event, event.get("thread_ts") or event["ts"], text)
            return
        thread_ts = event.get("thread_ts")
        if not thread_ts or (context.bot_user_id and f"<@{context.bot_user_id}" in raw):
            return  # not in a thread, or a mention (the app_mention event answers it)
        if await coach.mapped_session(team_id, event["channel"], thread_ts) is None:
            return  # a thread the coach is not part of
        if text:
            await converse(client, team_id, event, thread_ts, text)
