"""Who is calling, and what they may do.

Roles, each including the ones before it:

| role | may |
|---|---|
| (anonymous) | read, when the server allows anonymous reading; never sees confidential links |
| reader | read; never sees confidential relationships |
| analyst | read, including confidential relationships; run read-only Cypher |
| editor | all of the above; upload data, create / edit / delete actors, read the audit log |

A key is sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. A key
that is sent but not valid is refused (401) even where anonymous reading is
allowed, so a mistyped or revoked key never silently falls back to fewer
rights. Raw Cypher is analyst+ because a query can read any relationship,
confidential ones included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError

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
#: Cookie set by `/login` for browsers; honoured on GET/HEAD only (see api.routes.login).
KEY_COOKIE = "scn_key"
_SAFE_METHODS = frozenset({"GET", "HEAD"})


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
    if not secret and request.method in _SAFE_METHODS:
        secret = request.cookies.get(KEY_COOKIE)
    if not secret:
        return ANONYMOUS
    key = request.app.state.scn.keys.verify(secret.strip())
    if key is None:
        raise ApiError(
            401,
            "this API key is not valid: it may be mistyped or revoked (`scn-graph keys list` "
            "shows the valid ones)",
            headers=_WWW,
        )
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
