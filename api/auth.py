"""API keys: created once (the plain key is shown a single time), stored as sha256 hashes, each bound to a team.

Kinds of key:
- `api`     — a team's server-side integrations: every endpoint, the team's own sessions and workshops.
- `trainer` — runs workshops: create them, the live trainer page, exports; plus everything a widget may do.
- `widget`  — embedded in a web page, so public by nature: accepted only from the origins it lists (the browser's
  `Origin`, or failing that the `Referer`); it can converse but not list the team's sessions, read workshops
  or record corrections.

`KeyStore` works over the project's `Database` (table `api_keys`), so every worker and the CLI see the same keys.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import anyio
from sqlalchemy import func, select
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.key_info import CreatedKey, KeyInfo
from api.kinds import KINDS
from api.tables import ApiKeyRow
from coach.adapters.sql import Database
from coach.errors import InvalidInput


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(kind: str) -> str:
    return f"oc_{kind[:1]}_{secrets.token_urlsafe(24)}"


DEV_TEAM = "local"
PREFIX_LEN = 12
_TEAM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if not host:
        return False
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def normalise_origin(value: str) -> str:
    """'HTTPS://Intranet.Example.org:443/' → 'https://intranet.example.org'; refuse anything but an origin."""
    raw = value.strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            f"'{value}' is not a web origin.", "Write it as scheme://host[:port], e.g. https://intranet.example.org"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput(
            f"'{value}' has more than an origin.", "Leave out paths and queries: https://intranet.example.org"
        )
    port = parts.port
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def origin_of(value: str | None) -> str | None:
    """The origin of an Origin or Referer header, or None."""
    if not value or value == "null":
        return None
    try:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        return normalise_origin(f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}")
    except (InvalidInput, ValueError):
        return None


@dataclass(frozen=True)
class Principal:
    """Who is calling: a team, the kind of key (or 'dev' for a keyless local request) and the key's prefix."""

    team: str
    kind: str
    prefix: str | None = None
    origins: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_dev(self) -> bool:
        return self.kind == "dev"

    def may(self, *kinds: str) -> bool:
        return self.is_dev or self.kind in kinds

    def bucket(self, client: str | None) -> str:
        """Rate-limit bucket: the key, or the client address for keyless local requests."""
        return f"key:{self.prefix}" if self.prefix else f"anon:{client or '?'}"


def _info(row: ApiKeyRow) -> KeyInfo:
    return KeyInfo(
        prefix=row.prefix,
        team=row.team,
        kind=row.kind,
        origins=list(row.origins or []),
        name=row.name or "",
        created_at=row.created_at,
        revoked=bool(row.revoked),
    )


