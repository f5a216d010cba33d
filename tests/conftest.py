"""Shared fixtures for the whole test suite.

- ``hash_settings`` / ``fake_service``: the deterministic HashEmbedder (no model, fast), a fresh data dir per test.
- ``real_settings`` / ``real_service``: the real packaged sentence-transformers model and embedded Chroma,
  ingested once per test session (mark tests that use them ``@pytest.mark.integration``).
- ``pg_url``: a reachable PostgreSQL from ``COACH_TEST_DATABASE_URL``, or a visible skip.
- A session-wide socket guard: nothing may connect outside loopback (127.0.0.0/8, ::1) or a unix socket.
"""

from __future__ import annotations

import os

# Offline, before anything imports huggingface / chromadb.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

import ipaddress
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.config import EmbeddingSettings, LLMSettings, Settings

sys.path.insert(0, str(Path(__file__).parent))  # shared test helpers (dialogue.py)

# ----- network guard ---------------------------------------------------------------------------------


class NetworkBlocked(RuntimeError):
    """Raised when code under test tries to reach an address outside loopback."""


#: Every refused attempt, so a test can prove that nothing even tried to reach the network.
BLOCKED_ATTEMPTS: list[str] = []

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_loopback_host(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").split("%", 1)[0]
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False  # a host name other than localhost: would need DNS and the network
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _check(family: Any, address: Any) -> None:
    if family == getattr(socket, "AF_UNIX", object()) or isinstance(address, str | bytes):
        return  # unix socket
    if family not in (socket.AF_INET, socket.AF_INET6):
        return  # netlink and friends never leave the machine
    host = address[0] if isinstance(address, tuple) and address else address
    if not is_loopback_host(host):
        where = f"{host}:{address[1]}" if isinstance(address, tuple) and len(address) > 1 else str(host)
        BLOCKED_ATTEMPTS.append(where)
        raise NetworkBlocked(
            f"Network access blocked by the test suite: attempted connection to {where}. "
            "Tests may only talk to 127.0.0.0/8, ::1 or unix sockets."
        )


@pytest.fixture(scope="session", autouse=True)
def socket_guard() -> Iterator[list[str]]:
    """Forbid connections to anything but loopback and unix sockets, for the whole session."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        _check(self.family, address)
        return real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        _check(self.family, address)
        return real_connect_ex(self, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        host = address[0] if isinstance(address, tuple) else address
        if not is_loopback_host(host):
            where = f"{host}:{address[1]}" if isinstance(address, tuple) and len(address) > 1 else str(host)
            BLOCKED_ATTEMPTS.append(where)
            raise NetworkBlocked(
                f"Network access blocked by the test suite: attempted connection to {where}. "
                "Tests may only talk to 127.0.0.0/8, ::1 or unix sockets."
            )
        return real_create_connection(address, *args, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", guarded_connect)
    mp.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    mp.setattr(socket, "create_connection", guarded_create_connection)
    try:
        yield BLOCKED_ATTEMPTS
    finally:
        mp.undo()


# ----- settings and services -------------------------------------------------------------------------


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Hermetic settings: ignore the developer's .env and COACH_* variables for what matters to tests."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": None,
        "chroma_url": None,
        "extra_knowledge": [],
        "llm": LLMSettings(),
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def build_hash_container(data_dir: Path) -> Any:
    """A Container over the HashEmbedder in `data_dir`, ingested (no model, about 2 s)."""
    from api.container import build

    c = build(make_settings(data_dir, embedding=EmbeddingSettings(backend="hash")))
    c.service.ingest()
    return c


def build_hash_service(data_dir: Path) -> Any:
    """A CoachService over the HashEmbedder in `data_dir`, ingested (no model, about 2 s)."""
    return build_hash_container(data_dir).service


@pytest.fixture(scope="session")
def hash_service_factory() -> Any:
    """`factory(data_dir)` → an ingested HashEmbedder service; for module- or session-scoped fixtures."""
    return build_hash_service


@pytest.fixture(scope="session")
def hash_container_factory() -> Any:
    """`factory(data_dir)` → an ingested HashEmbedder container (service, database, keys)."""
    return build_hash_container


@pytest.fixture
def hash_settings(tmp_path: Path) -> Settings:
    """Settings with the fast HashEmbedder, a fresh data dir and the real knowledge base."""
    return make_settings(tmp_path, embedding=EmbeddingSettings(backend="hash"))


@pytest.fixture
def fake_container(hash_settings: Settings) -> Any:
    """A Container over the HashEmbedder, ingested (no model, about 2 s)."""
    from api.container import build

    c = build(hash_settings)
    c.service.ingest()
    return c


@pytest.fixture
def fake_service(fake_container: Any) -> Any:
    """A CoachService over the HashEmbedder, real Chroma and SQLite, ingested (no model, about 2 s)."""
    return fake_container.service


@pytest.fixture(scope="session")
def memory_index() -> Any:
    """The real knowledge base in the in-memory index over the HashEmbedder (shared, read-only)."""
    from coach.adapters.fakes import HashEmbedder, InMemoryIndex
    from coach.config import DEFAULT_KNOWLEDGE
    from coach.ingest import ingest

    index = InMemoryIndex(HashEmbedder())
    ingest(index, [DEFAULT_KNOWLEDGE], core_root=DEFAULT_KNOWLEDGE)
    return index


@pytest.fixture(scope="session")
def memory_service_factory(memory_index: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`factory(**ports)` → a CoachService over in-memory fakes only: no model, no Chroma, no SQL."""
    from coach.adapters.fakes import InMemoryCorrections, InMemorySessionStore, InMemorySourceRegistry
    from coach.service import CoachService

    settings = make_settings(tmp_path_factory.mktemp("memory"), embedding=EmbeddingSettings(backend="hash"))

    def factory(**ports: Any) -> Any:
        store = InMemorySessionStore()
        return CoachService(
            settings, memory_index, store, InMemoryCorrections(store), InMemorySourceRegistry(), **ports
        )

    return factory


@pytest.fixture
def memory_service(memory_service_factory: Any) -> Any:
    """A CoachService over in-memory fakes (fresh sessions; the shared in-memory knowledge index)."""
    return memory_service_factory()


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with the real packaged model and embedded Chroma in a session-wide data dir."""
    return make_settings(tmp_path_factory.mktemp("coach-real"))


@pytest.fixture(scope="session")
def real_container(real_settings: Settings) -> Any:
    """The real model + embedded Chroma, ingested once per session and warmed. Use with @pytest.mark.integration."""
    from api.container import build

    c = build(real_settings)
    c.service.ingest()
    c.service.warm()
    return c


@pytest.fixture(scope="session")
def real_service(real_container: Any) -> Any:
    return real_container.service


# ----- PostgreSQL ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_url() -> str:
    """COACH_TEST_DATABASE_URL if it points at a reachable PostgreSQL on this machine; otherwise skip."""
    url = os.environ.get("COACH_TEST_DATABASE_URL", "").strip()
    if not url:
        pytest.skip("COACH_TEST_DATABASE_URL not set / PostgreSQL unreachable: the variable is not set")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception as exc:
        pytest.skip(f"COACH_TEST_DATABASE_URL not set / PostgreSQL unreachable: cannot parse the URL ({exc})")
    host = parsed.host or parsed.query.get("host") or ""
    if isinstance(host, tuple):
        host = host[0]
    # libpq opens its own sockets, outside the Python socket guard: enforce the loopback rule here.
    if host and not str(host).startswith("/") and not is_loopback_host(str(host)):
        pytest.skip(
            f"COACH_TEST_DATABASE_URL not set / PostgreSQL unreachable: host {host!r} is not loopback "
            "and the test suite never reaches the network"
        )
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else ""
        pytest.skip(f"COACH_TEST_DATABASE_URL not set / PostgreSQL unreachable: {type(exc).__name__}: {first}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="module")
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """A PostgreSQL URL on a schema of its own (created now, dropped after the module): no test sees another's."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"coach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
