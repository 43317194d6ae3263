"""`gaps`, `recommend` and `metrics`: the analyses, from the command line.

They ask the analysis service the API and the pages use
(`graph.analysis.service`), with the same visibility rule: confidential
relationships are left out unless `--include-confidential` is given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import networkx as nx
import typer

from cli.context import BasisOption, ConfidentialOption, StoreOption, analysis_from
from cli.inputs import CountryOption, country_note, fail, lower_case, lower_cases
from cli.inputs import actor_id as resolve_actor
from cli.main import app
from cli.output import Format, echo_pieces, render, table_in_pieces
from graph.analysis.service import AnalysisService
from graph.history.compare import GapChanges
from graph.history.service import Filters, HistoryService
from graph.schema import SEVERITIES

if TYPE_CHECKING:
    from graph.analysis.findings import Finding

SEVERITY_HELP = f"{', '.join(SEVERITIES[:-1])} or {SEVERITIES[-1]}."

FINDING_COLUMNS = [
    "severity",
    "type",
    "country",
    "subjects",
    "explanation",
    "suggestion",
    "mitigation",
    "basis",
]
#: CSV keeps the inferred records in a column of their own.
CSV_COLUMNS = [*FINDING_COLUMNS, "inferred"]


@app.command()
def gaps(
    type_: list[str] = typer.Option(
        [],
        "--type",
        "-t",
        callback=lower_cases,
        help="Only this gap type (repeatable), e.g. cso.no_cso_partner.",
    ),
    country: str | None = CountryOption,
    severity: str | None = typer.Option(
        None, "--severity", "-s", callback=lower_case, help=SEVERITY_HELP
    ),
    fmt: Format = typer.Option(
        Format.table,
        "--format",
        "-f",
        case_sensitive=False,
        help='table, json ({"findings": [...], "not_assessed": [...]}), csv or markdown.',
    ),
    summary: bool = typer.Option(False, "--summary", help="Counts by type, country, severity."),
    at: int | None = typer.Option(
        None, "--at", metavar="REV", help="The findings as of revision REV (see `history`)."
    ),
    since: int | None = typer.Option(
        None,
        "--since",
        metavar="REV",
        help="The gaps closed, new and persisting since revision REV "
        '(json: {"closed": [...], "new": [...], "persisting": [...]}).',
    ),
    basis: str = BasisOption,
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """List the partnership gaps, ranked by severity, each explained with a next step.

    Confidential relationships are left out unless --include-confidential is given.
    A finding that rests on an inferred record says so (basis); a gap type the graph
    lacks the needed kinds for is not assessed, and the output says why.
    --at REV lists them as of a past revision, --since REV what changed since
    (a gap is the same one when its type and subjects are). Gap types and how each
    is computed: docs/gaps.md; revisions: docs/history.md.
    """
    from graph.analysis.gaps import summarise

    if at is not None and since is not None:
        raise fail("give --at or --since, not both")
    if since is not None and summary:
        raise fail("--summary counts the findings of one revision: use it without --since")
    filters = Filters(tuple(type_), country, severity)
    view = {"include_confidential": include_confidential, "basis": basis}
    with analysis_from(store) as analysis:
        try:
            if since is not None:
                changes = HistoryService(analysis).since(since, filters=filters, **view)
                typer.echo(gaps_since_text(changes, fmt, since))
                return
            findings, skipped, G = _findings_at(analysis, at, filters, **view)
        except ValueError as exc:  # an unknown type, severity or revision, named
            raise fail(str(exc)) from exc
        empty = country_note(G, country)
    if empty and (summary or fmt in (Format.json, Format.csv)):
        typer.echo(f"note: {empty}", err=True)  # the table's and markdown's title say it
    if summary:
        counts = summarise(findings, skipped)
        typer.echo(
            json.dumps(counts, indent=2) if fmt == Format.json else "\n".join(summary_lines(counts))
        )
        return
    echo_pieces(findings_pieces(findings, skipped, fmt, empty))


def _findings_at(
    analysis: AnalysisService,
    at: int | None,
    filters: Filters,
    *,
    include_confidential: bool,
    basis: str,
) -> tuple[list, list, nx.MultiDiGraph]:
    """The findings, the types not assessed and the graph analysed: today's, or as of
    revision `at`."""
    view = {"include_confidential": include_confidential, "basis": basis}
    if at is None:
        found = analysis.gaps(
            types=filters.types, country=filters.country, severity=filters.severity, **view
        )
        skipped = analysis.not_assessed(types=filters.types, **view)
        return found, skipped, analysis.graph(include_confidential=include_confidential)
    hist = HistoryService(analysis)
    found = hist.findings_at(at, filters=filters, **view)
    skipped = hist.not_assessed_at(at, types=filters.types, **view)
    return found, skipped, hist.graph_at(at, include_confidential=include_confidential)


def gaps_since_text(changes: GapChanges, fmt: Format, since: int) -> str:
    """The gaps closed, new and persisting since revision `since`: JSON with those three
    keys, a table or a markdown section each, or one CSV table with a `change` column."""
    from graph.history.compare import GROUPS

    if fmt == Format.json:
        return json.dumps(changes.to_dict(), indent=2, ensure_ascii=False)
    if fmt == Format.csv:
        rows = [
            {"change": g, **f.to_dict(), "inferred": list(f.inferred)}
            for g in GROUPS
            for f in getattr(changes, g)
        ]
        return render(rows, fmt, columns=["change", *CSV_COLUMNS])
    parts = []
    for g in GROUPS:
        found = getattr(changes, g)
        parts.append(findings_table(found, fmt, f"{len(found)} {g} since revision {since}"))
    return "\n\n".join(parts)


def findings_pieces(
    findings: list, skipped: list, fmt: Format, empty: str | None = None
) -> Iterator[str]:
    """The findings in `fmt`, and the types not assessed (JSON keys, or in words);
    `empty` ("no actor in Denmark (DK)") is said in the title. In pieces, the table's
    a few hundred rows each, for `echo_pieces` to write as they come."""
    from graph.analysis.gaps import not_assessed_text

    if fmt == Format.json:
        value = {
            "findings": [f.to_dict() for f in findings],
            "not_assessed": [n.to_dict() for n in skipped],
        }
        yield json.dumps(value, indent=2, ensure_ascii=False)
        return
    if fmt == Format.csv:
        # CSV stays one table; the types not assessed go to stderr, in words
        for n in skipped:
            typer.echo(not_assessed_text(n), err=True)
        rows = [{**f.to_dict(), "inferred": list(f.inferred)} for f in findings]
        yield render(rows, fmt, columns=CSV_COLUMNS)
        return
    title = f"{len(findings)} gaps" + (f": {empty}" if empty else "")
    yield from findings_table_pieces(findings, fmt, title)
    if skipped:
        head = "### Not assessed" if fmt == Format.markdown else "Not assessed:"
        bullet = "- " if fmt == Format.markdown else "  "
        yield "\n".join(["", "", head, *(bullet + not_assessed_text(n) for n in skipped)])


def findings_table(findings: list, fmt: Format, title: str) -> str:
    """The findings' FINDING_COLUMNS as a table or in markdown, the basis in words."""
    return "".join(findings_table_pieces(findings, fmt, title))


