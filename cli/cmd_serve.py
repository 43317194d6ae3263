"""`serve` (the HTTP API and pages) and `keys` (API keys: add, list, revoke)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from enum import StrEnum

import typer

from cli.context import StoreOption, store_from
from cli.main import app
from cli.output import Format, render

keys_app = typer.Typer(
    name="keys",
    help="API keys for `scn-graph serve`: each has a name and a role (reader, analyst, "
    "editor), belongs to one store, and is stored hashed; the key itself is shown once.",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")


#: Seconds `serve` gives requests in progress to finish after SIGTERM or Ctrl-C.
GRACEFUL_STOP_S = 3


def _exit_without_waiting_for_requests() -> None:
    """Exit now, even if a request's worker thread is still computing (gaps on a large
    graph can take minutes): Python would otherwise wait for it at exit. Its result has
    no one to go to, and a write it may be doing is all-or-nothing in the store."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    deadline = time.monotonic() + 0.5  # idle worker threads end at once
    for t in others:
        if not t.daemon:
            t.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() and not t.daemon for t in others):
        typer.echo(
            f"stopped without waiting for requests still running (after {GRACEFUL_STOP_S} s)",
            err=True,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


class Role(StrEnum):
    reader = "reader"
    analyst = "analyst"
    editor = "editor"


def _settings(store: str | None, **overrides: object):  # type: ignore[no-untyped-def]
    from api.settings import Settings, SettingsError

    try:
        return Settings.from_env(store_uri=store, **overrides)
    except SettingsError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc


def _key_store(store: str | None):  # type: ignore[no-untyped-def]
    from api.keys import KeyStore

    s = _settings(store)
    return KeyStore(s.resolved_keys_file, s.store_id), s


@app.command()
def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on; 0.0.0.0 for every interface."
    ),
    port: int = typer.Option(8000, "--port", min=0, max=65535),
    store: str | None = StoreOption,
    anonymous_read: bool | None = typer.Option(
        None,
        "--anonymous-read/--no-anonymous-read",
        help="Allow reading without a key. Default (env SCN_GRAPH_ANONYMOUS_READ): on only "
        "when listening on a loopback address.",
        show_default=False,
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (each keeps its own caches)."
    ),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) and the network and report pages.

    Reads need a key unless anonymous reading is on; writes always need an
    editor key. Create keys with `scn-graph keys add NAME --role ROLE`.
    """
    import uvicorn

    from api.app import create_app
    from api.keys import KeyStoreError
    from api.settings import ENV_ANONYMOUS_READ, ENV_HOST, ENV_STORE

    settings = _settings(store, host=host, anonymous_read=anonymous_read)
    with store_from(settings.store_uri):  # fail here, clearly, if the store cannot be opened
        pass
    keys, _ = _key_store(settings.store_uri)
    try:
        n_keys = len(keys.list())
    except KeyStoreError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    shown = f"[{host}]" if ":" in host else host
    if port == 0 and workers > 1:  # every worker must listen on the same, known port
        from api.server import free_port

        port = free_port(host)
    typer.echo(f"scn-graph API on http://{shown}:{port}  (docs: http://{shown}:{port}/docs)")
    typer.echo(f"  store: {settings.store_id}")
    typer.echo(
        f"  anonymous reading: {'on' if settings.allows_anonymous_read else 'off'}; "
        f"{n_keys} API key{'s' if n_keys != 1 else ''} ({settings.resolved_keys_file})"
    )
    if n_keys == 0:
        typer.echo("  no API keys yet: scn-graph keys add NAME --role editor")
    if workers == 1:
        uvicorn.run(
            create_app(settings=settings),
            host=host,
            port=port,
            log_level=log_level,
            timeout_graceful_shutdown=GRACEFUL_STOP_S,
        )
        _exit_without_waiting_for_requests()
        return
    # Several processes: each builds the app from the environment.
    if settings.store_uri:
        os.environ[ENV_STORE] = settings.store_uri
    os.environ[ENV_HOST] = host
    if anonymous_read is not None:
        os.environ[ENV_ANONYMOUS_READ] = "true" if anonymous_read else "false"
    from uvicorn.supervisors import Multiprocess

    from api.server import WorkerSocket

    config = uvicorn.Config(
        "api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        timeout_graceful_shutdown=GRACEFUL_STOP_S,
    )
    # A listening socket per worker on one port, so that connections are spread over the
    # workers (and with Nagle's algorithm off): see api.server.WorkerSocket and tcp_socket.
    try:
        sock = WorkerSocket(host, port)
    except OSError as exc:
        typer.secho(f"error: cannot listen on {shown}:{port}: {exc.strerror}", err=True, fg="red")
        raise typer.Exit(2) from exc
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[sock]).run()


@keys_app.command("add")
def keys_add(
    name: str = typer.Argument(..., help="Who the key is for, e.g. alice (letters, digits, _.@-)."),
    role: Role = typer.Option(
        ..., "--role", "-r", case_sensitive=False, help="reader, analyst or editor."
    ),
    expires: str | None = typer.Option(
        None,
        "--expires",
        metavar="WHEN",
        help="When the key stops working: a duration from now (45s, 90m, 12h, 30d, 2w), an "
        "ISO date (2027-01-31: at 00:00 UTC that day) or date and time (2027-01-31T18:00, "
        "UTC unless it has an offset). Default: never.",
    ),
    store: str | None = StoreOption,
) -> None:
    """Create a key and print it once; only its hash is kept."""
    from api.keys import KeyStoreError, parse_expiry

    keys, settings = _key_store(store)
    try:
        expires_at = parse_expiry(expires) if expires is not None else None
        key, secret = keys.add(name, role.value, expires_at=expires_at)
    except KeyStoreError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    typer.echo(secret)
    until = f", expires {key.expires_at}" if key.expires_at else ""
    typer.echo(
        f"Key {key.name!r} ({key.role}{until}) for {settings.store_id}. Keep it now: it is not "
        "shown again. Send it as 'Authorization: Bearer <key>'.",
        err=True,
    )


@keys_app.command("list")
def keys_list(
    store: str | None = StoreOption,
    fmt: Format = typer.Option(
        Format.table, "--format", "-f", case_sensitive=False, help="table or json."
    ),
) -> None:
    """The store's keys: name, role, created, expiry, prefix (never the key)."""
    from api.keys import KeyStoreError

    keys, settings = _key_store(store)
    try:
        listed = keys.list()
        rows = [{**k.to_dict(), "expired": k.expired()} for k in listed]
    except KeyStoreError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    if fmt == Format.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo(f"No API keys for {settings.store_id}.")
        return
    for row in rows:
        row["expires_at"] = _shown_expiry(row["expires_at"], row["expired"])
    typer.echo(
        render(
            rows,
            fmt,
            columns=["name", "role", "created_at", "expires_at", "prefix"],
            title=f"API keys for {settings.store_id}",
        )
    )


@keys_app.command("revoke")
def keys_revoke(
    name: str = typer.Argument(..., help="The key's name."),
    store: str | None = StoreOption,
) -> None:
    """Delete a key; it and its browser sessions stop working at the next request."""
    from api.keys import KeyStoreError
    from api.sessions import SessionStoreError, session_store

    keys, settings = _key_store(store)
    try:
        key = keys.revoke(name)
        ended = session_store(settings).end_key(key.key_id)
    except (KeyStoreError, SessionStoreError) as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    signed_in = f"; ended {ended} browser session{'s' if ended != 1 else ''}" if ended else ""
    typer.echo(f"Revoked {key.name!r} ({key.role}){signed_in}.")


def _shown_expiry(expires_at: str | None, expired: bool) -> str:
    if not expires_at:
        return "never"
    return f"{expires_at} (expired)" if expired else expires_at
