"""Which nodes and links each view shows, chosen from one projected graph.

Every view starts from the projection of `graph.projection` (already without
confidential relationships for a role that may not see them) and returns a
`ViewGraph`: the sub-graph to draw plus what the page should say about it.

* ``network`` — every actor and initiative and every relationship.
* ``country`` — the actors and initiatives of one country, the nodes with no
  country linked to them (international organisations, international
  frameworks), and their direct partners abroad, drawn faded, so that
  cross-border links stay visible.
* ``actor`` — one node and everything within ``depth`` hops of it, in either
  direction.
* ``cities`` — cities only, joined by the horizontal link types
  (PARTNERS_WITH, COORDINATES_WITH, SHARES_INFORMATION_WITH, TWINNED_WITH) and
  by *shared initiatives*: two cities that both RUN or PARTICIPATE_IN the same
  active initiative (at most `MAX_SHARED_INITIATIVE_ACTORS` actors, as in the
  structure metrics) get one SHARED_INITIATIVE link naming the initiatives.

All statuses are shown (planned links faded); what counts for the analyses
is decided by `graph.analysis`, not here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import schema
from graph.analysis.gaps_index import country_name
from graph.analysis.undirected import MAX_SHARED_INITIATIVE_ACTORS, iter_shared_initiatives
from viz.style import SHARED_INITIATIVE

VIEWS = ("network", "country", "actor", "cities")
#: Deepest neighbourhood a page will draw (beyond this almost any node reaches everything).
MAX_DEPTH = 4
#: How many initiative names a shared-initiative link lists in its tooltip.
SHARED_NAMES_SHOWN = 3


class ViewError(ValueError):
    """The view cannot be drawn as asked (unknown actor or country, bad depth).

    `status` is the HTTP status the API should answer with.
    """

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class ViewGraph:
    graph: nx.MultiDiGraph
    view: str
    title: str
    subject: str | None = None  # country code or actor id
    focus: str | None = None  # the actor of an actor view
    abroad: set[str] = field(default_factory=set)  # nodes of another country (country view)
    description: str = ""


def select_view(
    G: nx.MultiDiGraph,
    view: str = "network",
    *,
    country: str | None = None,
    actor: str | None = None,
    depth: int = 1,
) -> ViewGraph:
    """The sub-graph of `G` a view draws. Raises `ViewError` with a readable message."""
    if view == "network":
        return ViewGraph(
            G,
            "network",
            "The whole network",
            description="Every actor and initiative and every relationship.",
        )
    if view == "country":
        if not country:
            raise ViewError("The country view needs a country code (e.g. --country DE).", 400)
        return country_view(G, country)
    if view == "actor":
        if not actor:
            raise ViewError("The actor view needs an actor id (e.g. --actor london).", 400)
        return actor_view(G, actor, depth)
    if view == "cities":
        return cities_view(G)
    raise ViewError(f"Unknown view {view!r}; choose one of: {', '.join(VIEWS)}.", 400)


def country_label(code: str | None) -> str:
    """A country's name for a heading ("GB" -> "United Kingdom"); the code if unknown."""
    if not code:
        return "No country"
    name = country_name(code)
    return name[4:] if name.startswith("the ") else name


def _norm(c: Any) -> str | None:
    return str(c).strip().upper() if c else None


def country_view(G: nx.MultiDiGraph, country: str) -> ViewGraph:
    cc = _norm(country)
    own = {n for n, d in G.nodes(data=True) if _norm(d.get("country")) == cc}
    if not own:
        present = sorted({c for _, c in G.nodes(data="country") if c})
        listed = ", ".join(present[:12]) + (" …" if len(present) > 12 else "")
        raise ViewError(
            f"No actor or initiative has country {cc!r}. "
            f"Countries in the graph: {listed or 'none'}."
        )
    keep = set(own)
    abroad: set[str] = set()
    for n in own:
        for m in _neighbours(G, n):
            if m in keep:
                continue
            mc = _norm(G.nodes[m].get("country"))
            if mc is None:
                keep.add(m)
            elif mc != cc:
                abroad.add(m)
    keep |= abroad
    return ViewGraph(
        G.subgraph(keep),
        "country",
        f"{country_label(cc)} ({cc})",
        subject=cc,
        abroad=abroad,
        description=(
            f"Actors and initiatives of {country_name(cc)}, the international ones linked to them, "
            "and their direct partners abroad (faded)."
        ),
    )


def actor_view(G: nx.MultiDiGraph, actor: str, depth: int = 1) -> ViewGraph:
    if actor not in G:
        raise ViewError(f"No actor or initiative with id {actor!r}.")
    if not 1 <= int(depth) <= MAX_DEPTH:
        raise ViewError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}.", 400)
    seen = {actor}
    frontier = [actor]
    for _ in range(int(depth)):
        nxt = []
        for n in frontier:
            for m in _neighbours(G, n):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    name = G.nodes[actor].get("name", actor)
    hops = "1 hop" if depth == 1 else f"{depth} hops"
    return ViewGraph(
        G.subgraph(seen),
        "actor",
        f"{name}: neighbourhood ({hops})",
        subject=actor,
        focus=actor,
        description=f"{name} and everything within {hops} of it, in either direction.",
    )


def cities_view(G: nx.MultiDiGraph) -> ViewGraph:
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    cities = [n for n, d in G.nodes(data=True) if d.get("kind") == "city"]
    for n in cities:
        H.add_node(n, **G.nodes[n])
    city_set = set(cities)
    for u in cities:
        for v, keydict in G._succ[u].items():
            if v not in city_set or v == u:
                continue
            for k, d in keydict.items():
                t = d.get("type") or k
                if t in schema.HORIZONTAL_LINK_TYPES:
                    H.add_edge(u, v, key=t, **d)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for i, actors in iter_shared_initiatives(G, MAX_SHARED_INITIATIVE_ACTORS):
        cs = sorted(a for a in actors if a in city_set)
        for pos, a in enumerate(cs):
            for b in cs[pos + 1 :]:
                shared[(a, b)].append(G.nodes[i].get("name", i))
    for (a, b), names in sorted(shared.items()):
        ca, cb = _norm(H.nodes[a].get("country")), _norm(H.nodes[b].get("country"))
        H.add_edge(
            a,
            b,
            key=SHARED_INITIATIVE,
            type=SHARED_INITIATIVE,
            status="active",
            confidential=False,
            symmetric=True,
            axis="horizontal",
            cross_border=bool(ca and cb and ca != cb),
            cross_sector=False,
            initiatives=sorted(names),
        )
    return ViewGraph(
        H,
        "cities",
        "City-to-city network",
        description=(
            "Cities only, joined by twinning, partnership, coordination and information-sharing "
            "agreements and by initiatives they run or take part in together."
        ),
    )


def _neighbours(G: nx.MultiDiGraph, n: str) -> Iterable[str]:
    yield from G._succ[n]
    yield from G._pred[n]