def findings_table_pieces(findings: list, fmt: Format, title: str) -> Iterator[str]:
    """`findings_table` in pieces (a table's of a few hundred rows each)."""
    from graph.analysis.gaps import basis_text

    if fmt == Format.table:  # the cells straight from the findings: no dict per finding
        yield from table_in_pieces(
            [finding_cells(f) for f in findings], FINDING_COLUMNS, title=title
        )
        return
    rows = [{**f.to_dict(), "basis": basis_text(f)} for f in findings]
    yield render(rows, fmt, columns=FINDING_COLUMNS, title=title)


def finding_cells(f: Finding) -> list[str]:
    """A finding's FINDING_COLUMNS as `render` writes them from its `to_dict()` with
    the basis in words."""
    from graph.analysis.gaps import basis_text

    return [
        f.severity,
        f.type,
        f.country or "",
        ", ".join(f.subjects),
        f.explanation,
        f.suggestion,
        f.mitigation or "",
        basis_text(f),
    ]


def summary_lines(summary: dict) -> list[str]:
    from graph.analysis.applicability import NotAssessed
    from graph.analysis.gaps import not_assessed_text

    lines = [f"{summary['total']} gaps"]
    for key in ("by_severity", "by_type", "by_country"):
        lines.append(f"{key.replace('_', ' ')}:")
        lines += [f"  {k:<42} {v:>6}" for k, v in summary[key].items()]
    skipped = summary.get("not_assessed") or []
    if skipped:
        lines.append("not assessed:")
        lines += [f"  {not_assessed_text(NotAssessed(**n))}" for n in skipped]
    return lines


