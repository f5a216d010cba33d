"""The Bolt `AsyncApp`: request verification with the signing secret, a per-team `authorize`, the listeners.

No network at construction, and none on a request's path before it is acknowledged: with an `authorize` function
Bolt makes no `auth.test` call at start-up, and the bot's own ids (to ignore its own messages) are learnt from
`auth.test` in a background task per token (`BotIdentity`), retried after a failure. Any failure to reach Slack
(DNS, refused connection, timeout, 5xx, rate limit) is logged and never turns a verified request into a 500.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler, AsyncServerErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from api.slack import listeners
from api.slack.coaching import SLACK_FAILURES, failure
from api.slack.settings import SlackSettings
from api.tables import SlackInstallRow
from coach.adapters.sql import Database

if TYPE_CHECKING:
    from api.container import Container

log = logging.getLogger(__name__)

Authorize = Callable[..., Awaitable[AuthorizeResult]]
WEB_API_TIMEOUT = 10  # seconds per Web API call (slack_sdk's default is 30)


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


class BotIdentity:
    """The bot's own user id and bot id per token, learnt from `auth.test` in the background.

    Never on a request's path: `authorize` runs before Slack's request is acknowledged, and a slow or
    unreachable Web API there would break Slack's 3-second rule or turn a verified request into a 500. Until the
    identity is known, the bot's own messages are still recognised by their `bot_id` / `bot_profile`."""

    def __init__(self, retry_after: float = 60.0, timeout: float = 5.0) -> None:
        self.retry_after = retry_after
        self.timeout = timeout
        self._known: dict[str, tuple[str | None, str | None]] = {}  # sha256(token) → (bot_user_id, bot_id)
        self._next_try: dict[str, float] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def get(self, client: AsyncWebClient, token: str) -> tuple[str | None, str | None]:
        """The identity if known; otherwise (None, None) now, and a background `auth.test` to learn it."""
        key = self._key(token)
        if key in self._known:
            return self._known[key]
        now = time.monotonic()
        if self._next_try.get(key, 0.0) <= now and token:
            self._next_try[key] = now + self.retry_after
            task = asyncio.get_running_loop().create_task(self._learn(client, token, key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return None, None

    async def _learn(self, client: AsyncWebClient, token: str, key: str) -> None:
        try:
            resp = await asyncio.wait_for(client.auth_test(token=token), self.timeout)
            self._known[key] = (resp.get("user_id"), resp.get("bot_id"))
        except SLACK_FAILURES as exc:
            reason = failure(exc)
            log.warning(
                "Slack auth.test failed (%s); trying again in %.0f s. Meanwhile the bot's own messages are "
                "recognised by bot_id.",
                reason,
                self.retry_after,
            )


def make_authorize(settings: SlackSettings, db: Database, identity: BotIdentity | None = None) -> Authorize:
    """Bot token per team from `slack_installs`, else the single-workspace token from settings. Makes no call
    to Slack: the bot's identity comes from `BotIdentity`, learnt off the request path."""
    default_token = _secret(settings.bot_token)
    identities = identity or BotIdentity()

    async def authorize(enterprise_id: str | None, team_id: str | None, client: AsyncWebClient) -> AuthorizeResult:
        stored = await asyncio.to_thread(installed_token, db, team_id)
        token, bot_user_id = stored if stored else (default_token, "")
        user_id, bot_id = identities.get(client, token)
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=token,
            bot_user_id=bot_user_id or user_id,
            bot_id=bot_id,
        )

    return authorize


def web_client(settings: SlackSettings) -> AsyncWebClient:
    """The Web API client: a bounded timeout, and slack_sdk's own retries for rate limits (429, honouring
    Retry-After), server errors (5xx) and dropped connections. The work runs after the acknowledgement, so a
    retry never delays Slack's 3-second answer."""
    client = AsyncWebClient(base_url=api_base_url(settings), timeout=WEB_API_TIMEOUT)
    client.retry_handlers.extend(
        [
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ]
    )
    return client


def build_app(settings: SlackSettings, container: Container) -> AsyncApp:
    """The Slack app over the container's service. Needs signing_secret and bot_token (see `api.slack.mount`)."""
    app = AsyncApp(
        name="outcome-coach",
        signing_secret=_secret(settings.signing_secret),
        authorize=make_authorize(settings, container.db),
        client=web_client(settings),
        process_before_response=False,  # ack first (Slack's 3 s rule), then do the work
        logger=logging.getLogger("api.slack.bolt"),
    )
    listeners.register(app, container.service)
    return app
