"""Slack test rig: a fake Slack Web API on loopback (real HTTP), signed requests, and the app under test.

- `fake_slack`: an aiohttp server in its own thread answering like Slack and recording every call
  (chat.postMessage, chat.postEphemeral, auth.test, files.getUploadURLExternal / the upload / files.
  completeUploadExternal, and response_url posts). slack_sdk's base_url points at it.
- `slack_service`: one HashEmbedder service for the whole module set (fast); tests keep apart by using
  their own team / channel ids.
- `slack`: a `SlackDriver` over the FastAPI app built by `create_app` with Slack mounted, signing every
  request with the test signing secret.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_rig import FakeSlack, SlackDriver, drain, make_app, with_slack

from coach.config import Settings


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def slack_service(tmp_path_factory: pytest.TempPathFactory, hash_service_factory: Any) -> Any:
    """One fast HashEmbedder service, ingested once, shared by the Slack tests (each uses its own channel)."""
    return hash_service_factory(tmp_path_factory.mktemp("slack-coach"))


@pytest.fixture
async def slack(fake_slack: FakeSlack, slack_service: Any) -> Any:
    settings = with_slack(slack_service.settings, fake_slack)
    driver = SlackDriver(make_app(settings, slack_service), fake_slack, slack_service)
    yield driver
    await drain()
    await driver.close()


@pytest.fixture
def driver_for(fake_slack: FakeSlack) -> Callable[..., SlackDriver]:
    """Build a driver over another service or settings (slow service, real model, missing settings)."""

    def build(service: Any, settings: Settings | None = None) -> SlackDriver:
        s = settings or with_slack(service.settings, fake_slack)
        return SlackDriver(make_app(s, service), fake_slack, service)

    return build
