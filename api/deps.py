"""FastAPI dependencies: the service, the settings, and who is calling (auth + rate limit), as Annotated aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import DEV_TEAM, KeyStore, Principal, is_loopback, origin_of
from api.errors import Forbidden, Unauthenticated
from api.ratelimit import Limiter
from coach.config import Settings
from coach.errors import CoachError, InvalidInput, SessionNotFound
from coach.segment import segment
from coach.service import CoachService
from coach.text import clean
from coach.views import SessionView

bearer = HTTPBearer(auto_error=False, description="An API key from `coach keys create --team NAME`.")

KEY_HINT = "Send `Authorization: Bearer <key>` with a key from `coach keys create --team NAME`."


def get_service(request: Request) -> CoachService:
    return request.app.state.service  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_keys(request: Request) -> KeyStore:
    return request.app.state.keys  # type: ignore[no-any-return]


ServiceDep = Annotated[CoachService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def resolve(request: Request, token: str | None) -> Principal:
    """The principal for this request (key, or keyless dev mode), after the origin and rate-limit checks."""
    settings: Settings = request.app.state.settings
    limiter: Limiter = request.app.state.limiter
    client = _client(request)
    if token:
        principal = get_keys(request).verify(token)
        if principal is None:
            limiter.check(f"badkey:{client}")  # guessing keys is rate limited too
            raise Unauthenticated("The API key is not valid: it is unknown or has been revoked.", KEY_HINT)
        if principal.kind == "widget":
            origin = origin_of(request.headers.get("origin")) or origin_of(request.headers.get("referer"))
            if origin is None or origin not in principal.origins:
                raise Forbidden(
                    f"This widget key is not allowed from {origin or 'a request without an Origin'}.",
                    "Widget keys work only on the sites they were created for: "
                    "`coach keys create --team NAME --kind widget --origin https://your.site`.",
                )
    else:
        required = settings.api.require_keys
        # Dev mode (require_keys unset): keys are optional for requests from this machine only.
        if required is True or (required is None and not is_loopback(client)):
            raise Unauthenticated("An API key is required.", KEY_HINT)
        principal = Principal(team=DEV_TEAM, kind="dev")
    buckets = rate_buckets(request, principal, settings)
    for bucket, per_minute in buckets:
        limiter.check(bucket, per_minute=per_minute)
    request.state.principal = principal
    request.state.buckets = buckets
    return principal


def rate_buckets(request: Request, principal: Principal, settings: Settings) -> list[tuple[str, int | None]]:
    """The buckets a request spends from, with their rate (None = the per-key rate).

    A widget key is shared by everyone on the page, so it gets a larger bucket for all its visitors together
    and one per visitor: the session in the path at the visitor rate, or else (starting a session) the client
    address at the per-key rate, since a whole workshop may join from behind one address. One visitor then runs
    out alone instead of locking a 30-person workshop out of the coach."""
    client = _client(request)
    if principal.kind != "widget":
        return [(principal.bucket(client), None)]
    session = request.path_params.get("session_id")
    if isinstance(session, str) and session:
        visitor = (f"visitor:{principal.prefix}:session:{session}", settings.api.visitor_rate_limit_per_minute)
    else:
        visitor = (f"visitor:{principal.prefix}:addr:{client or '?'}", settings.api.rate_limit_per_minute)
    return [(principal.bucket(client), settings.api.widget_rate_limit_per_minute), visitor]


def charge_statements(request: Request, text: object, split: bool = True) -> None:
    """A request carrying several statements costs one token per statement (it already paid for one).

    Counted the way the service will cut the text; capped at `max_statements`, the most it will accept."""
    if not isinstance(text, str):
        return
    try:
        n = len(segment(clean(text, limit=10**9), split=split))
    except CoachError:
        return  # empty or garbled: the service refuses it with the reason
    extra = min(n, request.app.state.settings.api.max_statements) - 1
    if extra <= 0:
        return
    limiter: Limiter = request.app.state.limiter
    for bucket, per_minute in getattr(request.state, "buckets", []):
        limiter.check(bucket, cost=extra, per_minute=per_minute)


def authenticate(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    """Any valid caller: Authorization: Bearer <key> (or no key in local dev mode)."""
    return resolve(request, credentials.credentials if credentials else None)


def authenticate_or_query(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    key: Annotated[
        str | None, Query(description="The key, for pages and event streams that cannot send headers.")
    ] = None,
) -> Principal:
    return resolve(request, credentials.credentials if credentials else key)


def ensure_staff(principal: Principal) -> Principal:
    if not principal.may("api", "trainer"):
        raise Forbidden(f"A {principal.kind} key cannot do this.", "Use an api or trainer key of your team.")
    return principal


def require_staff(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
    return ensure_staff(principal)


def require_staff_or_query(principal: Annotated[Principal, Depends(authenticate_or_query)]) -> Principal:
    return ensure_staff(principal)


Caller = Annotated[Principal, Depends(authenticate)]
Staff = Annotated[Principal, Depends(require_staff)]
StaffOrQueryKey = Annotated[Principal, Depends(require_staff_or_query)]


def session_scope(service: CoachService, principal: Principal, session_id: str) -> tuple[str | None, SessionView]:
    """The team argument to hand the service for this caller and session, and the session itself.

    A team sees only its own sessions (anything else is a 404, the same answer as a missing id). The one
    exception is a workshop session: it belongs to the trainer's team but is driven by the participant who
    holds its (unguessable) id, whichever team's widget they joined from.
    """
    view = service.get_session(session_id, None)
    return session_team(service, principal, session_id, (view.team, view.mode)), view


def session_team(
    service: CoachService, principal: Principal, session_id: str, owner: tuple[str, str] | None = None
) -> str | None:
    """`session_scope` without the transcript: the team argument for a caller that only acts on the session."""
    team, mode = owner or service.session_owner(session_id)
    if team == principal.team:
        return principal.team
    if mode == "workshop":
        return None
    raise SessionNotFound(session_id)


def check_statement(text: str, settings: Settings, what: str = "statement") -> None:
    """One statement must fit settings.api.max_statement_chars (the service checks messages as a whole)."""
    limit = settings.api.max_statement_chars
    if isinstance(text, str) and len(text) > limit:
        raise InvalidInput(
            f"The {what} is too long ({len(text):,} characters; the limit is {limit:,}).",
            "Shorten it, or send several statements as a list with split on.",
        )


_QUERY_NAMES: dict[int, frozenset[str]] = {}


def _query_names(dependant: Any) -> set[str]:
    """Every query parameter an operation declares, its dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_query_only(request: Request) -> None:
    """Refuse query parameters an operation does not declare (a typo such as `?rendre=slack` would otherwise be
    ignored silently), as the OpenAPI document says: each operation lists its query parameters, nothing else."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params or not getattr(route, "include_in_schema", True):
        return  # pages (the widget demo, the trainer's view) take any query: a join link, an intranet's own
    names = _QUERY_NAMES.get(id(route))
    if names is None:
        names = _QUERY_NAMES[id(route)] = frozenset(_query_names(dependant))
    unknown = sorted({k for k in request.query_params if k not in names})
    if unknown:
        allowed = ", ".join(sorted(names)) or "none"
        raise InvalidInput(
            f"Unknown query parameter {unknown[0]!r}.", f"This operation takes these query parameters: {allowed}."
        )
