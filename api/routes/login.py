"""Browser sign-in for the pages: an API key exchanged for a session cookie.

A browser cannot add an `Authorization` header to a page load, so on a server
that needs keys for reading, `/login` takes the key once, opens a server-side
session (api.sessions) and sets its opaque id as a cookie (HttpOnly,
SameSite=Strict, Secure over https, Path=/, Max-Age = the session's life).
The cookie never holds the key. It is honoured for GET and HEAD only: writes
still need the key in a header, so a forged cross-site request can never
write. `/logout` ends the session on the server, not only in the browser.
"""

from __future__ import annotations

import html
import math
import time
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import SESSION_COOKIE, clear_session_cookie

router = APIRouter(tags=["system"])

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · scn-graph</title>
<style>body{{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}}
input{{width:100%;padding:.5rem;font:inherit;margin:.5rem 0 1rem}}
button{{padding:.5rem 1rem;font:inherit}}.err{{color:#b00020}}</style></head><body>
<h1>scn-graph</h1><p>This server needs an API key to show the network and the report.</p>
{error}<form method="post" action="/login"><label>API key
<input name="key" type="password" autocomplete="current-password" required autofocus></label>
<input type="hidden" name="next" value="{next}"><button type="submit">Sign in</button></form>
<p>An administrator creates keys with <code>scn-graph keys add NAME --role reader</code>.</p>
</body></html>"""


def _safe_next(target: str | None) -> str:
    """Only a path on this server: never redirect somewhere else after sign-in."""
    if not target:
        return "/report"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/report"
    return target


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(next: str | None = None) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(error="", next=html.escape(_safe_next(next))))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    key: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    target = _safe_next(next)
    state = request.app.state.scn
    found = state.keys.verify(key.strip())
    if found is None or found.expired():
        why = "is not valid: it may be mistyped or revoked"
        if found is not None:
            why = f"expired at {found.expires_at}; ask an administrator for a new one"
        error = f'<p class="err">That key {html.escape(why)}.</p>'
        return HTMLResponse(_PAGE.format(error=error, next=html.escape(target)), 401)
    token, session = state.sessions.open(found)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max(1, math.ceil(session.expires_at - time.time())),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        request.app.state.scn.sessions.end(token)
    response = RedirectResponse("/login", status_code=303)
    response.headers["Set-Cookie"] = clear_session_cookie()
    return response