class KeyStore:
    """Create, list, revoke and verify keys. Verified keys are cached for `cache_seconds` per process, so a
    revocation made by another process (the CLI) takes effect within that time; one made here is immediate."""

    def __init__(self, db: Database, cache_seconds: float = 10.0) -> None:
        self.db = db
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()
        self.on_change: list[Callable[[], None]] = []  # run after create/revoke (e.g. the CORS allow-list)

    def _changed(self) -> None:
        with self._lock:
            self._cache.clear()
        for fn in self.on_change:
            fn()

    def create(
        self, team: str, kind: str = "api", origins: list[str] | tuple[str, ...] = (), name: str = ""
    ) -> CreatedKey:
        team = team.strip()
        if not _TEAM.match(team):
            raise InvalidInput(
                f"'{team}' is not a usable team name.",
                "Use up to 100 letters, digits, spaces, dots, dashes or underscores.",
            )
        if kind not in KINDS:
            raise InvalidInput(f"Unknown key kind '{kind}'.", f"Use one of: {', '.join(KINDS)}.")
        clean = sorted({normalise_origin(o) for o in origins})
        if kind == "widget" and not clean:
            raise InvalidInput(
                "A widget key needs at least one allowed origin.",
                "Add --origin https://your-intranet.example.org (repeat for several sites).",
            )
        if kind != "widget" and clean:
            raise InvalidInput("Only widget keys are bound to origins.", "Drop --origin, or use --kind widget.")
        key = new_key(kind)
        with self.db.tx() as s:
            row = ApiKeyRow(
                prefix=key[:PREFIX_LEN],
                key_hash=hash_key(key),
                team=team,
                kind=kind,
                origins=clean,
                name=name.strip()[:200],
            )
            s.add(row)
            s.flush()
            info = _info(row)
        self._changed()
        return CreatedKey(**info.model_dump(), key=key)

    def list(self, include_revoked: bool = True) -> list[KeyInfo]:
        with self.db.tx() as s:
            q = select(ApiKeyRow).order_by(ApiKeyRow.team, ApiKeyRow.created_at)
            if not include_revoked:
                q = q.where(ApiKeyRow.revoked.is_(False))
            return [_info(r) for r in s.scalars(q).all()]

    def revoke(self, prefix: str) -> KeyInfo:
        from api.errors import NotFound

        prefix = prefix.strip()
        if len(prefix) < 8:
            raise InvalidInput(
                "That prefix is too short to name one key.", "Copy the prefix column of `coach keys list`."
            )
        with self.db.tx() as s:
            rows = s.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix.startswith(prefix, autoescape=True))).all()
            if not rows:
                raise NotFound(f"No key with prefix '{prefix}'.", "List the keys with `coach keys list`.")
            if len(rows) > 1:
                raise InvalidInput(f"The prefix '{prefix}' matches {len(rows)} keys.", "Give the full prefix.")
            rows[0].revoked = True
            info = _info(rows[0])
        self._changed()
        return info

    def verify(self, key: str) -> Principal | None:
        """The principal for a presented key, or None if it is unknown or revoked."""
        if not key or len(key) > 200:
            return None
        digest = hash_key(key)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(digest)
            if hit and hit[1] > now:
                return hit[0]
        with self.db.tx() as s:
            row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_hash == digest)).first()
            if row is None or row.revoked:
                return None
            principal = Principal(team=row.team, kind=row.kind, prefix=row.prefix, origins=tuple(row.origins or ()))
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (principal, now + self.cache_seconds)
        return principal

    def widget_origins(self) -> set[str]:
        with self.db.tx() as s:
            rows = s.scalars(select(ApiKeyRow.origins).where(ApiKeyRow.kind == "widget", ApiKeyRow.revoked.is_(False)))
            return {o for origins in rows for o in (origins or [])}

    def count_active(self) -> int:
        with self.db.tx() as s:
            return int(s.scalar(select(func.count()).select_from(ApiKeyRow).where(ApiKeyRow.revoked.is_(False))) or 0)


class OriginRegistry:
    """The CORS allow-list: settings.api.widget_origins plus every active widget key's origins, re-read from
    the database every `ttl` seconds (keys created by the CLI or another worker show up without a restart)."""

    def __init__(self, static: list[str], keys: KeyStore | None = None, ttl: float = 30.0) -> None:
        self.static = {normalise_origin(o) for o in static}
        self.keys = keys
        self.ttl = ttl
        self._origins: set[str] = set(self.static)
        self._expires = 0.0

    @property
    def stale(self) -> bool:
        return self.keys is not None and time.monotonic() >= self._expires

    def refresh(self) -> None:
        found = self.keys.widget_origins() if self.keys is not None else set()
        self._origins = self.static | found
        self._expires = time.monotonic() + self.ttl

    def invalidate(self) -> None:
        self._expires = 0.0

    def allowed(self, origin: str) -> bool:
        norm = origin_of(origin)
        return norm is not None and norm in self._origins


class DynamicCORSMiddleware(CORSMiddleware):
    """Starlette's CORS middleware with an allow-list that follows the database (see OriginRegistry)."""

    def __init__(
        self,
        app: ASGIApp,
        registry_of: Callable[[], OriginRegistry | None],
        allow_methods: Sequence[str] = ("GET",),
        allow_headers: Sequence[str] = (),
        expose_headers: Sequence[str] = (),
        max_age: int = 600,
    ) -> None:
        super().__init__(
            app,
            allow_methods=allow_methods,
            allow_headers=allow_headers,
            expose_headers=expose_headers,
            max_age=max_age,
        )
        self._registry_of = registry_of  # resolved per request: the registry exists once the service does

    def _registry(self) -> OriginRegistry | None:
        return self._registry_of()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        registry = self._registry()
        has_origin = any(k == b"origin" for k, _ in scope.get("headers") or [])
        if scope["type"] == "http" and registry is not None and registry.stale and has_origin:
            await anyio.to_thread.run_sync(registry.refresh)
        await super().__call__(scope, receive, send)

    def is_allowed_origin(self, origin: str) -> bool:
        registry = self._registry()
        return registry is not None and registry.allowed(origin)
