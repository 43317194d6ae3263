"""A small world of actors, initiatives and relationships, edited at random.

The incremental-analysis tests start from the workbook fixture (29 invented actors
in four countries) and apply seeded random edits of every kind: nodes of every kind
added, removed and changed (name, country, kind, level, themes, threats, status,
coordinates, `city`, grassroots, published, basis), relationships of every type
added, removed and changed (status, confidential, basis, since). Each edit returns
the ids it touched, as `Change.touched_ids` would: the nodes changed and both ends
of every relationship changed.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import networkx as nx

from graph import schema
from graph.projection import build_graph
from tests.support.paths import ROOT

WORKBOOK = ROOT / "tests" / "fixtures" / "workbook" / "prevention_actors.yaml"
COUNTRIES = ("GB", "FR", "DE", "SE", "NL", "ES", "IT", "PL", "PT", None)
THEMES = (
    "disinformation",
    "hate",
    "m_and_e",
    "national_local_cooperation",
    "polarisation",
    "radicalisation",
    "terrorism",
    "violent_extremism",
)
STATUSES = tuple(s.value for s in schema.Status)
LEVELS = (*(lv.value for lv in schema.Level), None)
_SYLLABLES = ("ber", "lin", "mar", "sel", "to", "va", "que", "do", "ri", "an", "os", "ka")

EdgeKey = tuple[str, str, str]


def workbook_world() -> tuple[dict[str, dict[str, Any]], dict[EdgeKey, dict[str, Any]]]:
    """The workbook fixture as node and relationship property maps."""
    from ingest.readers.document import read_document

    data, problems = read_document(Path(WORKBOOK))
    assert not problems, problems
    records = (*data.actors, *data.initiatives)
    nodes = {r.id: r.model_dump(mode="json", exclude_none=True) for r in records}
    edges = {}
    for r in data.relationships:
        d = r.model_dump(mode="json", exclude_none=True)
        edges[(d["source"], d["type"], d["target"])] = d
    return nodes, edges


class World:
    """Nodes and relationships as property maps, and random edits of them."""

    def __init__(self, seed: int, grow: int = 40) -> None:
        self.rng = random.Random(seed)
        self.nodes, self.edges = workbook_world()
        self._made = 0
        for _ in range(grow):  # more countries, fewer paths through the workbook's hubs
            self.add_node()
        for _ in range(grow):
            self.add_edge(local=True)

    # -- views -------------------------------------------------------------

    def graph(self, *, include_confidential: bool = False) -> nx.MultiDiGraph:
        return build_graph(
            list(self.nodes.values()),
            list(self.edges.values()),
            include_confidential=include_confidential,
        )

    def node_maps(self, ids: set[str]) -> list[dict[str, Any]]:
        return [self.nodes[i] for i in sorted(ids) if i in self.nodes]

    def edges_touching(self, ids: set[str]) -> list[dict[str, Any]]:
        return [e for (s, _, t), e in self.edges.items() if s in ids or t in ids]

    # -- random values -----------------------------------------------------

    def _name(self) -> str:
        parts = self.rng.sample(_SYLLABLES, self.rng.randint(2, 3))
        return "".join(parts).capitalize() + f" {self.rng.randint(1, 99)}"

    def _themes(self) -> list[str]:
        return sorted(self.rng.sample(THEMES, self.rng.randint(0, 3)))

    def _ids(self, family: str | None = None, kind: str | None = None) -> list[str]:
        return sorted(
            n
            for n, d in self.nodes.items()
            if (family is None or schema.family_of(d["kind"]) == family)
            and (kind is None or d["kind"] == kind)
        )

    def _set_random_property(self, d: dict[str, Any]) -> None:
        rng = self.rng
        prop = rng.choice(
            (
                "name",
                "country",
                "kind",
                "level",
                "themes",
                "threats",
                "status",
                "coordinates",
                "city",
                "grassroots",
                "published",
                "basis",
            )
        )
        if prop == "name":
            d["name"] = self._name()
        elif prop == "country":
            d["country"] = rng.choice(COUNTRIES)
        elif prop == "kind":
            d["kind"] = rng.choice(schema.KIND_NAMES)
        elif prop == "level":
            d["level"] = rng.choice(LEVELS)
        elif prop in ("themes", "threats"):
            d[prop] = self._themes()
        elif prop == "status":
            d["status"] = rng.choice(STATUSES)
        elif prop == "coordinates":
            d["lat"], d["lon"] = rng.uniform(43, 60), rng.uniform(-5, 20)
        elif prop == "city":
            d["city"] = rng.choice([*self._ids(kind="city"), None])
        elif prop == "grassroots":
            d["grassroots"] = rng.random() < 0.5
        elif prop == "published":
            d["published"] = rng.choice((True, False, None))
        else:
            d["basis"] = rng.choice(("inferred", None))
        for k in [k for k, v in d.items() if v is None]:
            del d[k]

    # -- edits -------------------------------------------------------------

    def add_node(self) -> set[str]:
        self._made += 1
        nid = f"new-{self._made}"
        d: dict[str, Any] = {"id": nid, "kind": self.rng.choice(schema.KIND_NAMES)}
        d["name"] = self._name()
        d["country"] = self.rng.choice(COUNTRIES)
        for _ in range(self.rng.randint(1, 4)):
            self._set_random_property(d)
        d.setdefault("name", self._name())
        self.nodes[nid] = {k: v for k, v in d.items() if v is not None}
        return {nid}

    def remove_node(self) -> set[str]:
        nid = self.rng.choice(self._ids())
        touched = {nid}
        for key in [k for k in self.edges if nid in (k[0], k[2])]:
            touched.update((key[0], key[2]))
            del self.edges[key]
        del self.nodes[nid]
        return touched

    def change_node(self) -> set[str]:
        nid = self.rng.choice(self._ids())
        self._set_random_property(self.nodes[nid])
        return {nid}

    def rename(self) -> set[str]:
        """A random node renamed (not in `edit`'s mix, so the seeded sequences stay)."""
        nid = self.rng.choice(self._ids())
        self.nodes[nid]["name"] = self._name()
        return {nid}

    def add_edge(self, *, local: bool = False) -> set[str]:
        """A relationship of a random type between nodes it fits (`local`: of one country,
        when there is such a pair)."""
        rng = self.rng
        rel = rng.choice(list(schema.REL_TYPES.values()))
        sources = [n for n in self._ids() if self._fits(n, rel.sources)]
        if not sources:
            return set()
        s = rng.choice(sources)
        targets = [n for n in self._ids() if self._fits(n, rel.targets)]
        if local:
            cc = self.nodes[s].get("country")
            targets = [n for n in targets if self.nodes[n].get("country") == cc] or targets
        if not targets:
            return set()
        t = rng.choice(targets)
        e: dict[str, Any] = {"source": s, "type": rel.name, "target": t}
        e["status"] = rng.choice(STATUSES)
        e["confidential"] = rng.random() < 0.15
        if rng.random() < 0.2:
            e["basis"] = "inferred"
        if rng.random() < 0.3:
            e["since"] = str(rng.randint(2000, 2024))
        self.edges[(s, rel.name, t)] = e
        return {s, t}

    def _fits(self, n: str, allowed: frozenset[str]) -> bool:
        kind = self.nodes[n]["kind"]
        return kind in allowed or schema.family_of(kind) in allowed

    def remove_edge(self) -> set[str]:
        if not self.edges:
            return set()
        key = self.rng.choice(sorted(self.edges))
        del self.edges[key]
        return {key[0], key[2]}

    def change_edge(self) -> set[str]:
        if not self.edges:
            return set()
        key = self.rng.choice(sorted(self.edges))
        e = self.edges[key]
        what = self.rng.choice(("status", "confidential", "basis", "since"))
        if what == "status":
            e["status"] = self.rng.choice(STATUSES)
        elif what == "confidential":
            e["confidential"] = not e.get("confidential")
        elif what == "basis":
            e["basis"] = None if e.get("basis") else "inferred"
        else:
            e["since"] = str(self.rng.randint(2000, 2024))
        return {key[0], key[2]}

    def edit(self) -> set[str]:
        """One random edit; the ids it touched."""
        edits = (
            self.add_node,
            self.remove_node,
            self.change_node,
            self.change_node,
            self.add_edge,
            self.add_edge,
            self.remove_edge,
            self.change_edge,
        )
        return self.rng.choice(edits)()

    def edits(self, count: int) -> set[str]:
        """`count` random edits in one go (several writes between two analyses)."""
        touched: set[str] = set()
        for _ in range(count):
            touched |= self.edit()
        return touched


def graph_content(G: nx.MultiDiGraph) -> Any:
    """Everything in `G` but the orders (which a patched projection may not share)."""
    for u, nbrs in G._succ.items():
        for v, keys in nbrs.items():
            assert G._pred[v][u] is keys, (u, v)
    assert sum(len(n) for n in G._pred.values()) == sum(len(n) for n in G._succ.values())
    return (
        dict(G.graph),
        {n: d for n, d in G.nodes(data=True)},
        {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)},
    )
