"""Slack thread (team, channel, thread ts) ↔ coach session, kept in SQL (`slack_threads`).

Because the mapping lives in the database, every reply in a thread continues the same session across
restarts and across workers. Methods are synchronous (SQLAlchemy); Slack listeners call them through
`asyncio.to_thread`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coach.adapters.sql import SessionRow, SlackThreadRow

if TYPE_CHECKING:
    from coach.service import CoachService

log = logging.getLogger(__name__)

TEAM_PREFIX = "slack:"


def team_name(team_id: str | None) -> str:
    """The coach team that owns a Slack workspace's sessions."""
    return f"{TEAM_PREFIX}{team_id or 'unknown'}"


class Thread(NamedTuple):
    team_id: str
    channel: str
    thread_ts: str
    session_id: str


class ThreadStore:
    """The thread ↔ session map. Sessions are started through the service, never behind its back."""

    def __init__(self, service: CoachService) -> None:
        self.service = service
        self.db = service.db

    def session_for(self, team_id: str, channel: str, thread_ts: str) -> str | None:
        with self.db.tx() as s:
            return s.scalar(
                select(SlackThreadRow.session_id).where(
                    SlackThreadRow.team_id == team_id,
                    SlackThreadRow.channel == channel,
                    SlackThreadRow.thread_ts == thread_ts,
                )
            )

    def get_or_create(self, team_id: str, channel: str, thread_ts: str) -> tuple[str, bool]:
        """The thread's session id, starting a session on the first message. Returns (session_id, created)."""
        existing = self.session_for(team_id, channel, thread_ts)
        if existing:
            return existing, False
        view = self.service.start_session(mode="coach", team=team_name(team_id))
        try:
            with self.db.tx() as s:
                s.add(SlackThreadRow(team_id=team_id, channel=channel, thread_ts=thread_ts, session_id=view.id))
        except IntegrityError:
            # Another worker (or a retried delivery) mapped the thread first: use its session, drop ours.
            self.service.delete_session(view.id, team_name(team_id))
            winner = self.session_for(team_id, channel, thread_ts)
            if winner is None:  # pragma: no cover - the row that beat us was deleted in between
                raise
            return winner, False
        log.info("Slack thread mapped to a new coach session (team %s, channel %s)", team_id, channel)
        return view.id, True

    def thread_of(self, session_id: str) -> Thread | None:
        with self.db.tx() as s:
            row = s.scalars(select(SlackThreadRow).where(SlackThreadRow.session_id == session_id)).first()
            return Thread(row.team_id, row.channel, row.thread_ts, row.session_id) if row else None

    def latest(self, team_id: str, channel: str) -> Thread | None:
        """The most recently active coaching thread in a channel (slash commands can't run inside threads)."""
        with self.db.tx() as s:
            row = s.execute(
                select(SlackThreadRow)
                .join(SessionRow, SessionRow.id == SlackThreadRow.session_id)
                .where(SlackThreadRow.team_id == team_id, SlackThreadRow.channel == channel)
                .order_by(SessionRow.updated_at.desc(), SlackThreadRow.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            return Thread(row.team_id, row.channel, row.thread_ts, row.session_id) if row else None