@app.command()
def recommend(
    actor: str = typer.Argument(
        ..., help="The actor to find partners for: its id or exact name, e.g. london."
    ),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=100),
    fmt: Format = typer.Option(
        Format.table,
        "--format",
        "-f",
        case_sensitive=False,
        help="table, json ({actor, actor_name, items, pending}, as the API), csv or markdown.",
    ),
    basis: str = BasisOption,
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """Rank candidate partners for an actor, each score shown with its components.

    Actors it already has any tie with are never recommended; those with a proposed
    or planned tie are listed as "already planned" / "already proposed".
    Confidential relationships are left out unless --include-confidential is given.
    How the score is computed: docs/recommendations.md.
    """
    with analysis_from(store) as analysis:
        actor_id = resolve_actor(analysis.store, actor)
        try:
            result = analysis.recommendations(
                actor_id, limit=limit, include_confidential=include_confidential, basis=basis
            )
        except KeyError:  # stored, but left out of the graph analysed (--basis stated)
            raise fail(
                f"{actor_id} rests on an inferred record, and --basis stated "
                "analyses stated records only"
            ) from None
    if fmt == Format.json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    typer.echo(
        render(
            recommendation_rows(result, line_break="<br>" if fmt == Format.markdown else "\n"),
            fmt,
            columns=RECOMMENDATION_COLUMNS,
            title=recommendation_title(result),
        )
    )


RECOMMENDATION_COLUMNS = ["partner", "name", "kind", "country", "score", "status", "why"]


def recommendation_title(result: dict) -> str:
    """ "Partners for London (london): 3 recommended, 1 already planned or proposed"."""
    head = f"Partners for {result['actor_name']} ({result['actor']}): "
    head += f"{len(result['items'])} recommended"
    if result["pending"]:
        head += f", {len(result['pending'])} already planned or proposed"
    return head


def recommendation_rows(result: dict, *, line_break: str) -> list[dict]:
    """The recommendations (each component's score and reason on a line of `why`), then
    the pending ties (status "already planned" / "already proposed")."""
    rows = [
        {
            **{k: r[k] for k in ("partner", "name", "kind", "country", "score")},
            "status": "recommended",
            "why": line_break.join(f"{c['score']:g} {c['reason']}" for c in r["components"]),
        }
        for r in result["items"]
    ]
    rows += [
        {
            **{k: p[k] for k in ("partner", "name", "kind", "country")},
            "score": None,
            "status": f"already {p['status']}",
            "why": p["reason"],
        }
        for p in result["pending"]
    ]
    return rows


@app.command()
def metrics(
    country: str | None = CountryOption,
    top: int = typer.Option(10, "--top", min=1, max=100, help="How many brokers etc. to list."),
    fmt: Format = typer.Option(
        Format.table,
        "--format",
        "-f",
        case_sensitive=False,
        help="table or json (the full figures).",
    ),
    basis: str = BasisOption,
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """Network structure: brokers, single points of failure, communities, per-country coverage.

    Confidential relationships are left out unless --include-confidential is given.
    """
    if fmt not in (Format.table, Format.json):
        typer.secho("error: metrics prints --format table or json", err=True, fg="red")
        raise typer.Exit(2)
    with analysis_from(store) as analysis:
        # of the whole graph: links abroad count towards a country's coverage
        data = analysis.metrics(
            country=country, top=top, include_confidential=include_confidential, basis=basis
        )
        empty = country_note(analysis.graph(include_confidential=include_confidential), country)
    if fmt == Format.json:
        if empty:
            typer.echo(f"note: {empty}", err=True)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    g = data["graph"]
    typer.echo(
        (f"{empty}: " if empty else "")
        + f"{g['nodes']} actors, {g['edges']} links, {g['components']} components, "
        f"density {g['density']:.4f}"
    )
    method = data["betweenness_method"]
    how = "exact" if method.get("exact") else f"sampled (k={method.get('sample_size')})"
    typer.echo(
        render(
            data["brokers"],
            Format.table,
            columns=["id", "name", "kind", "country", "betweenness"],
            title=f"Brokers (betweenness, {how}, {method.get('engine')})",
        )
    )
    spof = data["single_points_of_failure"]
    nodes = [
        {**p, "example_cities": [c["name"] for c in p.get("example_cities", [])]}
        for p in spof["articulation_points"]
    ]
    typer.echo(
        render(
            nodes,
            Format.table,
            columns=["id", "name", "kind", "country", "cities_cut_off", "example_cities"],
            title=f"Single points of failure ({spof['articulation_points_total']} in all)",
        )
    )
    com = data["communities"]
    typer.echo(
        f"Communities ({com.get('algorithm')}, {com.get('engine')}): {com.get('count')}, "
        f"modularity {com.get('modularity') or 0:.2f}; {com.get('crossing_links')} links cross "
        "between them"
    )
    cov = [{"country": cc, **vals} for cc, vals in sorted(data["coverage"].items())]
    typer.echo(render(cov, Format.table, title="Coverage by country"))
