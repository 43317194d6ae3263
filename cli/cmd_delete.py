"""`delete`: remove actors or initiatives (with their relationships) or one relationship,
as one revision."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer

from cli.context import StoreOption, store_from
from cli.main import app

#: The `source` of the revisions `delete` makes.
DELETE_SOURCE = "delete"


class DeleteFormat(StrEnum):
    text = "text"
    json = "json"


def _confirmed(count: int, yes: bool) -> bool:
    """Several ids need --yes, or a yes at the terminal; without a terminal to ask,
    the command refuses rather than guess."""
    if yes or count <= 1:
        return True
    if not sys.stdin.isatty():
        typer.secho(
            f"error: deleting {count} actors or initiatives needs --yes (there is no "
            "terminal to ask); check first with --dry-run. Nothing was deleted.",
            err=True,
            fg="red",
        )
        raise typer.Exit(1)
    return typer.confirm(f"Delete these {count} actors or initiatives?", default=False)


@app.command(no_args_is_help=True)
def delete(
    ids: list[str] = typer.Argument(
        None,
        metavar="[ID...]",
        help="Ids of the actors or initiatives to delete.",
        show_default=False,
    ),
    relationship: tuple[str, str, str] | None = typer.Option(
        None,
        "--relationship",
        metavar="SOURCE TYPE TARGET",
        help="Delete this one relationship (its two ends stay).",
        show_default=False,
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List what would be deleted; delete nothing."
    ),
    yes: bool = typer.Option(
        False, "--yes", help="Delete several ids without asking (needed when no terminal can ask)."
    ),
    fmt: DeleteFormat = typer.Option(
        DeleteFormat.text, "--format", case_sensitive=False, help="text, or json."
    ),
    store: str | None = StoreOption,
) -> None:
    """Delete actors or initiatives with all their relationships, or one relationship.

    Everything is checked first: an unknown id, a missing relationship, or an actor
    that is kept but names a deleted city as its `city` stops the command (exit
    code 1) and nothing is deleted. The rest goes in one transaction, recorded as
    one revision (source `delete`; docs/history.md), and every record deleted is
    listed by id and name. One id needs no confirmation; several are confirmed at
    the terminal, or with --yes (without a terminal the command refuses unless
    --yes is given).

    Examples:

      scn-graph delete leeds-roots --dry-run

      scn-graph delete old-cso other-cso --yes

      scn-graph delete --relationship leeds PARTNERS_WITH bradford
    """
    from graph.edits import plan_delete, removal_lines, remove
    from graph.history.read import latest_revision
    from graph.history.record import current_user

    rels = [relationship] if relationship and relationship[0] is not None else []
    if not ids and not rels:
        typer.secho("error: give ids to delete, or --relationship", err=True, fg="red")
        raise typer.Exit(2)
    with store_from(store) as s:
        removal, problems = plan_delete(s, ids or [], rels)
        for p in problems:
            typer.secho(f"error: {p}", err=True, fg="red")
        if problems:
            typer.secho("Nothing was deleted.", err=True, fg="red")
            raise typer.Exit(1)
        revision = None
        if not dry_run:
            if not _confirmed(len(removal.nodes), yes):
                typer.echo("Nothing was deleted.")
                raise typer.Exit(1)
            remove(s, removal, who=current_user(), source=DELETE_SOURCE)
            revision = latest_revision(s)
    listing = removal.listing()
    if fmt == DeleteFormat.json:
        out = {"dry_run": dry_run, "revision": revision, "removals": listing}
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    head = "Dry run — nothing deleted. Would delete:" if dry_run else "Deleted:"
    typer.echo(f"{head} {len(removal.nodes)} node(s), {len(removal.relationships)} relationship(s)")
    for line in removal_lines(listing):
        typer.echo(line)
    if revision is not None:
        typer.echo(f"Revision {revision}.")
