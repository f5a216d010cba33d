"""Helpers shared by the API tests (imported as a plain module: tests/api is on sys.path)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

LOCAL = ("127.0.0.1", 50000)  # a TestClient "from this machine": keyless dev mode applies
REMOTE = ("203.0.113.7", 50000)  # a client elsewhere (TEST-NET-3 address; nothing is ever sent there)


def new_key(c: TestClient, team: str, kind: str = "api", origins: tuple[str, ...] = ()) -> str:
    return str(c.app.state.keys.create(team, kind, list(origins)).key)  # type: ignore[attr-defined]


def bearer(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def assert_problem(r: Any, status: int) -> dict[str, Any]:
    """The response is a problem+json with the full shape, and nothing that looks like a traceback."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers["content-type"]
    body = r.json()
    assert {"type", "title", "status", "detail", "hint", "user_message"} <= body.keys(), body
    assert isinstance(body["user_message"], str) and body["user_message"].strip(), body
    assert body["status"] == status
    assert body["detail"] and isinstance(body["hint"], str)
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body  # type: ignore[no-any-return]


def parse_sse(text: str) -> list[dict[str, str]]:
    """Server-sent events → [{'event','data','id'}], per the framing rules (blank line ends an event)."""
    events: list[dict[str, str]] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        ev: dict[str, str] = {}
        data: list[str] = []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                data.append(value)
            else:
                ev[name] = value
        if data:
            ev["data"] = "\n".join(data)
        if ev:
            events.append(ev)
    return events
