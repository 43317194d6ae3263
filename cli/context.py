"""Shared CLI options: which store to use (opened once per command), and whether
confidential relationships count."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from graph.analysis.cache import SETTLE_MIN_NODES
from graph.analysis.service import AnalysisService
from graph.store import open_store
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


@contextmanager
def store_from(uri: str | None) -> Iterator[Store]:
    """Open the store for a command and turn store errors into clean exits."""
    try:
        store = open_store(uri or os.environ.get("SCN_GRAPH_STORE"))
    except StoreError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
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
    a large projection is settled out of the garbage collector's reach, as in the server."""
    with store_from(uri) as store:
        yield AnalysisService(store, settle_from=SETTLE_MIN_NODES)
