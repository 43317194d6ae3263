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
* ``map`` — the nodes of the whole network (or, with ``country``, of that
  country's view) to draw at their places (`viz.geo`), with every country's
  coverage (`graph.analysis.coverage`, on the whole graph) and the ``measure``
  that shades the countries.

All statuses are shown (planned links faded); what counts for the analyses
is decided by `graph.analysis`, not here.

Each view registers its builder with `@page_view` (name, title, description,
the route of its page, the options it takes, its renderer: vis-network, or
WebGL for views drawn whole such as ``cities``) into `VIEWS`: `select_view`
dispatches on it, `viz.routes` makes one route per view from it, the CLI's
`--view` choices are its names and its view flags are `view_options()`, and
tests hold docs/visualisation.md to it. The options travel as one mapping
(name -> value) from the route or the CLI through `viz.service` and
`viz.network` to `select_view`, which checks them against the view's
`ViewOption`s. Adding a view, even one with an option no other view takes, is
one decorated function here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import networkx as nx

from graph import schema
from graph.analysis.coverage import coverage
from graph.analysis.undirected import MAX_SHARED_INITIATIVE_ACTORS, iter_shared_initiatives
from graph.analysis.wording import country_name
from graph.countries import UnknownCountry, country_code, describe
from graph.predicates import norm_country
from graph.read.lookup import AmbiguousName, NoSuchNode, resolve_in_graph
from graph.read.neighbourhood import MAX_PAGE_DEPTH, in_memory
from viz.geo.mapview import map_drawing
from viz.geo.measures import DEFAULT_MEASURE, MEASURES, measure_named
from viz.style import SHARED_INITIATIVE

#: Deepest neighbourhood a page will draw (see `graph.read.neighbourhood`).
MAX_DEPTH = MAX_PAGE_DEPTH
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
    #: For a view drawn by WebGL (`viz.webgl`): positions the view chose itself (node id
    #: -> (x, y), y upwards, e.g. projected longitude and latitude) instead of a layout,
    #: a background layer (the payload's "background") and notes for the page.
    positions: dict[str, tuple[float, float]] | None = None
    background: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    #: What a view's drawing needs beyond the graph (the map: its measure and coverage).
    settings: dict[str, Any] = field(default_factory=dict)
    #: More lines for the details panel of some nodes (the map: where each was placed),
    #: and what the page credits beyond its data (the map: Natural Earth).
    node_details: dict[str, list[list[str]]] = field(default_factory=dict)
    credits: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class ViewOption:
    """An option a view takes: a keyword of its builder and a key of the options
    `select_view` takes, the CLI flag of the same name (`cli.view_flags`), and a
    parameter of its page's route (`viz.routes`)."""

    name: str
    type: type = str
    required: bool = False
    #: For the error when a required option is missing: "needs a country code (e.g. DE)".
    needs: str = ""
    example: str = ""
    #: The route's path parameter that carries it; None for a query parameter.
    path_name: str | None = None
    #: The HTTP parameter's description, default and bounds.
    help: str | None = None
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    #: The CLI flag's help, completed with "for --view NAME." (e.g. "ISO code"; the
    #: option's name when empty).
    flag_help: str = ""
    #: The CLI flag's one-letter alias ("c" for -c), if any.
    short: str | None = None
    #: How the CLI's error names the missing value: "--view country needs --country CC".
    placeholder: str = ""

    def flag(self) -> tuple[Any, ...]:
        """What its CLI flag is made of: two views may take one flag (`--country` for the
        country view, where it is a required path segment, and for the map, where it is
        an optional query parameter) when these agree."""
        return (
            self.type,
            self.default,
            self.minimum,
            self.maximum,
            self.flag_help,
            self.short,
            self.placeholder,
        )


@dataclass(frozen=True)
class PageView:
    """A registered view: its builder and what the CLI, the routes and the docs say of it."""

    name: str
    build: Callable[..., ViewGraph]
    title: str  # what the page shows, in a few words (the route's summary)
    description: str  # one line (docs/visualisation.md's views table says more)
    route: str  # the path of its page, e.g. "/viz/countries/{code}"
    options: tuple[ViewOption, ...] = ()
    #: "vis" (vis-network, capped or aggregated above --max-nodes) or "webgl" (drawn
    #: whole by `viz.webgl`, unless --large asks for the aggregate or the top N).
    renderer: str = "vis"

    def select(self, G: nx.MultiDiGraph, given: Mapping[str, Any]) -> ViewGraph:
        """Build the view from `given` (option name -> value; a missing or None value is
        the option's default). Raises `ViewError` (400) for an option this view does not
        take or a required one that is missing."""
        taken = {o.name for o in self.options}
        unknown = sorted(set(given) - taken)
        if unknown:
            takes = f"it takes {', '.join(sorted(taken))}" if taken else "it takes none"
            raise ViewError(f"The {self.name} view has no option {unknown[0]!r}; {takes}.", 400)
        kwargs = {}
        for o in self.options:
            value = given.get(o.name)
            if value is None:
                value = o.default
            if o.required and not value:
                raise ViewError(
                    f"The {self.name} view needs {o.needs} (e.g. --{o.name} {o.example}).", 400
                )
            kwargs[o.name] = value
        return self.build(G, **kwargs)


#: How a view can be drawn: vis-network node by node, or WebGL (`viz.webgl`), whole.
RENDERERS = ("vis", "webgl")

#: Every view, by name, in the order the CLI and the docs list them.
VIEWS: dict[str, PageView] = {}

_Builder = TypeVar("_Builder", bound=Callable[..., ViewGraph])


def page_view(
    name: str,
    *,
    title: str,
    description: str,
    route: str,
    options: tuple[ViewOption, ...] = (),
    renderer: str = "vis",
) -> Callable[[_Builder], _Builder]:
    """Register the decorated function as the builder of view `name`.

    The one place a view is declared: `select_view`, the pages' routes, the CLI's
    `--view` choices and flags and the docs' checks all read `VIEWS`.
    """

    def register(build: _Builder) -> _Builder:
        if name in VIEWS:
            raise ValueError(f"view {name!r} is registered twice")
        if renderer not in RENDERERS:
            raise ValueError(f"view {name!r}: renderer must be one of {RENDERERS}")
        VIEWS[name] = PageView(name, build, title, description, route, options, renderer)
        return build

    return register


def view_options() -> dict[str, tuple[ViewOption, tuple[str, ...]]]:
    """Every option some view takes, by name (in registry order), with the views that
    take it: the CLI's view flags. Raises ValueError when two views declare options of
    one name whose flags differ (`ViewOption.flag`: one flag could not serve both)."""
    found: dict[str, tuple[ViewOption, tuple[str, ...]]] = {}
    for view in VIEWS.values():
        for o in view.options:
            if o.name not in found:
                found[o.name] = (o, (view.name,))
                continue
            first, names = found[o.name]
            if first.flag() != o.flag():
                raise ValueError(
                    f"views {names[0]!r} and {view.name!r} declare option {o.name!r} differently"
                )
            found[o.name] = (first, (*names, view.name))
    return found


COUNTRY_OPTION = ViewOption(
    "country",
    required=True,
    needs="a country code",
    example="DE",
    path_name="code",
    help="ISO 3166-1 alpha-2 or alpha-3 code in any case, English name or UK nation, e.g. GB.",
    min_length=2,
    max_length=100,
    flag_help="Country (ISO code, English name or UK nation)",
    short="c",
    placeholder="CC",
)
ACTOR_OPTION = ViewOption(
    "actor",
    required=True,
    needs="an actor id",
    example="london",
    path_name="actor_id",
    help="The node's id, or its exact name in any case.",
    flag_help="Actor (id or exact name)",
    short="a",
    placeholder="ID",
)
DEPTH_OPTION = ViewOption(
    "depth",
    type=int,
    help="Hops from the actor.",
    default=1,
    minimum=1,
    maximum=MAX_DEPTH,
    flag_help="Hops",
    short="d",
)


def select_view(
    G: nx.MultiDiGraph, view: str = "network", options: Mapping[str, Any] | None = None
) -> ViewGraph:
    """The sub-graph of `G` a view draws, with `options` (name -> value) checked against
    the view's registered `ViewOption`s. Raises `ViewError` with a readable message."""
    registered = VIEWS.get(view)
    if registered is None:
        raise ViewError(f"Unknown view {view!r}; choose one of: {', '.join(VIEWS)}.", 400)
    return registered.select(G, options or {})


@page_view(
    "network",
    title="The whole network",
    description="Every actor and initiative and every relationship.",
    route="/viz",
)
def network_view(G: nx.MultiDiGraph) -> ViewGraph:
    registered = VIEWS["network"]
    return ViewGraph(G, "network", registered.title, description=registered.description)


def country_label(code: str | None) -> str:
    """A country's name for a heading ("GB" -> "United Kingdom"); the code if unknown."""
    if not code:
        return "No country"
    name = country_name(code)
    return name[4:] if name.startswith("the ") else name


@page_view(
    "country",
    title="One country",
    description="The actors and initiatives of one country, and their partners abroad.",
    route="/viz/countries/{code}",
    options=(COUNTRY_OPTION,),
)
def country_view(G: nx.MultiDiGraph, country: str) -> ViewGraph:
    try:
        cc = country_code(country)
    except UnknownCountry as exc:
        raise ViewError(f"{exc}.", 422) from None
    own = {n for n, d in G.nodes(data=True) if norm_country(d.get("country")) == cc}
    if not own:
        present = sorted({c for _, c in G.nodes(data="country") if c})
        listed = ", ".join(present[:12]) + (" …" if len(present) > 12 else "")
        raise ViewError(
            f"No actor or initiative in {describe(cc)}. Countries in the graph: {listed or 'none'}."
        )
    keep = set(own)
    abroad: set[str] = set()
    for n in own:
        for m in _neighbours(G, n):
            if m in keep:
                continue
            mc = norm_country(G.nodes[m].get("country"))
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


@page_view(
    "actor",
    title="One actor's neighbourhood",
    description="One actor or initiative and everything within --depth hops of it.",
    route="/viz/actors/{actor_id}",
    options=(ACTOR_OPTION, DEPTH_OPTION),
)
def actor_view(G: nx.MultiDiGraph, actor: str, depth: int = 1) -> ViewGraph:
    try:
        actor = resolve_in_graph(G, actor)
    except NoSuchNode as exc:
        hint = f" Did you mean {exc.hint}?" if exc.hint else ""
        raise ViewError(f"No actor or initiative with id {exc.value!r}.{hint}") from None
    except AmbiguousName as exc:
        raise ViewError(f"{exc}.", 422) from None
    try:
        seen = in_memory(G, actor, int(depth))
    except ValueError as exc:
        raise ViewError(f"{exc}.", 422) from None  # a value the query may not take, as FastAPI says
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


@page_view(
    "cities",
    title="The city-to-city network",
    description="Cities only, joined by horizontal links and shared initiatives.",
    route="/viz/cities",
    renderer="webgl",
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
        ca, cb = norm_country(H.nodes[a].get("country")), norm_country(H.nodes[b].get("country"))
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


MAP_COUNTRY_OPTION = replace(
    COUNTRY_OPTION,
    required=False,
    path_name=None,
    help="Only this country's actors and initiatives, the international ones linked to them "
    "and their partners abroad (ISO code, English name or UK nation); the whole network "
    "when not given.",
)
MEASURE_OPTION = ViewOption(
    "measure",
    help=f"The coverage measure the countries are shaded by: {', '.join(MEASURES)}.",
    default=DEFAULT_MEASURE,
    flag_help=f"Coverage measure that shades the countries ({', '.join(MEASURES)})",
    short="m",
)


@page_view(
    "map",
    title="The network on a map",
    description="Every node at its place, links as arcs, countries shaded by a coverage measure.",
    route="/viz/map",
    options=(MAP_COUNTRY_OPTION, MEASURE_OPTION),
    renderer="webgl",
)
def map_view(
    G: nx.MultiDiGraph, country: str | None = None, measure: str | None = None
) -> ViewGraph:
    """The whole network (or, with `country`, what the country view shows) to draw on a map
    (`viz.geo`), with the coverage of every country's cities, computed on all of `G`."""
    try:
        chosen = measure_named(measure)
    except ValueError as exc:
        raise ViewError(f"{exc}.", 422) from None  # a value the query may not take, as FastAPI says
    base = country_view(G, country) if country else network_view(G)
    cov = coverage(G)
    drawn = map_drawing(base.graph, cov, chosen.name, country=base.subject)
    return ViewGraph(
        base.graph,
        "map",
        f"{base.title} on a map" if country else VIEWS["map"].title,
        subject=base.subject,
        abroad=base.abroad,
        description=(
            f"{base.description} Each node at its coordinates, else at its city, else at its "
            f"country's centroid; countries shaded by: {chosen.title.lower()}."
        ),
        positions={n: drawn.position(n) for n in base.graph},
        background=drawn.background,
        notes=drawn.notes,
        node_details={n: [drawn.details(n)] for n in base.graph},
        credits=drawn.credits,
        settings={"measure": chosen.name, "coverage": cov, "arcs": True},
    )


def _neighbours(G: nx.MultiDiGraph, n: str) -> Iterable[str]:
    yield from G._succ[n]
    yield from G._pred[n]
