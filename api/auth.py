"""Who is calling, and what they may do.

Roles, each including the ones before it:

| role | may |
|---|---|
| (anonymous) | read, when the server allows anonymous reading; never sees confidential links |
| reader | read; never sees confidential relationships |
| analyst | read, including confidential relationships; run read-only Cypher |
| editor | all of the above; upload data, create / edit / delete actors, read the audit log |

A key is sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`; a
browser signed in at `/login` sends a session cookie instead (api.sessions).
A key or session that is sent but not valid, revoked, expired or ended is
refused (401, with a message saying which) even where anonymous reading is
allowed, so it never silently falls back to fewer rights. Raw Cypher is
analyst+ because a query can read any relationship, confidential ones
included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.keys import ApiKey

READER, ANALYST, EDITOR = "reader", "analyst", "editor"
RANK = {READER: 1, ANALYST: 2, EDITOR: 3}
CONFIDENTIAL_ROLES = frozenset({ANALYST, EDITOR})

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API key: `Authorization: Bearer scn_…` (create one with "
    "`scn-graph keys add NAME --role reader|analyst|editor`).",
)
header_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="apiKey",
    description="The same API key in an `X-API-Key` header.",
)

_WWW = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Principal:
    """The caller: a named key with a role, or anonymous (role None)."""

    name: str
    role: str | None

    @property
    def anonymous(self) -> bool:
        return self.role is None

    @property
    def sees_confidential(self) -> bool:
        return self.role in CONFIDENTIAL_ROLES

    def at_least(self, role: str) -> bool:
        return self.role is not None and RANK[self.role] >= RANK[role]


ANONYMOUS = Principal("anonymous", None)
#: Cookie set by `/login` for browsers: an opaque session id (api.sessions), never the
#: key; honoured on GET/HEAD only (see api.routes.login).
SESSION_COOKIE = "scn_session"
_SAFE_METHODS = frozenset({"GET", "HEAD"})


def clear_session_cookie() -> str:
    """A `Set-Cookie` value that removes the session cookie from the browser."""
    return f'{SESSION_COOKIE}=""; Max-Age=0; Path=/; HttpOnly; SameSite=Strict'


def expired_message(key: ApiKey) -> str:
    return (
        f"the API key {key.name!r} expired at {key.expires_at}; ask an administrator for a "
        "new one (`scn-graph keys add NAME --role ROLE --expires 30d`)"
    )


def _refuse(message: str, *, clear_cookie: bool = False) -> ApiError:
    headers = dict(_WWW)
    if clear_cookie:
        headers["Set-Cookie"] = clear_session_cookie()
    return ApiError(401, message, headers=headers)


def authenticate(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None,
    api_key: str | None,
) -> Principal:
    """The caller, from the key in the request (anonymous when none is sent)."""
    secret = bearer.credentials if bearer is not None else None
    if secret is None and request.headers.get("authorization"):
        raise ApiError(401, "the Authorization header must be 'Bearer <key>'", headers=_WWW)
    secret = secret or api_key
    if not secret:
        token = request.cookies.get(SESSION_COOKIE) if request.method in _SAFE_METHODS else None
        return session_principal(request, token) if token else ANONYMOUS
    key = request.app.state.scn.keys.verify(secret.strip())
    if key is None:
        raise _refuse(
            "this API key is not valid: it may be mistyped or revoked (`scn-graph keys list` "
            "shows the valid ones)"
        )
    if key.expired():
        raise _refuse(expired_message(key))
    return Principal(key.name, key.role)


def session_principal(request: Request, token: str) -> Principal:
    """The caller a `/login` session cookie names; 401 (and the cookie cleared) once it ended."""
    state = request.app.state.scn
    session = state.sessions.lookup(token)
    if session is None:
        raise _refuse(
            "your sign-in has ended (signed out, or replaced by newer sign-ins); sign in again "
            "at /login",
            clear_cookie=True,
        )
    key = state.keys.by_id(session.key_id)
    if key is None:
        raise _refuse(
            f"the API key {session.key_name!r} this sign-in used was revoked; sign in again at "
            "/login with a valid key",
            clear_cookie=True,
        )
    if key.expired():
        raise _refuse(expired_message(key), clear_cookie=True)
    if session.expired():
        raise _refuse("your sign-in session expired; sign in again at /login", clear_cookie=True)
    return Principal(key.name, key.role)


def require(role: str | None) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers with at least `role`; None means "may read".

    It takes the two key schemes itself (rather than depending on a separate
    `authenticate` dependency) because FastAPI resolves every dependency node on
    every request: a flat tree is measurably cheaper on the hot read paths.
    """

    async def dependency(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
        api_key: Annotated[str | None, Depends(header_scheme)] = None,
    ) -> Principal:
        who = authenticate(request, bearer, api_key)
        if role is None:
            if who.anonymous and not request.app.state.scn.settings.allows_anonymous_read:
                raise ApiError(
                    401,
                    "this server needs an API key for reading: send 'Authorization: Bearer "
                    "<key>' or 'X-API-Key: <key>', or sign in at /login in a browser",
                    headers=_WWW,
                )
            return who
        if who.anonymous:
            raise ApiError(
                401,
                f"this needs an API key with the {role} role (or higher): send "
                "'Authorization: Bearer <key>'",
                headers=_WWW,
            )
        if not who.at_least(role):
            raise ApiError(
                403,
                f"this needs the {role} role (or higher); the key {who.name!r} has the "
                f"{who.role} role",
            )
        return who

    dependency.__name__ = f"require_{role or 'read'}"
    return dependency


may_read = require(None)
analyst_only = require(ANALYST)
editor_only = require(EDITOR)

Reader = Annotated[Principal, Depends(may_read)]
Analyst = Annotated[Principal, Depends(analyst_only)]
Editor = Annotated[Principal, Depends(editor_only)]


async def visibility(who: Reader) -> bool:
    """True when the caller may see confidential relationships (a dependency for pages)."""
    return who.sees_confidential
