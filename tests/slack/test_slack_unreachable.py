"""Slack's Web API failing in every way (unreachable, slow, 5xx, rate limited) never turns a verified request into
a 500, never delays the acknowledgement past Slack's 3 seconds, and the bot's identity is learnt off the request
path."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_rig import BOT_USER, FakeSlack, drain, new_id, with_slack

from api.slack.settings import SlackSettings

ACK_WITHIN = 3.0  # Slack's rule


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once the socket is closed


@pytest.fixture
def clean_fake(fake_slack: FakeSlack) -> Iterator[FakeSlack]:
    yield fake_slack
    fake_slack.delay.clear()
    fake_slack.http_error.clear()
    fake_slack.fail.clear()


async def timed(send: Any) -> tuple[Any, float]:
    started = time.monotonic()
    r = await send
    return r, time.monotonic() - started


async def test_verified_requests_are_answered_when_slack_cannot_be_reached(
    driver_for: Any, slack_container: Any, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = with_slack(fake_slack).model_copy(update={"api_base_url": f"http://127.0.0.1:{closed_port()}/api/"})
    driver = driver_for(slack_container, slack=unreachable)
    team, channel = new_id("T"), new_id("C")
    with caplog.at_level(logging.WARNING):
        for send in (
            driver.command("We ran 14 workshops", team=team, channel=channel, response_url="http://127.0.0.1:9/r"),
            driver.mention("We ran 14 workshops for team leads", team=team, channel=channel),
            driver.click("coach_start", "We ran 14 workshops", team=team, channel=channel, ephemeral=True),
        ):
            r, seconds = await timed(send)
            assert r.status_code == 200, r.text
            assert seconds < ACK_WITHIN, seconds
        await drain()
    assert not [rec for rec in caplog.records if "unhandled" in rec.getMessage()]
    assert any("auth.test failed" in rec.getMessage() for rec in caplog.records)  # logged, in the background
    await driver.close()


async def test_a_slow_auth_test_does_not_delay_the_acknowledgement(
    driver_for: Any, slack_container: Any, clean_fake: FakeSlack
) -> None:
    clean_fake.delay["auth.test"] = 4.0
    driver = driver_for(slack_container)
    r, seconds = await timed(driver.command("We ran 14 workshops", team=new_id("T"), channel=new_id("C")))
    assert r.status_code == 200 and seconds < ACK_WITHIN, seconds
    await drain()
    await driver.close()


@pytest.mark.parametrize("trouble", [(503, {}), (429, {"Retry-After": "1"}), (500, {})], ids=["503", "429", "500"])
async def test_server_errors_and_rate_limits_never_reach_the_request(
    driver_for: Any, slack_container: Any, clean_fake: FakeSlack, trouble: tuple[int, dict[str, str]]
) -> None:
    for method in ("auth.test", "chat.postMessage", "chat.postEphemeral"):
        clean_fake.http_error[method] = trouble
    driver = driver_for(slack_container)
    team, channel = new_id("T"), new_id("C")
    r, seconds = await timed(driver.mention("We ran 14 workshops for team leads", team=team, channel=channel))
    assert r.status_code == 200 and seconds < ACK_WITHIN
    r, seconds = await timed(driver.command("We ran 14 workshops", team=team, channel=channel))
    assert r.status_code == 200 and seconds < ACK_WITHIN
    await drain()
    posts = clean_fake.find("chat.postMessage", channel=channel)
    assert len(posts) >= 2  # the reply was tried again (slack_sdk's retry handlers), then given up quietly
    await driver.close()


async def test_the_bot_identity_is_learnt_once_in_the_background_and_then_used(
    driver_for: Any, slack_container: Any, clean_fake: FakeSlack
) -> None:
    driver = driver_for(slack_container, slack=SlackSettings(**with_slack(clean_fake).model_dump()))
    team, channel = new_id("T"), new_id("C")
    before = len(clean_fake.find("auth.test"))
    for _ in range(3):
        assert (await driver.command("We ran 14 workshops", team=team, channel=channel)).status_code == 200
    await drain()
    assert len(clean_fake.find("auth.test")) - before == 1
    # Known now: a message from the bot's own user id (no bot_id on it) is never answered.
    r = await driver.message("We ran 14 workshops", team=team, channel=channel, channel_type="im", user=BOT_USER)
    assert r.status_code == 200
    await drain()
    assert driver.posts(channel) == []
    await driver.close()
