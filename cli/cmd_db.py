"""`scn-graph db start|stop|status`: the embedded FalkorDB server; `db backup|restore`:
the whole store (graph, history, API keys) to and from one file (`graph.backup`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cli.context import StoreOption, store_from, warn_lost_writes
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


#: What a backup holds besides the graph: the store's API keys (`api.keys`), by name.
KEYS_EXTRA = "api_keys"
BACKUP_NOTE = "mode 0600: it holds API key hashes and confidential relationships; keep it safe"


def _keys(store: str | None):  # type: ignore[no-untyped-def]
    from cli.cmd_serve import _key_store

    return _key_store(store)[0]


@db_app.command()
def backup(
    file: Path = typer.Argument(
        ..., help="The backup file to write (gzip JSON lines).", dir_okay=False
    ),
    store: str | None = StoreOption,
) -> None:
    """Write the whole store to FILE: every node and relationship with all its labels and
    properties (the graph, its revision history, bookkeeping) and the store's API keys.

    The file gets mode 0600. FalkorDB stores only (embedded or a server).
    """
    from graph.backup import BackupError, read_store, write_file

    keys = _keys(store).entries()
    with store_from(store) as s:
        try:
            taken = read_store(s)
        except BackupError as exc:
            typer.secho(f"error: {exc}", err=True, fg="red")
            raise typer.Exit(1) from exc
        taken.extras[KEYS_EXTRA] = keys
        write_file(taken, file, engine=s.engine, graph=getattr(s, "graph_name", ""))
    counts = taken.counts()
    typer.echo(
        f"wrote {file}: {counts['nodes']} nodes, {counts['relationships']} relationships, "
        f"{len(keys)} API keys, generation {taken.generation} ({BACKUP_NOTE})"
    )


@db_app.command()
def restore(
    file: Path = typer.Argument(
        ..., help="A file `scn-graph db backup` wrote.", exists=True, dir_okay=False
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace a store that is not empty (its graph and its keys)."
    ),
    store: str | None = StoreOption,
) -> None:
    """Replace the store with FILE: graph, history and API keys, as they were backed up.

    Refuses a store that holds anything unless --force is given. The graph is restored
    on a copy and swapped in at once: a failed or stopped restore leaves it as it was.
    """
    from graph.backup import BackupError, has_content, read_file
    from graph.backup import restore as restore_graph

    try:
        taken = read_file(file)
    except BackupError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc
    keys = _keys(store)
    with store_from(store) as s:
        if not force and (has_content(s) or keys.entries()):
            typer.secho(
                "error: the store is not empty; give --force to replace it (graph and API "
                "keys) with the backup",
                err=True,
                fg="red",
            )
            raise typer.Exit(1)
        try:
            counts = restore_graph(s, taken)
        except BackupError as exc:
            typer.secho(f"error: {exc}", err=True, fg="red")
            raise typer.Exit(1) from exc
    restored_keys = taken.extras.get(KEYS_EXTRA) or {}
    keys.replace_entries(restored_keys)
    typer.echo(
        f"restored {file}: {counts['nodes']} nodes, {counts['relationships']} relationships, "
        f"{len(restored_keys)} API keys (backed up at generation {taken.generation})"
    )
