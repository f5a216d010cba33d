"""What the listeners share: run one coach turn for a thread and post the reply, post the outcome map.

The service is synchronous, so every call into it goes through `asyncio.to_thread` and never blocks the
event loop that acknowledges Slack's requests.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from api.slack import blocks
from api.slack.threads import Thread, ThreadStore, team_name
from coach.conversation.families import default_who, family
from coach.conversation.wording import quote
from coach.errors import CoachError, SessionNotFound
from coach.templates import render

if TYPE_CHECKING:
    from coach.domain import Classification
    from coach.service import CoachService
    from coach.views import TurnResult

log = logging.getLogger(__name__)

#: Everything that can go wrong reaching Slack's Web API: an error answer (including 429 and, once the retry
#: handlers give up, 5xx), a connection that fails (DNS, refused, reset), a timeout, a body that is not JSON.
SLACK_FAILURES: tuple[type[BaseException], ...] = (
    SlackApiError,
    SlackClientError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
    ValueError,
)

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
# Messages that carry what a person wrote; everything else (edits, deletions, joins, bots) is ignored.
HUMAN_SUBTYPES = {None, "file_share", "thread_broadcast"}


def failure(exc: BaseException) -> str:
    """A Slack failure in a few words, for the log (never the token)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "unknown error"))
    return type(exc).__name__


def strip_mentions(text: str, bot_user_id: str | None = None) -> str:
    """Remove the bot's @-mention (or every mention when the bot's id is unknown) and tidy spaces."""
    mention = re.compile(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>") if bot_user_id else _MENTION
    text = mention.sub(" ", text)
    return unescape(re.sub(r"[ \t]+", " ", text).strip())


def unescape(text: str) -> str:
    """Slack sends &, < and > escaped in message and command text; the coach reads what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def is_from_bot(event: dict[str, Any], bot_user_id: str | None = None) -> bool:
    """True for anything a bot (this app included) wrote, and for message subtypes that are not a person typing."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message":
        return True
    if event.get("subtype") not in HUMAN_SUBTYPES:
        return True
    return bool(bot_user_id and event.get("user") == bot_user_id)


def error_text(exc: CoachError) -> str:
    return f":warning: {blocks.escape(exc.message)}" + (f" {blocks.escape(exc.hint)}" if exc.hint else "")


def first_question(c: Classification) -> str | None:
    """The question the coach opens with for this statement (the same wording as turn 1 of a session)."""
    if c.needs_clarification:
        return render("clarify.ask", 1, text=quote(c.text))
    if c.label != "output":
        return None
    fam = family(c.text)
    return render(f"ladder.first_{fam}", 1, who=default_who(fam))


class SlackCoach:
    """The coach as the Slack listeners see it: the service, the thread map, and the posting of replies."""

    def __init__(self, service: CoachService) -> None:
        self.service = service
        self.threads = ThreadStore(service)

    # ----- service calls, off the event loop ---------------------------------------------------------
    async def classify(self, text: str, team_id: str | None = None) -> list[Classification]:
        """Classified for the Slack workspace's team (its corrections apply), or organisation-wide."""
        team = team_name(team_id) if team_id else None
        return await asyncio.to_thread(self.service.classify, text, True, team)

    async def session_for(self, team_id: str, channel: str, thread_ts: str) -> str:
        sid, _ = await self.open_thread(team_id, channel, thread_ts)
        return sid

    async def open_thread(self, team_id: str, channel: str, thread_ts: str) -> tuple[str, bool]:
        """The thread's session, started on first use: (session id, whether it was just created)."""
        return await asyncio.to_thread(self.threads.get_or_create, team_id, channel, thread_ts)

    async def mapped_session(self, team_id: str, channel: str, thread_ts: str) -> str | None:
        return await asyncio.to_thread(self.threads.session_for, team_id, channel, thread_ts)

    async def latest_thread(self, team_id: str, channel: str) -> Thread | None:
        return await asyncio.to_thread(self.threads.latest, team_id, channel)

    async def thread_of(self, session_id: str) -> Thread | None:
        return await asyncio.to_thread(self.threads.thread_of, session_id)

    # ----- posting ----------------------------------------------------------------------------------
    async def post(
        self,
        client: AsyncWebClient,
        channel: str,
        thread_ts: str | None,
        text: str,
        blocks_: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any] | None:
        try:
            resp = await client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=blocks.fallback(text),
                blocks=blocks_,
                unfurl_links=False,
                unfurl_media=False,
            )
            return resp.data if isinstance(resp.data, dict) else None
        except SLACK_FAILURES as exc:
            log.warning("Slack chat.postMessage failed: %s", failure(exc))
            return None

    async def turn(
        self,
        client: AsyncWebClient,
        team_id: str,
        channel: str,
        thread_ts: str,
        session_id: str,
        text: str,
        client_key: str,
    ) -> TurnResult | None:
        """One coach turn in a thread: the service answers, the reply is posted once (never on a replay)."""
        team = team_name(team_id)
        try:
            result = await asyncio.to_thread(self.service.handle_message, session_id, text, team, client_key, "slack")
        except CoachError as exc:
            await self.post(client, channel, thread_ts, exc.message, [blocks.section(error_text(exc))])
            return None
        if result.replayed:
            log.info("Slack delivery already answered (duplicate or retry); not posting again")
            return result
        if result.reply.map is not None:
            # A summary: Slack gets the map as blocks, plus the SVG and CSV files.
            await self.post(
                client,
                channel,
                thread_ts,
                result.reply.text,
                blocks.summary_blocks(result.map, result.reply, session_id),
            )
            await self.upload_map(client, team_id, channel, thread_ts, session_id)
        else:
            await self.post(
                client, channel, thread_ts, result.reply.text, blocks.reply_blocks(result.reply, session_id)
            )
        return result

    async def post_map(
        self, client: AsyncWebClient, team_id: str, channel: str, thread_ts: str, session_id: str
    ) -> bool:
        """The outcome map as a message in the thread, with the SVG and the CSV attached."""
        try:
            m = await asyncio.to_thread(self.service.session_map, session_id, team_name(team_id))
        except SessionNotFound:
            return False
        md = await asyncio.to_thread(self.service.export_map, session_id, "md", team_name(team_id))
        await self.post(client, channel, thread_ts, md, blocks.map_blocks(m))
        await self.upload_map(client, team_id, channel, thread_ts, session_id)
        return True

    async def upload_map(
        self, client: AsyncWebClient, team_id: str, channel: str, thread_ts: str, session_id: str
    ) -> None:
        team = team_name(team_id)
        svg = await asyncio.to_thread(self.service.export_map, session_id, "svg", team)
        csv = await asyncio.to_thread(self.service.export_map, session_id, "csv", team)
        try:
            await client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                file_uploads=[
                    {"content": svg, "filename": "outcome-map.svg", "title": "Outcome map (SVG)"},
                    {"content": csv, "filename": "outcome-map.csv", "title": "Outcome map (CSV)"},
                ],
            )
        except SLACK_FAILURES as exc:
            error = failure(exc)
            log.warning("Slack file upload failed: %s", error)
            await self.post(
                client,
                channel,
                thread_ts,
                f"I couldn't attach the map files ({error}).",
                [
                    blocks.context(
                        f":warning: I couldn't attach the SVG and CSV files ({error}). "
                        "Check that the app has the files:write scope."
                    )
                ],
            )
