"""Fixtures for the HTTP API tests.

`api_service` is the same thing as the suite's `fake_service` (HashEmbedder, ingested), built once per session
so ~40 API tests do not each pay the ~7 s of ingest + classifier training. Tests isolate themselves by team
(every key and session belongs to a fresh team) instead of by database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from apikit import LOCAL
from fastapi.testclient import TestClient

from api.app import create_app
from coach.config import ApiSettings, EmbeddingSettings, LLMSettings, Settings


def hermetic_settings(data_dir: Path, **api: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        database_url=None,
        chroma_url=None,
        extra_knowledge=[],
        llm=LLMSettings(),
        embedding=EmbeddingSettings(backend="hash"),
        api=ApiSettings(**api),
    )


@pytest.fixture(scope="session")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return hermetic_settings(tmp_path_factory.mktemp("coach-api"))


@pytest.fixture(scope="session")
def api_container(api_settings: Settings) -> Any:
    from api.container import build

    c = build(api_settings)
    c.service.ingest()
    c.service.warm()
    return c


@pytest.fixture(scope="session")
def api_service(api_container: Any) -> Any:
    return api_container.service


@pytest.fixture
def make_client(api_container: Any, api_settings: Settings) -> Iterator[Callable[..., TestClient]]:
    """make_client(client=LOCAL, **api_overrides) → a TestClient over a fresh app on the shared service."""
    made: list[TestClient] = []

    def make(client: tuple[str, int] = LOCAL, **api: Any) -> TestClient:
        settings = api_settings.model_copy(update={"api": api_settings.api.model_copy(update=api)})
        c = TestClient(create_app(settings, container=api_container), client=client)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """Local dev mode: no key needed, the caller is team 'local'."""
    return make_client()


@pytest.fixture
def team() -> str:
    return f"team-{uuid.uuid4().hex[:8]}"
