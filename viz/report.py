"""The report page: the gap analysis in charts and tables beside the network.

One self-contained, printable HTML page with

* counts of findings by type, by country and by severity (inline SVG charts);
* per-country coverage ratios of the cities (`graph.analysis.coverage.coverage`):
  three static SVG maps (`viz.geo.figure`; the first with the gap findings per
  country), then the table;
* the top brokers and the single points of failure (articulation points and
  bridges whose loss cuts cities off);
* the top recommended partnerships: the recommendations (from the analysis
  service's cache when `viz.service` passes its `recommend`, `recommend()` on
  `G` otherwise) for the `REC_ACTORS` actors with the most high-severity
  findings (then the most links), the best `REC_PER_ACTOR` each, the
  `REC_SHOWN` best overall, a pair listed once; then the ties those
  `REC_ACTORS` actors already have planned or proposed (not recommended: in
  progress);
* the whole network (the same interactive view as `scn-graph viz`, capped or
  aggregated the same way);
* the full findings table, sortable and filterable (the first
  `MAX_FINDING_ROWS` rows when there are more, and the page says so);
* the gap catalogue: what each type means and how its severity is set;
* with `since`, "Since revision N (date)": the gaps closed, new and persisting
  since that revision and a chart of the findings per revision (`viz.since`).

The summary says in words which gap types were not assessed and why (the
graph lacks the kinds they ask about; `graph.analysis.applicability`), and
whether only stated records were analysed (`basis="stated"`); a finding that
rests on inferred records says which, in its row.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

import networkx as nx

from graph import schema
from graph.analysis.gaps import subjects_are_countries
from viz import charts
from viz.findings import find_findings
from viz.geo.figure import coverage_map
from viz.geo.measures import MEASURES
from viz.network import MAX_NODES, Page, render_view
from viz.since import SinceSection, section_context
from viz.style import kind_style
from viz.templates import environment, static_text
from viz.views import country_label, select_view

REC_ACTORS = 15
REC_PER_ACTOR = 3
REC_SHOWN = 20
MAX_FINDING_ROWS = 2000
COUNTRY_BARS = 15
TOP = 10

#: The ranked partners of one actor, at most `limit`, and its planned or proposed ties, as
#: `RecommendationSet.to_dict()` (`items`, `pending`): ``recommend(actor_id, limit)``;
#: raises KeyError when the id is no actor.
Recommender = Callable[[str, int], dict[str, Any]]

_SEV = schema.Severity
SEVERITY_COLOURS = {
    _SEV.HIGH.value: "#d62728",
    _SEV.MEDIUM.value: "#ff7f0e",
    _SEV.LOW.value: "#9aa3b2",
}
#: Sort rank of each severity in the findings table (the schema's order, most urgent first).
SEVERITY_RANK = {s: rank for rank, s in enumerate(schema.SEVERITIES)}
FAMILY_COLOURS = {
    "vertical": "#e07b00",
    "horizontal": "#2f6db5",
    "cso": "#2ca02c",
    "private": "#ff7f0e",
    "me": "#8c564b",
    "local": "#17becf",
    "theme": "#9467bd",
}


def render_report(
    G: nx.MultiDiGraph,
    *,
    findings: Sequence[Any] | None = None,
    structure: dict[str, Any] | None = None,
    recommendations: list[dict[str, Any]] | None = None,
    recommend: Recommender | None = None,
    size_by: str = "degree",
    max_nodes: int = MAX_NODES,
    large: str = "auto",
    title: str = "Partnership gap report",
    expand_url: str | None = None,
    country_url: str | None = None,
    not_assessed: Sequence[Any] | None = None,
    basis: str = "any",
    since: SinceSection | None = None,
) -> Page:
    """The report page for graph `G` (analyses computed here unless given).

    `recommend` gives one actor's recommendations for `top_recommendations` (the
    analysis service's, cached, from `viz.service`); `recommend()` on `G` by default.
    `not_assessed` lists the gap types not assessed (computed on `G` when None);
    `basis` is what `G` holds ("stated": its inferred records were left out).
    `since` adds the section "Since revision N (date)" (`viz.since`).
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    if findings is None:
        findings = find_findings(G)
    timings["gaps"] = round(time.perf_counter() - t, 4)
    from graph.analysis.gaps import GAP_TYPES, summarise
    from graph.analysis.gaps import not_assessed as find_not_assessed

    if not_assessed is None:
        not_assessed = find_not_assessed(G)
    summary = summarise(findings)
    t = time.perf_counter()
    if structure is None:
        from graph.analysis.structure import metrics

        structure = metrics(G, top=TOP)
    timings["structure"] = round(time.perf_counter() - t, 4)
    t = time.perf_counter()
    pending: list[dict[str, Any]] = []
    if recommendations is None:
        recommendations, pending = top_recommendations(G, findings, recommend=recommend)
    timings["recommendations"] = round(time.perf_counter() - t, 4)

    names = {n: d.get("name", n) for n, d in G.nodes(data=True)}
    env = environment()
    # the type chart's zero bar of a type not assessed says why it is zero
    skipped = {n.type for n in not_assessed}
    shown_types = {
        t: replace(g, title=f"{g.title} (not assessed)") if t in skipped else g
        for t, g in GAP_TYPES.items()
    }
    ctx = _context(G, findings, summary, structure, recommendations, shown_types, names)
    ctx["pending"] = pending
    ctx.update(_assessment(not_assessed, names, ctx["rows"], basis))
    ctx["since"] = (
        section_context(since, lambda f: finding_row(f, names, shown_types)) if since else None
    )
    before = env.get_template("report_top.html.j2").render(**ctx)
    after = env.get_template("report_bottom.html.j2").render(**ctx)
    vg = select_view(G, "network")
    vg.description = (
        "Partnership gaps found in the graph, the structure of the network, and what to do next."
    )
    page = render_view(
        vg,
        findings=findings,
        size_by=size_by,
        max_nodes=max_nodes,
        large=large,
        expand_url=expand_url,
        country_url=country_url,
        page_title=title,
        before=before,
        after=after,
        extra_css=static_text("report.css"),
        extra_js=static_text("report.js"),
        mode_label="report",
    )
    page.view = "report"
    page.timings.update(timings)
    page.timings["total"] = round(time.perf_counter() - started, 4)
    return page


