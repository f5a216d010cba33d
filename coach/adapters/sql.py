"""SQL persistence (SQLAlchemy 2): SQLite in the data dir by default, PostgreSQL by URL. Schema via Alembic."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from coach.adapters.schema_head import MIGRATIONS, head_revision

log = logging.getLogger(__name__)
MIGRATION_LOCK_ID = 0x0C0AC4  # pg_advisory_lock key: one migration at a time per database


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class WorkshopRow(Base):
    __tablename__ = "workshops"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    team: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="live", server_default="live")  # waiting|live|closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team: Mapped[str] = mapped_column(String(100), index=True, default="local")
    mode: Mapped[str] = mapped_column(String(20), default="coach")
    workshop_code: Mapped[str | None] = mapped_column(String(16), index=True, nullable=True)
    participant: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic concurrency: bumped on every save
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TurnRow(Base):
    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_turn_seq"),
        UniqueConstraint("session_id", "client_key", name="uq_turn_client_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    client_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)  # sha256 of the message it answers
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StatementRow(Base):
    __tablename__ = "statements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    turn_seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float)
    needs_clarification: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChainRow(Base):
    __tablename__ = "chains"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CorrectionRow(Base):
    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str] = mapped_column(Text, index=True)
    label: Mapped[str] = mapped_column(String(10))
    team: Mapped[str] = mapped_column(String(100), default="local", index=True)
    source: Mapped[str] = mapped_column(String(20), default="cli")
    session_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | promoted | reverted
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the status last changed (promoted, reverted), and by whom: the review trail.
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    changed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class ExternalThreadRow(Base):
    """A channel's own conversation id (a Slack thread, a bot's chosen id) bound to one session of a team."""

    __tablename__ = "external_threads"
    __table_args__ = (UniqueConstraint("team", "external_id", name="uq_external_thread"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(300))
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KnowledgeGapRow(Base):
    """A question that scored below the knowledge answers' relevance floor (one row per time it was asked)."""

    __tablename__ = "knowledge_gaps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(String(100), index=True, default="local")
    question: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str] = mapped_column(String(500), index=True)
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Database:
    """Engine + session factory. `migrate()` brings the schema to head with Alembic."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"future": True}
        if self.is_sqlite:
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=5)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            self._sqlite_pragmas(self.engine)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        # Read-only units of work: on SQLite a deferred BEGIN (a WAL snapshot, no write lock); elsewhere the same.
        self.ReadSession = sessionmaker(self.engine.execution_options(coach_read_only=True), expire_on_commit=False)

    @staticmethod
    def _sqlite_pragmas(engine: Engine) -> None:
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # Writers serialise at BEGIN (short transactions: a turn does its slow work before it writes);
            # a read-only unit of work reads a WAL snapshot and never waits for them.
            read_only = conn.get_execution_options().get("coach_read_only", False)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    def migrate(self) -> None:
        """Bring the schema to head, once: processes starting together (workers, servers) take turns, and
        the ones that come after find it at head and do nothing."""
        if self.at_head():
            return  # nothing to do: skip importing Alembic (a CLI command then starts in a fraction of a second)
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self._migration_lock():
            if self.at_head():
                return
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """PostgreSQL: a session advisory lock (any host); SQLite: a file lock beside the database file."""
        if self.is_sqlite:
            path = self.url.split("///", 1)[-1]
            if not path or path == ":memory:":
                yield
                return
            from coach.once import exclusive

            with exclusive(Path(path).with_name(Path(path).name + ".migrate")):
                yield
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK_ID})")
            conn.commit()
            try:
                yield
            finally:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_ID})")
                conn.commit()

    def at_head(self) -> bool:
        """True when the database's Alembic revision is the newest migration file's (read without Alembic)."""
        try:
            with self.engine.connect() as conn:
                current = {r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}
        except Exception:  # no table yet, or no database: let Alembic create it
            return False
        return current == {head_revision()}

    @contextmanager
    def tx(self, write: bool = True) -> Iterator[Session]:
        """A transaction; `write=False` for one that only reads (it takes no write lock on SQLite)."""
        with self.Session() if write else self.ReadSession() as s, s.begin():
            yield s

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True

    def dispose(self) -> None:
        self.engine.dispose()
