"""The API answers as its OpenAPI document says: schemathesis generates requests for every operation (valid and
invalid) and checks every response against the document — status codes, content types, headers and bodies."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from api.app import create_app

EXAMPLES = 25  # per operation; every operation is exercised, failures are shrunk to the smallest request


@pytest.fixture(scope="module")
def api_app(api_container: Any, api_settings: Any) -> Any:
    quiet = api_settings.model_copy(update={"api": api_settings.api.model_copy(update={"rate_limit_per_minute": 0})})
    app = create_app(quiet, container=api_container)
    app.state.sse_poll_seconds = 0.05  # the workshop event stream ends quickly, so each generated call returns
    app.state.sse_max_seconds = 0.2
    return app


@pytest.fixture(scope="module")
def api_key(api_container: Any) -> str:
    return str(api_container.keys.create(f"conformance-{uuid.uuid4().hex[:6]}", "api").key)


@pytest.fixture(scope="module")
def api_schema(api_app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", api_app)


def run_operation(operation: Any, mode: GenerationMode, key: str) -> str | None:
    """Generate requests for one operation and check each response; the first violation, shrunk, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        derandomize=True,
        database=None,
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {key}"})

    try:
        check()
    except Unsatisfiable:
        return None  # nothing to make invalid (no parameters, no body): the positive run covers it
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports the violated checks in one group
        return f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_every_operation_conforms_to_the_openapi_document(api_schema: Any, api_key: str, mode: GenerationMode) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 17
    violations = [v for op in operations if (v := run_operation(op, mode, api_key))]
    assert not violations, "\n\n".join(violations)


def test_every_operation_is_covered(api_schema: Any) -> None:
    operations = {f"{r.ok().method.upper()} {r.ok().path}" for r in api_schema.get_all_operations()}
    assert {
        "GET /healthz",
        "HEAD /healthz",
        "GET /readyz",
        "POST /v1/classify",
        "POST /v1/sessions",
        "POST /v1/sessions/{session_id}/messages",
        "GET /v1/sessions/{session_id}/map",
        "GET /v1/knowledge/search",
        "POST /v1/workshops",
        "GET /v1/workshops/{code}/events",
    } <= operations, operations


def test_documented_details_match_behaviour(api_app: Any, api_key: str) -> None:
    doc = api_app.openapi()
    q = next(p for p in doc["paths"]["/v1/knowledge/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["schema"]["minLength"] == 1 and q["schema"]["maxLength"] == 2000
    assert "400" in doc["paths"]["/v1/classify"]["post"]["responses"]
    turn = doc["components"]["schemas"]["Turn"]["properties"]["at"]
    assert turn["format"] == "date-time"
    with TestClient(api_app) as c:
        head = c.head("/healthz")
        assert head.status_code == 200 and head.content == b""
        bad = c.post(
            "/v1/classify",
            content=b'{"text": "caf\xe9"}',  # Latin-1, not UTF-8
            headers={"content-type": "application/json", "Authorization": f"Bearer {api_key}"},
        )
        assert bad.status_code in (400, 422) and bad.headers["content-type"].startswith("application/problem+json")
        sid = c.post("/v1/sessions", json={}, headers={"Authorization": f"Bearer {api_key}"}).json()["id"]
        at = c.get(f"/v1/sessions/{sid}", headers={"Authorization": f"Bearer {api_key}"}).json()["messages"][0]["at"]
        assert at.endswith(("+00:00", "Z")), at  # a timezone, on SQLite too
