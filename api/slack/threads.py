"""Slack thread (team, channel, thread ts) ↔ coach session, through the service's external-thread mapping.

A Slack thread's external id is `slack:<team_id>:<channel>:<thread_ts>`, owned by the coach team of the
workspace (`slack:<team_id>`). Because the mapping lives in the session store, every reply in a thread
continues the same session across restarts and workers. Methods are synchronous; Slack listeners call them
through `asyncio.to_thread`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from coach.ports import ThreadRecord
    from coach.service import CoachService

log = logging.getLogger(__name__)

TEAM_PREFIX = "slack:"


def team_name(team_id: str | None) -> str:
    """The coach team that owns a Slack workspace's sessions."""
    return f"{TEAM_PREFIX}{team_id or 'unknown'}"


def external_id(team_id: str, channel: str, thread_ts: str) -> str:
    return f"{TEAM_PREFIX}{team_id}:{channel}:{thread_ts}"


class Thread(NamedTuple):
    team_id: str
    channel: str
    thread_ts: str
    session_id: str


def _thread(rec: ThreadRecord | None) -> Thread | None:
    if rec is None:
        return None
    _, team_id, channel, thread_ts = rec.external_id.split(":", 3)
    return Thread(team_id, channel, thread_ts, rec.session_id)


class ThreadStore:
    """The thread ↔ session map. Sessions are started through the service, never behind its back."""

    def __init__(self, service: CoachService) -> None:
        self.service = service

    def session_for(self, team_id: str, channel: str, thread_ts: str) -> str | None:
        rec = self.service.find_thread(team_name(team_id), external_id(team_id, channel, thread_ts))
        return rec.session_id if rec else None

    def get_or_create(self, team_id: str, channel: str, thread_ts: str) -> tuple[str, bool]:
        """The thread's session id, starting a session on the first message. Returns (session_id, created)."""
        rec, created = self.service.session_for_thread(team_name(team_id), external_id(team_id, channel, thread_ts))
        if created:
            log.info("Slack thread mapped to a new coach session (team %s, channel %s)", team_id, channel)
        return rec.session_id, created

    def thread_of(self, session_id: str) -> Thread | None:
        return _thread(self.service.thread_of(session_id))

    def latest(self, team_id: str, channel: str) -> Thread | None:
        """The most recently active coaching thread in a channel (slash commands can't run inside threads)."""
        return _thread(self.service.latest_thread(team_name(team_id), f"{TEAM_PREFIX}{team_id}:{channel}:"))
