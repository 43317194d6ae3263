"""Every error is JSON a person can act on, with the right status; never a stack trace.

Body: `{"error": {"status": 404, "message": "no actor with id 'x'"}}`, plus
`problems` (a list) for input that failed validation: request fields
(`location`, `message`) or ingest problems (`file`, `line`, `field`,
`value`, `reason`). Unexpected exceptions are logged on the server with a
reference the client is given, so the two can be matched.

Whatever the input was, the error body can be sent: text echoed from the request
is made printable first (`printable`: a lone surrogate is shown as its escape,
a long value is cut), and a body that still cannot be encoded is replaced by the
bare status and message, never by a 500.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.keys import KeyStoreError
from api.methods import allow_header, allowed_methods
from api.sessions import SessionStoreError
from graph.store.base import (
    QueryTimeout,
    ReadOnlyViolation,
    StoreBusy,
    StoreError,
    StoreNotWritable,
    StoreUnresponsive,
)

log = logging.getLogger("scn_graph.api")

RESTARTING_MESSAGE = (
    "the embedded database stopped unexpectedly and is being restarted; try again in a few seconds"
)


class ApiError(Exception):
    """An error with a status and a message meant for the caller."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        problems: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems
        self.headers = headers


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"no {what} with id {ident!r}")


#: A value echoed back in an error (a problem's `value`) is cut to this many characters;
#: any other text of an error body to TEXT_MAX_CHARS.
ECHO_MAX_CHARS = 200
TEXT_MAX_CHARS = 5000
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def printable(value: Any, limit: int = TEXT_MAX_CHARS) -> Any:
    """`value` made safe to send back: lone surrogates written as their escapes
    (`\\ud800`), strings over `limit` characters cut with their length said (a
    mapping's `value` over ECHO_MAX_CHARS), and anything JSON cannot hold as its
    text. Lists and mappings are walked."""
    if isinstance(value, str):
        text = _SURROGATES.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
        if len(text) > limit:
            text = f"{text[:limit]}… ({len(value):,} characters)"
        return text
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {
            str(printable(k)): printable(v, ECHO_MAX_CHARS if k == "value" else limit)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [printable(v, limit) for v in value]
    return printable(str(value), limit)


def error_body(status: int, message: str, problems: list[Any] | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"status": status, "message": printable(message)}
    if problems is not None:
        err["problems"] = printable(problems)
    return {"error": err}


class _ErrorJSON(JSONResponse):
    """A JSON error body that is always sent: if it cannot be encoded, the status and a
    plain message are, instead of the encoder's exception."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except (TypeError, ValueError, UnicodeError):
            log.exception("an error body could not be encoded; sent without details")
            status = self.status_code
            return json.dumps(
                {"error": {"status": status, "message": "the request was refused"}}
            ).encode()


def error_response(
    status: int,
    message: str,
    problems: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return _ErrorJSON(error_body(status, message, problems), status_code=status, headers=headers)


_HTTP_MESSAGES = {
    404: "no such endpoint; see /docs for the API",
    405: "this endpoint does not accept that method; see /docs",
}


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "body", "header", "cookie"):
        where, rest = parts[0], parts[1:]
        return f"{where} {'.'.join(rest)}".strip() if rest else where
    return ".".join(parts)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def validation_problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        item = {"location": _location(err.get("loc", ())), "message": str(err.get("msg", ""))}
        if "input" in err and not isinstance(err["input"], dict | list):
            item["value"] = _plain(err["input"])
        out.append(item)
    return out


def _logged(
    status: int, what: str, exc: Exception, message: str, *, retry_after: int
) -> JSONResponse:
    """Log `exc` under a fresh reference and answer `message` with it (`{ref}`), so the
    caller can quote the reference and the log holds the details the answer leaves out."""
    ref = secrets.token_hex(4)
    log.error("%s (ref %s): %s", what, ref, exc)
    return error_response(
        status, message.format(ref=ref), headers={"Retry-After": str(retry_after)}
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the JSON error body."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.problems, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code in _HTTP_MESSAGES and detail in ("Not Found", "Method Not Allowed"):
            detail = _HTTP_MESSAGES[exc.status_code]
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:  # the router names only its first matching route's methods
            allowed = allowed_methods(request.app.router.routes, request.scope)
            headers = {**(headers or {}), "Allow": allow_header(allowed)}
        return error_response(exc.status_code, str(detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = validation_problems(exc)
        first = "; ".join(f"{p['location']}: {p['message']}" for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return error_response(422, f"invalid request: {first}{more}", problems)

    @app.exception_handler(ReadOnlyViolation)
    async def _read_only(_: Request, exc: ReadOnlyViolation) -> JSONResponse:
        return error_response(403, str(exc))

    @app.exception_handler(QueryTimeout)
    async def _timeout(_: Request, exc: QueryTimeout) -> JSONResponse:
        return error_response(408, f"{exc}; narrow the request and try again")

    @app.exception_handler(StoreBusy)
    async def _busy(_: Request, exc: StoreBusy) -> JSONResponse:
        return error_response(503, str(exc), headers={"Retry-After": "10"})

    @app.exception_handler(StoreUnresponsive)
    async def _unresponsive(_: Request, exc: StoreUnresponsive) -> JSONResponse:
        return _logged(
            504,
            "store did not answer",
            exc,
            "the graph store did not answer in time (ref {ref}); try again, and if it goes on "
            "ask the administrator to check the database (`scn-graph db status`)",
            retry_after=10,
        )

    @app.exception_handler(KeyStoreError)
    @app.exception_handler(SessionStoreError)
    async def _credentials_file(_: Request, exc: ValueError) -> JSONResponse:
        return _logged(
            503,
            "keys or sessions file unusable",
            exc,
            "keys and sign-ins cannot be checked: the server's keys or sessions file is "
            "unusable (ref {ref}, in the server log)",
            retry_after=30,
        )

    @app.exception_handler(StoreNotWritable)
    async def _not_writable(_: Request, exc: StoreNotWritable) -> JSONResponse:
        log.error("store cannot write to its disk: %s", exc)
        return error_response(
            503,
            "the graph store cannot write to its disk, so changes are refused and nothing "
            "was changed; reads still work. Ask the administrator to free disk space or fix "
            "the data directory's permissions (`scn-graph db status`)",
            headers={"Retry-After": "30"},
        )

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        if await run_in_threadpool(request.app.state.scn.restart_if_down):
            log.error("store error, the embedded server is being restarted: %s", exc)
            return error_response(503, RESTARTING_MESSAGE, headers={"Retry-After": "2"})
        return _logged(
            503,
            "store error",
            exc,
            "the graph store could not answer (ref {ref}); check that the database is running "
            "(`scn-graph db status`) and try again",
            retry_after=5,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        ref = secrets.token_hex(4)
        log.exception("unexpected error (ref %s) on %s %s", ref, request.method, request.url.path)
        return error_response(
            500, f"internal error (ref {ref}); it has been logged — please report it with the ref"
        )
