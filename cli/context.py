"""Shared CLI options: which store to use (opened once per command), and whether
confidential relationships count."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from graph.analysis.cache import SETTLE_MIN_NODES, frozen
from graph.analysis.service import AnalysisService
from graph.store import open_store, parse_store_uri
from graph.store.base import Store, StoreError

STORE_HELP = (
    "Store URI: embedded:PATH (default: the per-user data directory), "
    "falkordb://host:port, bolt://, neo4j://, neo4j+s://. Env: SCN_GRAPH_STORE."
)

StoreOption = typer.Option(None, "--store", envvar="SCN_GRAPH_STORE", help=STORE_HELP)

CONFIDENTIAL_HELP = (
    "Also count and show confidential relationships (the analyst's view). Without it they "
    "are left out, as for an API reader, by every command that reads relationships "
    "(gaps, recommend and metrics used to count them with no flag)."
)

#: The one visibility switch of every command that reads relationships.
ConfidentialOption = typer.Option(False, "--include-confidential", help=CONFIDENTIAL_HELP)


def _basis(value: str) -> str:
    from graph.analysis.basis import check_basis

    try:
        return check_basis(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


BASIS_HELP = (
    "stated: analyse only what the sources state, leaving out inferred records (nodes, "
    "with their relationships, and relationships); any (the default): everything."
)

#: Which records an analysis reads: `stated` only, or `any` (any case).
BasisOption = typer.Option(
    "any", "--basis", help=BASIS_HELP, callback=_basis, metavar="[stated|any]"
)


def warn_lost_writes(messages: list[str]) -> None:
    """Say on stderr, plainly, that acknowledged writes did not survive a crash."""
    for message in messages:
        typer.secho(f"warning: {message}", err=True, fg="yellow")


def _take_lost_writes(uri: str | None) -> list[str]:
    """An embedded store's lost writes, the first time a command opens it after the loss."""
    from graph.store.durability import take_lost_writes
    from graph.store.embedded import EmbeddedServer, default_data_dir

    addr = parse_store_uri(uri, default_dir=default_data_dir())
    if addr.engine != "embedded" or addr.path is None:
        return []
    return take_lost_writes(EmbeddedServer(addr.path).data_dir)


@contextmanager
def store_from(uri: str | None) -> Iterator[Store]:
    """Open the store for a command and turn store errors into clean exits."""
    uri = uri or os.environ.get("SCN_GRAPH_STORE")
    try:
        store = open_store(uri)
    except StoreError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    warn_lost_writes(_take_lost_writes(uri))
    try:
        yield store
    except StoreError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    finally:
        store.close()


@contextmanager
def analysis_from(uri: str | None) -> Iterator[AnalysisService]:
    """The analysis service over the command's store (the one the API and pages use);
    a large projection and its findings are frozen out of the garbage collector's reach,
    as in the server, but without the full collection a server needs to free the
    previous generation (a command has none)."""
    with store_from(uri) as store:
        yield AnalysisService(store, settle_from=SETTLE_MIN_NODES, settle=frozen)
