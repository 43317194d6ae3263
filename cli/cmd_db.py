"""`scn-graph db start|stop|status`: the embedded FalkorDB server."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cli.context import warn_lost_writes
from cli.main import app
from graph.store.durability import lost_writes
from graph.store.embedded import EmbeddedServer, EmbeddedServerError, default_data_dir
from graph.store.uri import parse_store_uri

db_app = typer.Typer(
    help=(
        "The embedded FalkorDB server. It starts by itself when a command needs it and "
        "stops by itself when idle (SCN_GRAPH_IDLE_TIMEOUT seconds, 0 = never); these "
        "commands control it by hand."
    ),
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")

DataDirOption = typer.Option(
    None,
    "--data-dir",
    help="Data directory (default: the embedded store's, from --store/SCN_GRAPH_STORE or "
    "the per-user data directory; env SCN_GRAPH_HOME).",
)


def _server(data_dir: Path | None, store: str | None) -> EmbeddedServer:
    if data_dir is None:
        addr = parse_store_uri(store, default_dir=default_data_dir())
        if addr.engine != "embedded" or addr.path is None:
            typer.secho(f"error: {addr.display()} is not an embedded store", err=True, fg="red")
            raise typer.Exit(2)
        data_dir = addr.path
    return EmbeddedServer(data_dir)


StoreOpt = typer.Option(None, "--store", envvar="SCN_GRAPH_STORE", help="An embedded: store URI.")


@db_app.command()
def start(data_dir: Path | None = DataDirOption, store: str | None = StoreOpt) -> None:
    """Start the embedded server (or find it running) and print its socket."""
    server = _server(data_dir, store)
    try:
        sock = server.ensure_running()
    except EmbeddedServerError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc
    typer.echo(f"running: {sock}")
    warn_lost_writes(lost_writes(server.data_dir))


@db_app.command()
def stop(data_dir: Path | None = DataDirOption, store: str | None = StoreOpt) -> None:
    """Stop the embedded server cleanly (data is kept on disk)."""
    server = _server(data_dir, store)
    typer.echo("stopped" if server.stop() else "not running")


@db_app.command()
def status(
    data_dir: Path | None = DataDirOption,
    store: str | None = StoreOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Say whether the embedded server runs, where, and what it holds. Exit 3 if stopped."""
    info = _server(data_dir, store).status()
    warn_lost_writes(info["lost_writes"])
    if as_json:
        typer.echo(json.dumps(info, indent=2, default=str))
    else:
        for key, value in info.items():
            typer.echo(f"{key:>18}: {value}")
    if not info.get("running"):
        raise typer.Exit(3)
