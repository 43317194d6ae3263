"""`history` and `diff`: the revisions of the graph, and what changed between two.

Every write is one revision (docs/history.md). Both commands apply the visibility
rule of every other read: without --include-confidential a relationship is never
shown while it was confidential, and a revision that only touched one counts nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from cli.context import ConfidentialOption, StoreOption, analysis_from, store_from
from cli.inputs import fail
from cli.main import app
from cli.output import Format, render
from graph.history.service import HistoryService

HISTORY_COLUMNS = ["id", "time", "who", "source", "nodes", "relationships", "countries"]
DIFF_COLUMNS = ["action", "record", "id", "properties"]


def _format_option(help: str) -> Any:
    return typer.Option(Format.table, "--format", "-f", case_sensitive=False, help=help)


def table_or_json(fmt: Format, command: str) -> None:
    """History commands print a table or JSON; refuse the other formats in words."""
    if fmt not in (Format.table, Format.json):
        raise fail(f"{command} prints --format table or json, not {fmt.value}")


@contextmanager
def history_from(store: str | None) -> Iterator[HistoryService]:
    """The history service over the command's store; a bad revision number is exit 2."""
    from graph.history.checks import HistoryError

    with analysis_from(store) as analysis:
        try:
            yield HistoryService(analysis)
        except HistoryError as exc:
            raise fail(str(exc)) from exc


def _counted(counts: dict[str, int], family: str) -> str:
    """ "+2 -0 ~1": added, removed and changed."""
    return " ".join(
        f"{sign}{counts[f'{family}_{action}']}"
        for sign, action in (("+", "added"), ("-", "removed"), ("~", "changed"))
    )


def history_rows(revisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per revision summary, its counts as "+added -removed ~changed"."""
    return [
        {
            **{k: r[k] for k in ("id", "time", "who", "source")},
            "nodes": _counted(r["counts"], "nodes"),
            "relationships": _counted(r["counts"], "relationships"),
            "countries": _counted(r["counts"], "countries"),
        }
        for r in revisions
    ]


@app.command()
def history(
    fmt: Format = _format_option(
        "table, or json: a list of revisions, each with id, time, who, source and counts."
    ),
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """List the revisions: every write (ingest, sync, delete, API edit, revert) is one.

    Counts are nodes, relationships and country names added (+), removed (-) and
    changed (~). Without --include-confidential a change to a confidential
    relationship is not counted. Details: docs/history.md.
    """
    table_or_json(fmt, "history")
    with history_from(store) as hist:
        revisions = hist.history(include_confidential=include_confidential)
    if fmt == Format.json:
        typer.echo(json.dumps(revisions, indent=2, ensure_ascii=False))
        return
    title = f"{len(revisions)} revisions" if revisions else "No revision recorded yet"
    typer.echo(render(history_rows(revisions), fmt, columns=HISTORY_COLUMNS, title=title))


def _words(props: dict[str, Any], changed: bool) -> str:
    if changed:
        return "; ".join(f"{k}: {v['before']!r} -> {v['after']!r}" for k, v in props.items())
    return "; ".join(f"{k}: {v!r}" for k, v in props.items() if k != "id")


#: Each part of a diff: its key, the word for one of its records, and the record's id.
_DIFF_PARTS: tuple[tuple[str, str, Callable[[dict[str, Any]], str]], ...] = (
    ("nodes", "node", lambda n: n["id"]),
    ("relationships", "relationship", lambda r: f"{r['source']} {r['type']} {r['target']}"),
    ("countries", "country", lambda c: c["code"]),
)


def diff_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per record added, removed or changed (nodes, relationships, then country
    names)."""
    return [
        {
            "action": action,
            "record": record,
            "id": id_of(entry),
            "properties": _words(entry["properties"], action == "changed"),
        }
        for action in ("added", "removed", "changed")
        for part, record, id_of in _DIFF_PARTS
        for entry in d[action][part]
    ]


@app.command()
def diff(
    start: int = typer.Argument(..., metavar="A", help="The older revision (0: the start)."),
    end: int = typer.Argument(..., metavar="B", help="The newer revision."),
    fmt: Format = _format_option(
        "table, or json: {from, to, added, removed, changed}, each "
        "{nodes, relationships, countries}."
    ),
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """Show what changed from revision A to revision B: nodes, relationships and
    country names added, removed and changed, with the changed properties before and
    after.

    A record added and removed again in between, or changed and changed back, is not
    listed. Without --include-confidential a relationship is left out while it was
    confidential. Details and the JSON shape: docs/history.md.
    """
    table_or_json(fmt, "diff")
    with history_from(store) as hist:
        d = hist.diff(start, end, include_confidential=include_confidential).to_dict()
    if fmt == Format.json:
        typer.echo(json.dumps(d, indent=2, ensure_ascii=False))
        return
    rows = diff_rows(d)
    title = f"Revision {start} to {end}: {len(rows)} records changed"
    typer.echo(render(rows, fmt, columns=DIFF_COLUMNS, title=title))


@app.command()
def revert(
    rev: int = typer.Argument(
        ..., metavar="REV", help="The revision to go back to (0: the start)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would change; write nothing."),
    fmt: Format = _format_option(
        "table, or json: {revision, dry_run, diff} (diff: as `diff` prints it, from the "
        "newest revision to REV)."
    ),
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """Bring the graph back to revision REV, as a new revision (source "revert").

    What later revisions added is removed; what they changed or removed is written back
    as it was at REV (with its sources then). Records no later revision touched stay as
    they are. The revert is itself a revision, so it can be reverted. The list of
    changes leaves out confidential relationships unless --include-confidential is
    given (they are reverted all the same). Details: docs/history.md.
    """
    from graph.history.checks import HistoryError
    from ingest.problems import ValidationFailed
    from ingest.revert import revert as revert_to

    table_or_json(fmt, "revert")
    with store_from(store) as s:
        try:
            done = revert_to(s, rev, dry_run=dry_run, include_confidential=include_confidential)
        except (HistoryError, ValidationFailed) as exc:
            raise fail(str(exc)) from exc
    d = done.diff.to_dict()
    if fmt == Format.json:
        value = {"revision": done.new_revision, "dry_run": dry_run, "diff": d}
        typer.echo(json.dumps(value, indent=2, ensure_ascii=False))
        return
    rows = diff_rows(d)
    if not done.plan:
        head = (
            f"Nothing to revert: the graph is as it was at revision {rev} "
            "(but for country names first given since, which a revert keeps)"
        )
    elif dry_run:
        head = f"Dry run — nothing written. Reverting to revision {rev} would change"
    else:
        head = f"Revision {done.new_revision}: reverted to revision {rev}, changing"
    title = head + (f" {len(rows)} records" if done.plan else "")
    typer.echo(render(rows, fmt, columns=DIFF_COLUMNS, title=title))
