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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.config import EmbeddingSettings, LLMSettings, Settings

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


def build_hash_service(data_dir: Path) -> Any:
    """A CoachService over the HashEmbedder in `data_dir`, ingested (no model, about 2 s)."""
    from api.container import build

    svc = build(make_settings(data_dir, embedding=EmbeddingSettings(backend="hash")))
    svc.ingest()
    return svc


@pytest.fixture(scope="session")
def hash_service_factory() -> Any:
    """`factory(data_dir)` → an ingested HashEmbedder service; for module- or session-scoped fixtures."""
    return build_hash_service


@pytest.fixture
def hash_settings(tmp_path: Path) -> Settings:
    """Settings with the fast HashEmbedder, a fresh data dir and the real knowledge base."""
    return make_settings(tmp_path, embedding=EmbeddingSettings(backend="hash"))


@pytest.fixture
def fake_service(hash_settings: Settings) -> Any:
    """A CoachService over the HashEmbedder, ingested (no model, about 2 s)."""
    from api.container import build

    svc = build(hash_settings)
    svc.ingest()
    return svc


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with the real packaged model and embedded Chroma in a session-wide data dir."""
    return make_settings(tmp_path_factory.mktemp("coach-real"))


@pytest.fixture(scope="session")
def real_service(real_settings: Settings) -> Any:
    """The real model + embedded Chroma, ingested once per session and warmed. Use with @pytest.mark.integration."""
    from api.container import build

    svc = build(real_settings)
    svc.ingest()
    svc.warm()
    return svc


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