class Recommended(NamedTuple):
    """The report's recommendations, and the ties already in progress of the actors
    they are for."""

    rows: list[dict[str, Any]]
    pending: list[dict[str, Any]]


def top_recommendations(
    G: nx.MultiDiGraph,
    findings: Sequence[Any],
    *,
    recommend: Recommender | None = None,
    actors: int = REC_ACTORS,
    per_actor: int = REC_PER_ACTOR,
    shown: int = REC_SHOWN,
) -> Recommended:
    """The best partner suggestions for the actors with the most pressing gaps, each
    actor's from `recommend` (`recommend()` on `G` when None); and the planned or
    proposed ties of those actors (never recommended, since they are in progress:
    listed so they are followed up), at most `per_actor` each, most committed first,
    a pair listed once."""
    recommend = recommend or _recommender(G)
    high: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for f in findings:
        for s in f.subjects:
            if s in G and G.nodes[s].get("family") == schema.ACTOR:
                total[s] += 1
                if f.severity == "high":
                    high[s] += 1
    ranked = sorted(total, key=lambda a: (-high[a], -total[a], -G.degree(a), str(a)))
    rows: list[dict[str, Any]] = []
    pending: dict[str, list[dict[str, Any]]] = {}
    for a in ranked[:actors]:
        try:
            found = recommend(a, per_actor)
        except KeyError:
            continue
        about = {"actor": a, "actor_name": G.nodes[a].get("name", a)}
        rows += [{**about, "actor_kind": G.nodes[a].get("kind"), **d} for d in found["items"]]
        pending[a] = [{**about, **p} for p in found["pending"][:per_actor]]
    rows.sort(key=lambda r: (-float(r["score"]), str(r["actor"]), str(r["partner"])))
    seen: set[frozenset[str]] = set()
    out = []
    for r in rows:
        pair = frozenset((str(r["actor"]), str(r["partner"])))
        if pair in seen:
            continue
        seen.add(pair)
        out.append(r)
        if len(out) >= shown:
            break
    # every ranked actor's ties in progress (one with no candidate left may have only
    # those), each pair once
    ties, pairs = [], set()
    for p in (p for found in pending.values() for p in found):
        if (pair := frozenset((str(p["actor"]), str(p["partner"])))) not in pairs:
            pairs.add(pair)
            ties.append(p)
    return Recommended(out, ties)


def _recommender(G: nx.MultiDiGraph) -> Recommender:
    """`recommend()` on `G`, for a report drawn without the analysis service."""
    from graph.analysis.recommend import recommendation_set

    return lambda actor_id, limit: recommendation_set(G, actor_id, limit=limit).to_dict()


