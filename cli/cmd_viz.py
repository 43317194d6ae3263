"""`viz` and `report`: the network pages and the gap report as self-contained HTML files.

Both go through `viz.service`, which takes the analyses from the analysis
service (`graph.analysis.service`) with the command's visibility.

`viz`'s `--view` choices and its view flags (`--country`, `--actor`,
`--depth`, ...) come from the page-view registry (`viz.views.VIEWS`) through
`cli.view_flags`, so a view with a new option needs no change here.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from cli.context import BasisOption, ConfidentialOption, StoreOption, store_from
from cli.main import app
from cli.view_flags import chosen_view, options_of, view_choices, view_help, with_view_flags

#: The views `--view` offers: the names of the registry `viz.views.VIEWS`.
View = view_choices()
VIEW_HELP = view_help()


class SizeBy(StrEnum):
    degree = "degree"
    betweenness = "betweenness"


class Large(StrEnum):
    auto = "auto"
    aggregate = "aggregate"
    top = "top"


class LayoutName(StrEnum):
    auto = "auto"
    force = "force"
    geo = "geo"


def _max_nodes_option() -> int:
    from viz.network import HARD_MAX_NODES, MAX_NODES

    return typer.Option(
        MAX_NODES,
        "--max-nodes",
        min=1,
        max=HARD_MAX_NODES,
        help="Most nodes drawn one by one; a bigger view is aggregated or cut (see --large).",
    )


SizeByOption = typer.Option(
    SizeBy.degree, "--size-by", case_sensitive=False, help="degree or betweenness."
)

LargeOption = typer.Option(
    Large.auto,
    "--large",
    case_sensitive=False,
    help="When a view has more than --max-nodes nodes: aggregate (one node per country), "
    "top (the top N by --size-by), or auto (aggregate the network view, top-N otherwise). "
    "The cities view is drawn whole with WebGL unless aggregate or top is asked for.",
)


def _done(page, out: Path) -> None:  # type: ignore[no-untyped-def]
    out.parent.mkdir(parents=True, exist_ok=True)
    page.write(out)
    what = {
        "full": "",
        "top": f" (top {page.node_count:,} of {page.source_nodes:,})",
        "aggregate": f" (aggregated: one node per country, from {page.source_nodes:,} nodes)",
    }.get(page.mode, "")
    typer.echo(
        f"Wrote {out}: {page.title} — {page.node_count:,} nodes, {page.edge_count:,} links"
        f"{what}, {page.size_bytes / 1e6:.1f} MB, {page.timings.get('total', 0):.1f} s."
    )
    for note in page.notes:
        typer.echo(f"  note: {note}")


@app.command()
@with_view_flags
def viz(
    output: Path = typer.Option(..., "--output", "-o", help="The HTML file to write."),
    view: str = "network",  # --view, from the registry: with_view_flags
    view_values: dict[str, Any] | None = None,  # one flag per view option: with_view_flags
    size_by: SizeBy = SizeByOption,
    max_nodes: int = _max_nodes_option(),
    large: Large = LargeOption,
    layout: LayoutName = typer.Option(
        LayoutName.auto,
        "--layout",
        case_sensitive=False,
        help="auto, force, or geo (cities by longitude/latitude).",
    ),
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """Write a network page: one HTML file that works offline and can be emailed.

    Nodes are coloured by kind and sized by --size-by; links are coloured by
    axis (vertical / horizontal) and dashed when cross-border; actors with gaps
    have a red ring; hovering names their findings, a click shows them in full
    beside the drawing. Labels never overlap: zoom in to name more nodes. The
    page has a legend, search and filters. The cities view is drawn whole with
    WebGL: every city and link, gap rings for the gap type you pick. Confidential
    relationships are left out (not drawn, not counted) unless
    --include-confidential is given. Details: docs/visualisation.md.
    """
    from viz.service import network_page
    from viz.views import ViewError

    given = view_values or {}
    chosen = chosen_view(view, given)
    options = options_of(chosen, given)
    with store_from(store) as s:
        typer.echo("Reading the graph and drawing…", err=True)
        try:
            page = network_page(
                s,
                view=chosen,
                options=options,
                size_by=size_by.value,
                include_confidential=include_confidential,
                max_nodes=max_nodes,
                large=large.value,
                layout_name=layout.value,
            )
        except ViewError as exc:
            typer.secho(f"error: {exc}", err=True, fg="red")
            # a value that names no country (422) is a usage error, as for every command
            raise typer.Exit(2 if exc.status == 422 else 1) from exc
    _done(page, output)


@app.command()
def report(
    output: Path = typer.Option(..., "--output", "-o", help="The HTML file to write."),
    size_by: SizeBy = SizeByOption,
    max_nodes: int = _max_nodes_option(),
    large: Large = LargeOption,
    basis: str = BasisOption,
    since: int | None = typer.Option(
        None,
        "--since",
        metavar="REV",
        help='Add a section "Since revision REV (date)": the gaps closed, new and '
        "persisting since, and a chart of the findings per revision.",
    ),
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """Write the gap report: charts, coverage, brokers, recommendations, network, all findings.

    One printable HTML file that works offline. Confidential relationships are left
    out unless --include-confidential is given. Details: docs/visualisation.md;
    revisions: docs/history.md.
    """
    from graph.history.checks import HistoryError
    from viz.service import report_page
    from viz.views import ViewError

    with store_from(store) as s:
        typer.echo("Reading the graph and analysing…", err=True)
        try:
            page = report_page(
                s,
                include_confidential=include_confidential,
                size_by=size_by.value,
                max_nodes=max_nodes,
                large=large.value,
                basis=basis,
                since=since,
            )
        except HistoryError as exc:
            typer.secho(f"error: --since: {exc}", err=True, fg="red")
            raise typer.Exit(2) from exc
        except ViewError as exc:
            typer.secho(f"error: {exc}", err=True, fg="red")
            raise typer.Exit(1) from exc
    _done(page, output)
