"""Which HTTP methods a path supports: OPTIONS, HEAD, and the `Allow` header of a 405.

Why: a path is often served by several routes (`GET /api/actors` and `POST
/api/actors` are two), and the router's own 405 named only the methods of the
first route whose path matched; OPTIONS had no handler and answered 405 with
that same wrong list; HEAD answered 405 on every API route. Here:

- the methods of a path are every method some route serves at it (asked of
  the routes themselves through `matches`, so nested routers and mounts
  count), plus HEAD wherever GET is served and OPTIONS itself;
- OPTIONS is answered before routing and authentication with 204 and that
  `Allow` list (it says only what the OpenAPI document says); a path no route
  serves is left to the router's 404. No CORS headers are sent: the API
  enables no CORS;
- HEAD is served as the GET without its body (RFC 9110 §9.3.2);
- a 405 carries the same `Allow` list (api.errors).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The methods asked about; OPTIONS and HEAD follow from them (see the docstring).
PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT")
#: Methods an app mounted under a prefix is taken to serve when it has no routes to ask
#: (static files and the like).
_MOUNTED = frozenset({"GET"})


def _served(routes: Iterable[BaseRoute], scope: Scope) -> set[str]:
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Mount):
            match, child = route.matches({**scope, "method": "GET"})
            if match is Match.NONE:
                continue
            inner = getattr(route.app, "routes", None)
            methods |= _served(inner, {**scope, **child}) if inner is not None else _MOUNTED
            continue
        for method in PROBED:
            if method not in methods:
                match, _ = route.matches({**scope, "method": method})
                if match is Match.FULL:
                    methods.add(method)
    return methods


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> set[str]:
    """Every method some route serves at `scope`'s path; empty when no route matches it.

    `scope` may be a mounted app's (a 405 raised by static files): the path is then
    matched from the app's root again, not from the mount's.
    """
    root = scope.get("app_root_path", scope.get("root_path", ""))
    methods = _served(routes, {"type": "http", "path": scope["path"], "root_path": root})
    if "GET" in methods:
        methods.add("HEAD")
    if methods:
        methods.add("OPTIONS")
    return methods


def allow_header(methods: set[str]) -> str:
    return ", ".join(sorted(methods))


class MethodsMiddleware:
    """Answer OPTIONS for a served path (204 + `Allow`), and HEAD as GET without the body."""

    def __init__(self, app: ASGIApp, routes: Any) -> None:
        self.app = app
        self.routes = routes  # the router's live list: routes added later count too

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method") if scope["type"] == "http" else None
        if method == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
            return
        if method == "OPTIONS":
            methods = allowed_methods(self.routes, scope)
            if methods:
                headers = [(b"allow", allow_header(methods).encode("latin-1"))]
                await send({"type": "http.response.start", "status": 204, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


def _without_body(send: Send) -> Send:
    """`send`, with every body chunk emptied (the headers, Content-Length included, kept)."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_head
