"""API keys: hashed, bound to a team, kinds and origins; dev mode only from this machine; CORS allow-list."""

from __future__ import annotations

from typing import Any

import pytest
from apikit import LOCAL, REMOTE, assert_problem, bearer, new_key
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import check_bind
from api.auth import KeyStore, hash_key, normalise_origin
from api.tables import ApiKeyRow
from coach.errors import CoachError, InvalidInput

SITE = "https://intranet.example.org"


@pytest.fixture
def keyed(make_client: Any) -> TestClient:
    """Keys required (as `coach serve --host 0.0.0.0` sets it)."""
    return make_client(require_keys=True)


def test_no_key_is_401_with_www_authenticate(keyed: TestClient) -> None:
    r = keyed.post("/v1/sessions", json={})
    body = assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "coach keys create" in body["hint"]


def test_wrong_and_revoked_keys_are_401(keyed: TestClient, team: str) -> None:
    assert_problem(keyed.post("/v1/sessions", json={}, headers=bearer("oc_a_not-a-key")), 401)
    assert_problem(keyed.post("/v1/sessions", json={}, headers={"Authorization": "Basic dXNlcjpwdw=="}), 401)
    key = new_key(keyed, team)
    assert keyed.post("/v1/sessions", json={}, headers=bearer(key)).status_code == 201
    keyed.app.state.keys.revoke(key[:12])  # type: ignore[attr-defined]
    assert_problem(keyed.post("/v1/sessions", json={}, headers=bearer(key)), 401)


def test_keys_are_stored_hashed_and_bound_to_a_team(keyed: TestClient, team: str) -> None:
    key = new_key(keyed, team)
    store: KeyStore = keyed.app.state.keys  # type: ignore[attr-defined]
    with store.db.tx() as s:
        row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix == key[:12])).one()
        assert row.key_hash == hash_key(key) and key not in (row.key_hash, row.prefix, row.name)
        assert row.team == team
    listed = [k for k in store.list() if k.prefix == key[:12]]
    assert listed and "key" not in listed[0].model_dump()


def test_a_team_sees_only_its_own_sessions(keyed: TestClient, team: str) -> None:
    mine, theirs = new_key(keyed, team), new_key(keyed, team + "-other")
    sid = keyed.post("/v1/sessions", json={}, headers=bearer(mine)).json()["id"]
    keyed.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"}, headers=bearer(mine))
    for r in (
        keyed.get(f"/v1/sessions/{sid}", headers=bearer(theirs)),
        keyed.get(f"/v1/sessions/{sid}/map?format=md", headers=bearer(theirs)),
        keyed.post(f"/v1/sessions/{sid}/messages", json={"text": "hijack"}, headers=bearer(theirs)),
        keyed.delete(f"/v1/sessions/{sid}", headers=bearer(theirs)),
        keyed.post(
            "/v1/corrections", json={"text": "x y", "label": "output", "session_id": sid}, headers=bearer(theirs)
        ),
    ):
        body = assert_problem(r, 404)
        assert body["detail"] == f"No session with id '{sid}'."  # the same answer as for a missing id
    assert sid not in [s["id"] for s in keyed.get("/v1/sessions", headers=bearer(theirs)).json()["sessions"]]
    assert sid in [s["id"] for s in keyed.get("/v1/sessions", headers=bearer(mine)).json()["sessions"]]
    view = keyed.get(f"/v1/sessions/{sid}", headers=bearer(mine)).json()
    assert len(view["messages"]) == 3  # the other team's attempts left no trace


def test_dev_mode_is_keyless_only_from_this_machine(make_client: Any) -> None:
    local = make_client(client=LOCAL)
    assert local.post("/v1/sessions", json={}).status_code == 201
    remote = make_client(client=REMOTE)
    body = assert_problem(remote.post("/v1/sessions", json={}), 401)
    assert "required" in body["detail"]
    # keys explicitly off: nobody needs one (check_bind keeps such a server on loopback)
    off = make_client(client=REMOTE, require_keys=False)
    assert off.post("/v1/sessions", json={}).status_code == 201


def test_a_key_in_dev_mode_is_still_checked(client: TestClient, team: str) -> None:
    assert_problem(client.post("/v1/sessions", json={}, headers=bearer("oc_a_wrong")), 401)
    key = new_key(client, team)
    sid = client.post("/v1/sessions", json={}, headers=bearer(key)).json()["id"]
    assert_problem(client.get(f"/v1/sessions/{sid}"), 404)  # keyless callers are team "local"


