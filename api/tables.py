"""Tables the channels own: API keys (HTTP) and Slack installs. They live in the same database as the
sessions (one migration history, `coach/migrations`), but only `api/` reads or writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coach.adapters.sql import Base, utcnow


class ApiKeyRow(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(128), unique=True)
    team: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="api")  # api | widget | trainer
    origins: Mapped[list[Any]] = mapped_column(JSON, default=list)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class SlackInstallRow(Base):
    __tablename__ = "slack_installs"
    team_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    bot_token: Mapped[str] = mapped_column(Text)
    bot_user_id: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
