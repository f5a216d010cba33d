"""Slack test rig: a fake Slack Web API on loopback (real HTTP), signed requests, and the app under test.

- `fake_slack`: an aiohttp server in its own thread answering like Slack and recording every call
  (chat.postMessage, chat.postEphemeral, auth.test, files.getUploadURLExternal / the upload / files.
  completeUploadExternal, and response_url posts). slack_sdk's base_url points at it.
- `slack_container` / `slack_service`: one HashEmbedder container for the whole module set (fast); tests
  keep apart by using their own team / channel ids.
- `slack`: a `SlackDriver` over the FastAPI app built by `create_app` with Slack mounted, signing every
  request with the test signing secret.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_rig import FakeSlack, SlackDriver, drain, make_app, with_service, with_slack

from api.slack.settings import SlackSettings


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def slack_container(tmp_path_factory: pytest.TempPathFactory, hash_container_factory: Any) -> Any:
    """One fast HashEmbedder service, ingested once, shared by the Slack tests (each uses its own channel)."""
    return hash_container_factory(tmp_path_factory.mktemp("slack-coach"))


@pytest.fixture(scope="session")
def slack_service(slack_container: Any) -> Any:
    return slack_container.service


@pytest.fixture
async def slack(fake_slack: FakeSlack, slack_container: Any) -> Any:
    driver = SlackDriver(make_app(slack_container, with_slack(fake_slack)), fake_slack, slack_container)
    yield driver
    await drain()
    await driver.close()


@pytest.fixture
def driver_for(fake_slack: FakeSlack) -> Callable[..., SlackDriver]:
    """Build a driver over another container or service (slow service, real model, other settings)."""

    def build(container: Any, service: Any = None, slack: SlackSettings | None = None) -> SlackDriver:
        target = with_service(container, service) if service is not None else container
        return SlackDriver(make_app(target, slack or with_slack(fake_slack)), fake_slack, target)

    return build