def test_check_bind_refuses_keyless_server_beyond_loopback(api_settings: Any) -> None:
    off = api_settings.model_copy(update={"api": api_settings.api.model_copy(update={"require_keys": False})})
    check_bind(off, "127.0.0.1")
    check_bind(api_settings, "0.0.0.0")  # keys unset: `coach serve` turns them on for this host
    with pytest.raises(CoachError, match=r"Refusing to bind 0\.0\.0\.0"):
        check_bind(off, "0.0.0.0")


# ----- widget keys and origins ------------------------------------------------------------------------------


def test_widget_key_works_only_from_its_origins(keyed: TestClient, team: str) -> None:
    key = new_key(keyed, team, "widget", (SITE,))
    ok = keyed.post("/v1/sessions", json={}, headers=bearer(key, Origin=SITE))
    assert ok.status_code == 201
    assert ok.headers["access-control-allow-origin"] == SITE
    body = assert_problem(keyed.post("/v1/sessions", json={}, headers=bearer(key, Origin="https://evil.example")), 403)
    assert "https://evil.example" in body["detail"]
    assert_problem(keyed.post("/v1/sessions", json={}, headers=bearer(key)), 403)  # no Origin at all
    # same-origin GETs carry no Origin header: the Referer's origin counts
    sid = ok.json()["id"]
    r = keyed.get(f"/v1/sessions/{sid}", headers=bearer(key, Referer=SITE + "/news/today?x=1"))
    assert r.status_code == 200


def test_widget_key_cannot_list_sessions_run_workshops_or_correct(keyed: TestClient, team: str) -> None:
    key = new_key(keyed, team, "widget", (SITE,))
    h = bearer(key, Origin=SITE)
    assert_problem(keyed.get("/v1/sessions", headers=h), 403)
    assert_problem(keyed.post("/v1/workshops", json={}, headers=h), 403)
    assert_problem(keyed.post("/v1/corrections", json={"text": "Ran a survey", "label": "outcome"}, headers=h), 403)
    assert keyed.post("/v1/classify", json={"text": "We ran a survey"}, headers=h).status_code == 200


def test_cors_preflight_follows_widget_keys_and_settings(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True, widget_origins=["http://localhost:3000"])
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    denied = c.options("/v1/sessions", headers={"Origin": "https://new-site.example.org", **pre})
    assert denied.status_code == 400 and "access-control-allow-origin" not in denied.headers
    new_key(c, team, "widget", ("https://New-Site.example.org:443/",))  # normalised, and seen at once
    allowed = c.options("/v1/sessions", headers={"Origin": "https://new-site.example.org", **pre})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://new-site.example.org"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    from_settings = c.options("/v1/sessions", headers={"Origin": "http://localhost:3000", **pre})
    assert from_settings.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_key_store_validates_what_it_stores(client: TestClient, team: str) -> None:
    store: KeyStore = client.app.state.keys  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match="origin"):
        store.create(team, "widget", [])
    with pytest.raises(InvalidInput, match="Only widget keys"):
        store.create(team, "api", [SITE])
    with pytest.raises(InvalidInput, match="kind"):
        store.create(team, "admin")
    with pytest.raises(InvalidInput, match="team"):
        store.create("", "api")
    with pytest.raises(InvalidInput, match="more than an origin"):
        store.create(team, "widget", [SITE + "/path"])
    assert normalise_origin("HTTP://Example.org:80/") == "http://example.org"
    assert normalise_origin("https://example.org:8443") == "https://example.org:8443"


# ----- workshop sessions across teams ------------------------------------------------------------------------


def test_workshop_participant_from_another_teams_widget(keyed: TestClient, team: str) -> None:
    trainer = new_key(keyed, team, "trainer")
    code = keyed.post("/v1/workshops", json={"title": "Clinic"}, headers=bearer(trainer)).json()["code"]
    widget = new_key(keyed, team + "-intranet", "widget", (SITE,))
    h = bearer(widget, Origin=SITE)
    joined = keyed.post(
        "/v1/sessions", json={"mode": "workshop", "workshop": code.lower(), "participant": "Sam"}, headers=h
    )
    assert joined.status_code == 201, joined.text
    sid = joined.json()["id"]
    assert joined.json()["workshop"] == code
    assert (
        keyed.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"}, headers=h).status_code == 200
    )
    assert keyed.get(f"/v1/sessions/{sid}", headers=h).status_code == 200
    view = keyed.get(f"/v1/workshops/{code}", headers=bearer(trainer)).json()
    assert [s["participant"] for s in view["statements"]] == ["Sam"]
    # a third team's api key cannot read the trainer's workshop
    assert_problem(keyed.get(f"/v1/workshops/{code}", headers=bearer(new_key(keyed, team + "-x"))), 404)
