"""The Bolt `AsyncApp`: request verification with the signing secret, a per-team `authorize`, the listeners.

No network at construction: with an `authorize` function Bolt makes no `auth.test` call at start-up. The
bot's own ids (to ignore its own messages) are learnt from `auth.test` on the first request per token and
cached.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from api.slack import listeners
from api.slack.settings import SlackSettings
from api.tables import SlackInstallRow
from coach.adapters.sql import Database

if TYPE_CHECKING:
    from api.container import Container

log = logging.getLogger(__name__)

Authorize = Callable[..., Awaitable[AuthorizeResult]]


def api_base_url(settings: SlackSettings) -> str:
    url = settings.api_base_url or AsyncWebClient.BASE_URL
    return url if url.endswith("/") else url + "/"


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def installed_token(db: Database, team_id: str | None) -> tuple[str, str] | None:
    """(bot token, bot user id) stored for a workspace in `slack_installs`, if any."""
    if not team_id:
        return None
    with db.tx() as s:
        row = s.scalars(select(SlackInstallRow).where(SlackInstallRow.team_id == team_id)).first()
        return (row.bot_token, row.bot_user_id or "") if row else None


def make_authorize(settings: SlackSettings, db: Database) -> Authorize:
    """Bot token per team from `slack_installs`, else the single-workspace token from settings."""
    default_token = _secret(settings.bot_token)
    identities: dict[str, tuple[str | None, str | None]] = {}  # sha256(token) → (bot_user_id, bot_id)

    async def identity(client: AsyncWebClient, token: str) -> tuple[str | None, str | None]:
        key = hashlib.sha256(token.encode()).hexdigest()
        if key not in identities:
            try:
                resp = await client.auth_test(token=token)
                identities[key] = (resp.get("user_id"), resp.get("bot_id"))
            except SlackApiError as exc:
                log.warning(
                    "Slack auth.test failed (%s); the bot's own messages are recognised by bot_id only",
                    exc.response.get("error", "unknown error"),
                )
                return None, None
        return identities[key]

    async def authorize(enterprise_id: str | None, team_id: str | None, client: AsyncWebClient) -> AuthorizeResult:
        stored = await asyncio.to_thread(installed_token, db, team_id)
        token, bot_user_id = stored if stored else (default_token, "")
        user_id, bot_id = await identity(client, token)
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=token,
            bot_user_id=bot_user_id or user_id,
            bot_id=bot_id,
        )

    return authorize


def build_app(settings: SlackSettings, container: Container) -> AsyncApp:
    """The Slack app over the container's service. Needs signing_secret and bot_token (see `api.slack.mount`)."""
    app = AsyncApp(
        name="outcome-coach",
        signing_secret=_secret(settings.signing_secret),
        authorize=make_authorize(settings, container.db),
        client=AsyncWebClient(base_url=api_base_url(settings)),
        process_before_response=False,  # ack first (Slack's 3 s rule), then do the work
        logger=logging.getLogger("api.slack.bolt"),
    )
    listeners.register(app, container.service)
    return app
