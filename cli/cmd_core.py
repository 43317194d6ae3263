"""`seed`, `stats` and `query`: the basic jobs on a store."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import typer

from cli.context import ConfidentialOption, StoreOption, store_from
from cli.main import app
from cli.output import Format, render
from graph.read.stats import stats as read_stats
from graph.store.base import QueryTimeout, ReadOnlyViolation

SEED_RESOURCE = "workshop.yaml"
DEFAULT_QUERY_TIMEOUT_MS = 30_000


def seed_path() -> Any:
    """The workshop seed dataset shipped inside the package."""
    return resources.files("ingest") / "data" / SEED_RESOURCE


@app.command()
def seed(
    store: str | None = StoreOption,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Report what would change; write nothing."
    ),
) -> None:
    """Load the dataset built from the SCN London workshop summary (9–10 March 2022).

    Every record cites the passage of the summary it comes from in `sources`.
    Loading it twice changes nothing.
    """
    from ingest.load import load_dataset
    from ingest.problems import ValidationFailed
    from ingest.readers import read_input

    with resources.as_file(seed_path()) as path, store_from(store) as s:
        try:
            report = load_dataset(s, read_input(path), dry_run=dry_run, source="seed")
        except ValidationFailed as exc:  # a packaging bug, but say it clearly
            typer.secho(str(exc), err=True, fg="red")
            raise typer.Exit(1) from exc
        typer.echo("Workshop seed dataset (Strong Cities Network, London, March 2022)")
        for line in report.lines():
            typer.echo(line)


@app.command()
def stats(
    store: str | None = StoreOption,
    fmt: Format = typer.Option(
        Format.table, "--format", "-f", case_sensitive=False, help="table, json, csv or markdown."
    ),
    include_confidential: bool = ConfidentialOption,
) -> None:
    """Count actors, initiatives and relationships, by kind and type.

    JSON has integer fields `actors`, `initiatives`, `relationships`, `countries`
    and the breakdowns (as `GET /api/stats`). Confidential relationships are not
    counted unless --include-confidential is given.
    """
    with store_from(store) as s:
        data = read_stats(s, include_confidential=include_confidential)
    if fmt == Format.json:
        typer.echo(json.dumps(data, indent=2))
        return
    pad = "  " if fmt == Format.table else ""
    rows = [
        {"what": "actors", "count": data["actors"]},
        *({"what": f"{pad}{k}", "count": v} for k, v in data["actors_by_kind"].items()),
        {"what": "initiatives", "count": data["initiatives"]},
        *({"what": f"{pad}{k}", "count": v} for k, v in data["initiatives_by_kind"].items()),
        {"what": "relationships", "count": data["relationships"]},
        *({"what": f"{pad}{k}", "count": v} for k, v in data["relationships_by_type"].items()),
        {"what": "countries", "count": data["countries"]},
    ]
    typer.echo(render(rows, fmt, title=f"Graph in {s.uri}"))


def _parse_param(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise typer.BadParameter(f"expected KEY=VALUE, got {text!r}", param_hint="--param")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key, value


@app.command()
def query(
    cypher: str = typer.Argument(..., help="A read-only Cypher query."),
    param: list[str] = typer.Option(
        [],
        "--param",
        "-p",
        help="KEY=VALUE; VALUE is parsed as JSON when it can be (42, true, [1,2]).",
    ),
    store: str | None = StoreOption,
    fmt: Format = typer.Option(
        Format.table, "--format", "-f", case_sensitive=False, help="table, json, csv or markdown."
    ),
    timeout_ms: int = typer.Option(DEFAULT_QUERY_TIMEOUT_MS, "--timeout-ms", help="Time limit."),
) -> None:
    """Run a read-only Cypher query. The database itself refuses writes.

    Example: scn-graph query "MATCH (c:City {id: $id})--(x) RETURN x.name" --param id=london
    """
    params = dict(_parse_param(p) for p in param)
    with store_from(store) as s:
        try:
            res = s.run(cypher, params, read_only=True, timeout_ms=timeout_ms)
        except (ReadOnlyViolation, QueryTimeout) as exc:
            typer.secho(f"error: {exc}", err=True, fg="red")
            raise typer.Exit(1) from exc
    rows = res.dicts()
    typer.echo(render(rows, fmt, columns=res.columns))
