"""A view too big to draw node by node, drawn as one node per country.

Each country node stands for all of that country's nodes in the view
(`viz.aggregate.by_country`), sized by its actors' relationships or by its
betweenness between countries; a link's width shows how many relationships
join two countries. Countries are placed at the average position of their
cities when enough of them have coordinates.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from graph.analysis.wording import counted
from viz import aggregate, layout, measure, style
from viz.drawing import Drawn, what_nodes
from viz.encode import country_edges, country_node
from viz.findings import findings_by_country
from viz.tooltips import country_title, group_label
from viz.views import ViewGraph

#: How much bigger the largest country node may be than the largest ordinary node.
COUNTRY_SIZE_BOOST = 1.3


def draw_countries(
    vg: ViewGraph,
    findings: Sequence[Any],
    *,
    size_by: str,
    max_nodes: int,
    layout_name: str,
    notes: list[str],
    timings: dict[str, float],
) -> Drawn:
    """The aggregated drawing of `vg`: countries as nodes, links between them by weight."""
    H = vg.graph
    groups, links = aggregate.by_country(H)
    codes = sorted(groups)
    sg = measure.SimpleGraph.from_pairs(
        codes, ((lk.a, lk.b) for lk in links), (lk.weight for lk in links)
    )
    values, method = _country_sizes(groups, links, sg, size_by)
    what = what_nodes(vg)
    links_text = counted(H.number_of_edges(), "link")
    notes.insert(
        0,
        f"This view has {H.number_of_nodes():,} {what} and {links_text}, more "
        f"than the {max_nodes:,} a page draws one by one without slowing the browser. Each node "
        f"here is a country (all its {what} in this view); a link's width shows how many "
        "relationships join two countries. Open one country to see its actors.",
    )
    t = time.perf_counter()
    pos, geo = _country_positions(groups, codes, sg, layout_name)
    if geo:
        notes.append("Countries are placed by the average position of their cities.")
    timings["layout"] = round(time.perf_counter() - t, 4)
    per_country, high = findings_by_country(findings, groups)
    sizes = measure.scale_sizes(values, style.MIN_SIZE, style.MAX_SIZE * COUNTRY_SIZE_BOOST)
    nodes = []
    for c in codes:
        g, found = groups[c], per_country.get(c)
        what_here = what_nodes(vg, g.nodes)
        title = country_title(
            g, what=what_here, size=values[c], size_by=size_by, found=found, high=high[c]
        )
        gaps = sum(found.values()) if found else 0
        nodes.append(
            country_node(
                c, group_label(c), g.nodes, title=title, size=sizes[c], gaps=gaps, pos=pos.get(c)
            )
        )
    types: Counter[str] = Counter()
    for lk in links:
        types.update(lk.types)
    for g in groups.values():
        types.update(g.internal)
    return Drawn(
        nodes,
        country_edges(links),
        "aggregate",
        notes,
        Counter({style.COUNTRY_KIND.kind: len(codes)}),
        types,
        Counter(dict.fromkeys(codes, 1)),
        sum(lk.confidential for lk in links),
        0,
        True,
        f"Size: {method}.",
    )


def _country_sizes(
    groups: dict[str, aggregate.CountryGroup],
    links: Sequence[aggregate.CountryLink],
    sg: measure.SimpleGraph,
    size_by: str,
) -> tuple[dict[Any, float], str]:
    """Each country's size value and how it was measured, in words."""
    if size_by == "degree":
        values: dict[Any, float] = {c: float(sum(groups[c].internal.values())) for c in sg.ids}
        for lk in links:
            values[lk.a] += lk.weight
            values[lk.b] += lk.weight
        return values, "relationships of its actors, inside and across borders"
    mt = measure.compute(measure.SimpleGraph(sg.ids, sg.edges), "betweenness")
    return dict(mt.values), f"betweenness between countries, {mt.method}"


def _country_positions(
    groups: dict[str, aggregate.CountryGroup],
    codes: list[str],
    sg: measure.SimpleGraph,
    layout_name: str,
) -> tuple[dict[Any, tuple[float, float]], bool]:
    """Positions of the countries, and whether they are geographic."""
    coords = {c: groups[c].coords for c in codes}
    located = sum(1 for c in codes if coords[c] is not None)
    use_geo = layout_name == "geo" or (
        layout_name == "auto" and located >= layout.GEO_MIN_SHARE * len(codes)
    )
    pos = layout.geo_layout(codes, coords) if use_geo else layout.force_layout(sg)
    return dict(pos), use_geo
