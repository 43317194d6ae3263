"""Request bodies are bounded while they arrive, not after they have been read.

An ASGI middleware: a body whose `Content-Length` is over the limit is refused
at once; a body sent without one (chunked) is counted as it streams in and
refused as soon as it passes the limit. Either way the answer is 413 naming the
limit and the setting, and nothing more of the body is read. Uploads
(`POST /api/ingest`) may be as large as the upload limit (plus room for the
form's own fields); every other request as large as the request limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.errors import error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The upload route, whose body is a file.
UPLOAD_PATH = "/api/ingest"
#: Room in an upload's body for the multipart framing and the form's other fields.
FORM_OVERHEAD = 64 * 1024


class BodyTooLarge(Exception):
    """Raised into the app when the body it is reading passes the limit."""


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n // 1024} KB"


class BodyLimit:
    """Refuse request bodies over `upload_max_bytes` (uploads) or `request_max_bytes`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        upload_max_bytes: int,
        request_max_bytes: int,
        upload_setting: str,
        request_setting: str,
    ) -> None:
        self.app = app
        self.upload = (upload_max_bytes, upload_setting)
        self.request = (request_max_bytes, request_setting)

    def _limit(self, scope: Scope) -> tuple[int, int, str]:
        """(bytes allowed in the body, the limit as people are told it, its setting)."""
        if scope.get("path") == UPLOAD_PATH:
            limit, setting = self.upload
            return limit + FORM_OVERHEAD, limit, setting
        limit, setting = self.request
        return limit, limit, setting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed, shown, setting = self._limit(scope)
        refusal = error_response(
            413,
            f"the request body is larger than the limit of {_mb(shown)} ({setting})",
            # the rest of the body is not read: the connection cannot carry another request
            headers={"Connection": "close"},
        )
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > allowed:
            await refusal(scope, receive, send)
            return

        seen = 0
        over = False
        started = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > allowed:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:
                return  # the app's answer to the interrupted body; ours is sent instead
            started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except BodyTooLarge:
            pass
        except Exception:
            if not over:
                raise
        if over and not started:
            await refusal(scope, receive, send)