def _context(
    G: nx.MultiDiGraph,
    findings: Sequence[Any],
    summary: dict[str, Any],
    structure: dict[str, Any],
    recommendations: list[dict[str, Any]],
    gap_types: dict[str, Any],
    names: dict[str, Any],
) -> dict[str, Any]:
    kinds = Counter(d.get("kind") for _, d in G.nodes(data=True))
    actors = sum(k for kind, k in kinds.items() if kind in schema.ACTOR_KINDS)
    initiatives = sum(k for kind, k in kinds.items() if kind in schema.INITIATIVE_KINDS)
    countries = {d.get("country") for _, d in G.nodes(data=True) if d.get("country")}
    rel_status = Counter(d.get("status") for _, _, d in G.edges(data=True))

    type_bars = [
        charts.Bar(
            gap_types[t].title if t in gap_types else t,
            k,
            FAMILY_COLOURS.get(t.split(".")[0], "#777777"),
            t,
        )
        for t, k in summary["by_type"].items()
    ]
    by_country = list(summary["by_country"].items())
    country_bars = [
        charts.Bar(_country_text(c), k, "#5b84b1", c) for c, k in by_country[:COUNTRY_BARS]
    ]
    if len(by_country) > COUNTRY_BARS:
        rest = by_country[COUNTRY_BARS:]
        country_bars.append(
            charts.Bar(f"{len(rest)} other countries", sum(k for _, k in rest), "#b0b8c6")
        )
    sev_bars = [
        charts.Bar(s, k, SEVERITY_COLOURS.get(s, "#777777"))
        for s, k in summary["by_severity"].items()
    ]

    coverage_rows = sorted(
        structure.get("coverage", {}).items(), key=lambda kv: (-kv[1]["cities"], kv[0])
    )
    spof = structure.get("single_points_of_failure", {})
    rows = [finding_row(f, names, gap_types) for f in findings[:MAX_FINDING_ROWS]]
    return {
        "summary": summary,
        "counts": {
            "actors": actors,
            "initiatives": initiatives,
            "relationships": G.number_of_edges(),
            "active": rel_status.get(schema.Status.ACTIVE.value, 0),
            "planned": rel_status.get(schema.Status.PLANNED.value, 0),
            "countries": len(countries),
            "cities": kinds.get("city", 0),
        },
        "type_chart": charts.bar_chart(type_bars, title="Findings by gap type", label_width=330),
        "country_chart": charts.bar_chart(
            country_bars, title="Findings by country", label_width=200
        ),
        "severity_chart": charts.bar_chart(sev_bars, title="Findings by severity", label_width=80),
        "coverage": [(c, _country_text(c), v) for c, v in coverage_rows],
        "coverage_maps": coverage_figures(
            structure.get("coverage", {}), summary["by_country"], countries
        ),
        "share_bar": charts.share_bar,
        "brokers": structure.get("brokers", []),
        "betweenness_method": structure.get("betweenness_method", {}),
        "graph_section": structure.get("graph", {}),
        "communities": structure.get("communities", {}),
        "articulation_points": spof.get("articulation_points", []),
        "articulation_total": spof.get("articulation_points_total", 0),
        "bridges": spof.get("bridges", []),
        "bridges_total": spof.get("bridges_total", 0),
        "recommendations": recommendations,
        "rows": rows,
        "total_findings": len(findings),
        "max_rows": MAX_FINDING_ROWS,
        "gap_types": list(gap_types.values()),
        "names": names,
        "kind_label": lambda k: _kind_label(k),
        "country_text": _country_text,
    }


def coverage_figures(
    cov: dict[str, Any], findings_by_country: dict[str, int], countries: set[str]
) -> list[dict[str, Any]]:
    """The coverage maps (`viz.geo.figure`): one per measure, the first with the gap
    findings per country; none when no city has a country."""
    if not cov:
        return []
    gaps = {c: k for c, k in findings_by_country.items() if c != "none"}
    return [
        {
            "measure": m.name,
            "caption": m.title + (", and gap findings by country" if first else ""),
            "svg": coverage_map(
                cov, measure=m.name, gaps_by_country=gaps if first else None, countries=countries
            ),
        }
        for first, m in ((i == 0, m) for i, m in enumerate(MEASURES.values()))
    ]


def finding_row(f: Any, names: dict[str, Any], gap_types: dict[str, Any]) -> dict[str, Any]:
    """A findings table row: the finding, its subjects by name, its type's title, its rank."""
    subj = [
        str(names.get(s, country_label(s) if subjects_are_countries(f) else s)) for s in f.subjects
    ]
    return {
        "f": f,
        "subjects": "; ".join(subj),
        "title": gap_types[f.type].title if f.type in gap_types else f.type,
        "sev_rank": SEVERITY_RANK.get(f.severity, len(SEVERITY_RANK)),
    }


def _assessment(
    not_assessed: Sequence[Any], names: dict[str, Any], rows: list[dict[str, Any]], basis: str
) -> dict[str, Any]:
    """What the report says about its own reach: the types not assessed (in words), the
    inferred records each shown finding rests on (by name, set on its row), and the basis
    analysed."""
    from graph.analysis.gaps import not_assessed_text

    for r in rows:
        r["inferred"] = inferred_words(r["f"].inferred, names) if r["f"].inferred else ""
    return {
        "not_assessed": [
            {"type": n.type, "reason": n.reason, "text": not_assessed_text(n)} for n in not_assessed
        ],
        "not_assessed_types": {n.type: n.reason for n in not_assessed},
        "stated_only": basis == "stated",
    }


def inferred_words(records: Sequence[str], names: dict[str, Any]) -> str:
    """The inferred records a finding rests on, by name: "ACT, London PARTNERS_WITH CST"."""

    def one(record: str) -> str:
        parts = record.split(" ")
        if len(parts) == 3:
            return f"{names.get(parts[0], parts[0])} {parts[1]} {names.get(parts[2], parts[2])}"
        return str(names.get(record, record))

    return ", ".join(one(r) for r in records)


def _country_text(code: Any) -> str:
    if not code or code == "none":
        return "No country"
    return f"{country_label(str(code))} ({code})"


def _kind_label(kind: Any) -> str:
    return kind_style(kind).label
