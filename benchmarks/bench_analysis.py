#!/usr/bin/env python
"""Analysis time and memory as the graph grows, with igraph and networkx measured in the same run.

    .venv/bin/python benchmarks/bench_analysis.py [--sizes twin-cities,10k,100k,1m]

Cases (each run in a fresh Python subprocess, so its peak memory is its own):

* twin-cities: the real file `../shared/data/twin_cities.csv`, read with
  `ingest.readers.twin_cities.read_twin_cities`, loaded with
  `ingest.load.load_dataset` into a fresh embedded FalkorDB (temporary
  directory, started here and stopped at the end), then the report:
  `project(store)` + `find_gaps(G)` + `metrics(G)` + three `recommend()` calls.
* 10k, 100k, 1m: synthetic networks of that many relationships (seeded,
  `synthetic()`), given to `build_graph` as node and edge lists; the report is
  `build_graph` + `find_gaps` + `metrics` + three `recommend()` calls. For
  10k and 100k a second subprocess also loads the same data into a fresh
  embedded FalkorDB and times `project(store)` (the 1m case skips the store;
  `--store-max` changes that).

Peak memory is `ru_maxrss` of the subprocess: after the report (data
generation or the file read included; the FalkorDB server is a separate
process and not counted), and again after the reference runs.

Reference ratio: on the same actor graph (`structure.actor_graph(G)`; its
node order is the integer order `metrics()` uses), the betweenness that
`metrics()` computes (its engine, exact or sampled, its sample of source
actors; timed through the same code path, engine conversion included) is
compared with igraph computing the same measure directly (the same sources,
or exact when ours is exact; conversion from the actor graph included) and
with networkx (`betweenness_centrality`, exact, or sampled with the same k
and seed — networkx draws its own sample, so only the top brokers are
compared). Ours and igraph are the best of `--repeat`; networkx runs once and
is skipped above `--networkx-max` relationships (the 1m case by default), and
the output says so. For graphs of at most 5,000 actors the whole `metrics()`
is also timed with each engine (`IGRAPH_MIN_NODES` moved for the call).

Not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TWIN_CITIES = ROOT.parent / "shared" / "data" / "twin_cities.csv"
CASES = {"twin-cities": 0, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_SIZES = "twin-cities,10k,100k,1m"
RESULT_TAG = "@@RESULT "
SEED = 2022
TOP = 10
RECOMMEND_CALLS = 3

TARGET_TWIN_S = 30.0
TARGET_MEMORY_MB = 24 * 1024


def log(msg: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def peak_mb() -> float:
    """High-water mark of this process's resident memory (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(out: dict[str, float], key: str) -> Iterator[None]:
    t = time.perf_counter()
    try:
        yield
    finally:
        out[key] = time.perf_counter() - t


# --------------------------------------------------------------------------- synthetic data

COUNTRIES = (
    "GB", "DE", "FR", "NL", "BE", "DK", "SE", "NO", "FI", "PL", "CZ", "AT", "HU", "RO",
    "BG", "GR", "IT", "ES", "PT", "IE", "US", "CA", "MX", "BR", "AR", "CO", "KE", "NG",
    "ZA", "MA", "TN", "JO", "LB", "IN", "ID", "PH", "PK", "BD", "AU", "NZ",
)  # fmt: skip
#: Share of actors by kind (international orgs have no country).
ACTOR_SHARE = {
    "city": 0.25,
    "cso": 0.35,
    "statutory_service": 0.15,
    "private_sector": 0.08,
    "research": 0.07,
    "national_body": 0.06,
    "international_org": 0.04,
}
#: Initiatives per actor, and their kinds (frameworks: a few per country on top).
INITIATIVES_PER_ACTOR = 0.3
INITIATIVE_SHARE = {"program": 0.58, "event": 0.15, "resource": 0.12, "evaluation": 0.15}
FRAMEWORKS_PER_COUNTRY = 3
#: Share of relationships by type (sums to 1).
REL_SHARE = {
    "PARTNERS_WITH": 0.22,
    "PARTICIPATES_IN": 0.14,
    "FUNDS": 0.08,
    "RUNS": 0.08,
    "COORDINATES_WITH": 0.07,
    "LOCATED_IN": 0.07,
    "MEMBER_OF": 0.06,
    "SHARES_INFORMATION_WITH": 0.05,
    "TWINNED_WITH": 0.05,
    "SUPPORTS_CAPACITY": 0.05,
    "CONTRIBUTES_TO": 0.04,
    "IMPLEMENTS": 0.04,
    "EVALUATES": 0.03,
    "INFORMS": 0.02,
}
THEMES = (
    "hate", "violent_extremism", "polarisation", "disinformation", "conspiracy",
    "antisemitism", "radicalisation", "hate_crime_reporting", "mental_health", "safeguarding",
)  # fmt: skip
SYLLABLES = (
    "ka", "ro", "mi", "ven", "tal", "dor", "sa", "li", "bre", "nor",
    "vik", "ost", "har", "pel", "ur", "mon", "gan", "te", "lis", "ba",
)  # fmt: skip
KIND_SUFFIX = {
    "city": "",
    "cso": " Community Trust",
    "statutory_service": " Police Service",
    "private_sector": " Media Group",
    "research": " Institute",
    "national_body": " Ministry",
    "international_org": " Network",
    "program": " Programme",
    "event": " Forum",
    "resource": " Toolkit",
    "evaluation": " Evaluation",
    "framework": " Strategy",
}
KIND_ABBR = {
    "city": "city",
    "cso": "cso",
    "statutory_service": "stat",
    "private_sector": "priv",
    "research": "res",
    "national_body": "nat",
    "international_org": "intl",
    "program": "prog",
    "event": "evt",
    "resource": "rsrc",
    "evaluation": "eval",
    "framework": "fw",
}
LOCAL_KINDS = ("cso", "statutory_service")
SYMMETRIC = frozenset(
    {"PARTNERS_WITH", "COORDINATES_WITH", "SHARES_INFORMATION_WITH", "TWINNED_WITH"}
)


class Synth:
    """A seeded, valid network: actors of every kind in `COUNTRIES`, each city with local
    CSOs and statutory services (more in the bigger cities), national bodies and
    frameworks per country, international networks, initiatives, and relationships of
    every type between endpoints `graph.schema.REL_TYPES` allows, mostly local or national
    and some across borders. About one actor per ten relationships.
    """

    def __init__(self, n_rels: int, seed: int = SEED):
        self.rnd = random.Random(seed)
        self.n_rels = n_rels
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.kind: dict[str, str] = {}
        self.country: dict[str, str | None] = {}
        self.home: dict[str, str] = {}  # local actor -> its city
        self.by_kind: dict[str, list[str]] = defaultdict(list)
        self.by_kind_cc: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.local_by_city: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.seen: set[tuple[str, str, str]] = set()
        self._make_actors(max(200, n_rels // 10))
        self._make_initiatives()
        self._make_relationships()

    # -- helpers

    def skew(self, pool: list[str]) -> str:
        """A pick favouring the front of the pool (capitals, big networks, flagship events)."""
        return pool[int(len(pool) * self.rnd.random() ** 2)]

    def pick_country(self) -> str:
        return self.rnd.choices(COUNTRIES, self._country_weights)[0]

    def name(self, kind: str, i: int) -> str:
        base = "".join(self.rnd.choice(SYLLABLES) for _ in range(self.rnd.randint(2, 3)))
        return f"{base.capitalize()} {i}{KIND_SUFFIX[kind]}"

    def add_node(self, kind: str, cc: str | None, **extra: Any) -> str:
        i = len(self.nodes)
        nid = f"{(cc or 'xx').lower()}-{KIND_ABBR[kind]}-{i}"
        self.nodes.append(
            {"id": nid, "kind": kind, "name": self.name(kind, i), "country": cc, **extra}
        )
        self.kind[nid] = kind
        self.country[nid] = cc
        self.by_kind[kind].append(nid)
        if cc:
            self.by_kind_cc[(kind, cc)].append(nid)
        return nid

    def themes(self, lo: int = 1, hi: int = 3) -> list[str]:
        return self.rnd.sample(THEMES, self.rnd.randint(lo, hi))

    # -- nodes

    def _make_actors(self, n_actors: int) -> None:
        self._country_weights = [1 / (i + 1) ** 0.7 for i in range(len(COUNTRIES))]
        counts = {k: max(1, round(n_actors * s)) for k, s in ACTOR_SHARE.items()}
        counts["national_body"] = max(counts["national_body"], 2 * len(COUNTRIES))
        counts["city"] = max(counts["city"], 2 * len(COUNTRIES))
        counts["international_org"] = max(counts["international_org"], 3)
        # every country gets two cities and two national bodies, the rest by country weight
        for kind in ("city", "national_body"):
            for cc in COUNTRIES * 2:
                self._actor(kind, cc)
            for _ in range(counts[kind] - 2 * len(COUNTRIES)):
                self._actor(kind, self.pick_country())
        for _ in range(counts["international_org"]):
            self.add_node("international_org", None, themes=self.themes())
        for kind in ("cso", "statutory_service", "private_sector", "research"):
            for _ in range(counts[kind]):
                self._actor(kind, self.pick_country())
        self.actors = [n["id"] for n in self.nodes]
        self.not_intl = [a for a in self.actors if self.kind[a] != "international_org"]
        self.countries_with_cities = sorted({self.country[c] for c in self.by_kind["city"]})

    def _actor(self, kind: str, cc: str) -> str:
        rnd = self.rnd
        extra: dict[str, Any] = {"themes": self.themes()}
        if kind == "city":
            extra["lat"] = round(rnd.uniform(-50, 65), 4)
            extra["lon"] = round(rnd.uniform(-150, 170), 4)
            extra["threats"] = self.themes(0, 3)
        elif kind == "cso":
            extra["grassroots"] = rnd.random() < 0.4
        elif kind == "private_sector":
            extra["sector"] = rnd.choice(("tech", "media", "other"))
        local = kind in LOCAL_KINDS or (kind == "private_sector" and rnd.random() < 0.5)
        city = self.skew(self.by_kind_cc[("city", cc)]) if local else None
        if city:
            extra["city"] = city
            if kind == "private_sector":
                extra["level"] = "local"
        nid = self.add_node(kind, cc, **extra)
        if city:
            self.home[nid] = city
            self.local_by_city[(kind, city)].append(nid)
        return nid

    def _make_initiatives(self) -> None:
        rnd = self.rnd
        n = round(len(self.actors) * INITIATIVES_PER_ACTOR)
        for cc in COUNTRIES:
            for _ in range(FRAMEWORKS_PER_COUNTRY):
                self._initiative("framework", cc, level="national")
        for _ in range(max(1, len(COUNTRIES) // 10)):
            self._initiative("framework", None, level="international")
        kinds, shares = list(INITIATIVE_SHARE), list(INITIATIVE_SHARE.values())
        for _ in range(n):
            kind = rnd.choices(kinds, shares)[0]
            cc = None if rnd.random() < 0.08 else self.pick_country()
            extra: dict[str, Any] = {}
            if kind == "evaluation":
                extra["published"] = rnd.random() < 0.6
            self._initiative(kind, cc, **extra)
        self.initiatives = [n["id"] for n in self.nodes if n["kind"] not in ACTOR_SHARE]

    def _initiative(self, kind: str, cc: str | None, **extra: Any) -> str:
        status = self.rnd.choices(["active", "planned", "ended"], [0.8, 0.1, 0.1])[0]
        return self.add_node(
            kind,
            cc,
            themes=self.themes(),
            status=status,
            start=str(self.rnd.randint(2012, 2025)),
            **extra,
        )

    # -- relationships

    def add_edge(self, s: str | None, t: str | None, typ: str) -> bool:
        if s is None or t is None or s == t:
            return False
        if typ in SYMMETRIC and t < s:  # stored once, in key order, like the loader does
            s, t = t, s
        key = (s, typ, t)
        if key in self.seen:
            return False
        self.seen.add(key)
        rnd = self.rnd
        self.edges.append(
            {
                "source": s,
                "target": t,
                "type": typ,
                "status": rnd.choices(["active", "planned", "ended"], [0.85, 0.08, 0.07])[0],
                "since": str(rnd.randint(2005, 2025)),
                "confidential": rnd.random() < 0.03,
                "sources": ["synthetic"],
            }
        )
        return True

    def same_cc(self, kind: str, a: str) -> str | None:
        pool = self.by_kind_cc.get((kind, self.country[a] or ""))
        return self.skew(pool) if pool else None

    def same_city(self, kind: str, a: str) -> str | None:
        city = self.home.get(a) or (a if self.kind[a] == "city" else None)
        pool = self.local_by_city.get((kind, city)) if city else None
        return self.rnd.choice(pool) if pool else self.same_cc(kind, a)

    def any_of(self, kind: str) -> str:
        return self.skew(self.by_kind[kind])

    def city_of(self, a: str) -> str | None:
        if a in self.home and self.rnd.random() < 0.8:
            return self.home[a]
        return self.same_cc("city", a)

    def city_abroad(self, c: str) -> str:
        cc = self.country[c]
        while True:
            other = self.rnd.choice(self.countries_with_cities)
            if other != cc:
                return self.skew(self.by_kind_cc[("city", other)])

    def _generators(self) -> dict[str, Callable[[], tuple[str | None, str | None]]]:
        rnd = self.rnd
        A = self.any_of
        init_by_kind = defaultdict(list)
        for i in self.initiatives:
            init_by_kind[self.kind[i]].append(i)
        # a third of national frameworks were written without local input, a third are not
        # implemented locally: those get no CONTRIBUTES_TO / IMPLEMENTS at all
        open_fw: dict[str, dict[str, list[str]]] = {"CONTRIBUTES_TO": {}, "IMPLEMENTS": {}}
        for cc in COUNTRIES:
            for pools in open_fw.values():
                fws = self.by_kind_cc[("framework", cc)]
                pools[cc] = [f for f in fws if rnd.random() < 0.67] or fws[:1]
        participable = init_by_kind["program"] + init_by_kind["event"] + init_by_kind["resource"]
        funders = ("national_body", "private_sector", "international_org", "city")

        def mix(*options: tuple[float, Callable[[], tuple[str | None, str | None]]]):
            weights = [w for w, _ in options]
            fns = [f for _, f in options]
            return lambda: rnd.choices(fns, weights)[0]()

        def local_first(kind: str) -> Callable[[], tuple[str | None, str | None]]:
            return lambda: (lambda a: (a, self.city_of(a)))(A(kind))

        def domestic_cities() -> tuple[str | None, str | None]:
            c = A("city")
            return c, self.same_cc("city", c)

        def fw_or_program(a: str, typ: str) -> str | None:
            cc = self.country[a]
            if cc and rnd.random() < 0.4:
                return rnd.choice(open_fw[typ][cc])
            return self.skew(init_by_kind["program"])

        return {
            "PARTNERS_WITH": mix(
                (0.35, local_first("cso")),
                (0.12, lambda: (lambda a: (a, self.same_city("cso", a)))(A("cso"))),
                (0.12, domestic_cities),
                (0.05, lambda: (lambda c: (c, self.city_abroad(c)))(A("city"))),
                (0.08, lambda: (lambda c: (c, self.same_city("private_sector", c)))(A("city"))),
                (0.10, lambda: (lambda a: (a, self.same_cc("research", a)))(A("cso"))),
                (0.08, lambda: (lambda a: (a, self.same_city("cso", a)))(A("statutory_service"))),
                (0.10, lambda: (rnd.choice(self.actors), rnd.choice(self.actors))),
            ),
            "COORDINATES_WITH": mix(
                (0.55, local_first("statutory_service")),
                (0.25, lambda: (lambda c: (c, self.same_cc("national_body", c)))(A("city"))),
                (
                    0.20,
                    lambda: (lambda a: (a, self.same_city("statutory_service", a)))(
                        A("statutory_service")
                    ),
                ),
            ),
            "SHARES_INFORMATION_WITH": mix(
                (
                    0.4,
                    lambda: (lambda a: (a, self.same_cc("statutory_service", a)))(
                        A("statutory_service")
                    ),
                ),
                (0.3, domestic_cities),
                (0.3, lambda: (lambda c: (c, self.same_cc("national_body", c)))(A("city"))),
            ),
            "TWINNED_WITH": mix(
                (0.75, lambda: (lambda c: (c, self.city_abroad(c)))(A("city"))),
                (0.25, domestic_cities),
            ),
            "MEMBER_OF": mix(
                (0.7, lambda: (rnd.choice(self.by_kind["city"]), A("international_org"))),
                (0.3, lambda: (rnd.choice(self.not_intl), A("international_org"))),
            ),
            "FUNDS": lambda: (
                lambda f: (
                    f,
                    (self.same_cc("cso", f) or A("cso"))
                    if rnd.random() < 0.6
                    else self.skew(init_by_kind["program"]),
                )
            )(A(rnd.choice(funders))),
            "SUPPORTS_CAPACITY": lambda: (
                lambda h: (
                    h,
                    (self.same_cc("cso", h) or A("cso"))
                    if rnd.random() < 0.7
                    else (self.same_cc("city", h) or A("city")),
                )
            )(A(rnd.choice(("research", "international_org", "national_body")))),
            "CONTRIBUTES_TO": lambda: (lambda a: (a, fw_or_program(a, "CONTRIBUTES_TO")))(
                A(rnd.choice(("city", "cso", "statutory_service", "research")))
            ),
            "IMPLEMENTS": lambda: (lambda a: (a, fw_or_program(a, "IMPLEMENTS")))(
                A(rnd.choice(("city", "statutory_service", "cso")))
            ),
            "RUNS": lambda: (
                A(rnd.choice(("cso", "city", "statutory_service", "international_org"))),
                rnd.choice(participable),
            ),
            "PARTICIPATES_IN": lambda: (rnd.choice(self.actors), self.skew(participable)),
            "EVALUATES": mix(
                (0.5, lambda: (A("research"), rnd.choice(init_by_kind["program"]))),
                (
                    0.5,
                    lambda: (
                        rnd.choice(init_by_kind["evaluation"]),
                        rnd.choice(init_by_kind["program"]),
                    ),
                ),
            ),
            "INFORMS": lambda: (rnd.choice(self.initiatives), rnd.choice(self.initiatives)),
            "LOCATED_IN": lambda: (lambda a: (a, self.home.get(a)))(rnd.choice(self.local)),
        }

    def _runner_for(self, i: str) -> str | None:
        """The actor that leads initiative i: a national body for a national framework,
        a research body for an evaluation, a local actor or city otherwise."""
        kind, cc = self.kind[i], self.country[i]
        if kind == "framework":
            return self.rnd.choice(
                self.by_kind_cc[("national_body", cc)] if cc else self.by_kind["international_org"]
            )
        if kind == "evaluation":
            pool = self.by_kind_cc.get(("research", cc or "")) or self.by_kind["research"]
            return self.rnd.choice(pool)
        if cc is None:
            return self.any_of("international_org")
        return self.skew(
            self.by_kind_cc.get((self.rnd.choice(("cso", "city")), cc))
            or self.by_kind_cc[("city", cc)]
        )

    def _make_relationships(self) -> None:
        self.local = sorted(self.home)
        quota = {t: round(self.n_rels * s) for t, s in REL_SHARE.items()}
        quota["LOCATED_IN"] = min(quota["LOCATED_IN"], len(self.local))
        # each initiative is run by someone (counted in the RUNS quota)
        for i in self.initiatives:
            if quota["RUNS"] and self.add_edge(self._runner_for(i), i, "RUNS"):
                quota["RUNS"] -= 1
        gens = self._generators()
        for typ, left in quota.items():
            misses = 0
            while left > 0 and misses < 50 * left + 1000:
                if self.add_edge(*gens[typ](), typ):
                    left -= 1
                else:
                    misses += 1
        while len(self.edges) < self.n_rels:  # top up (a saturated type gave up early)
            self.add_edge(*gens["PARTNERS_WITH"](), "PARTNERS_WITH")
        del self.edges[self.n_rels :]

    def check(self) -> None:
        """Every edge joins kinds its type allows (what `load_dataset` would refuse)."""
        from graph import schema

        for e in self.edges:
            rt = schema.REL_TYPES[e["type"]]
            assert rt.allows(self.kind[e["source"]], self.kind[e["target"]]), e


def to_dataset(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Any:
    """The same data as ingest records, for `load_dataset`."""
    from ingest.records import Actor, Dataset, Initiative, Origin, Relationship

    ds = Dataset()
    origin = Origin("synthetic", None)
    actor_fields, init_fields = set(Actor.model_fields), set(Initiative.model_fields)
    for n in nodes:
        if n["kind"] in ACTOR_SHARE:
            ds.add(Actor(**{k: v for k, v in n.items() if k in actor_fields}), origin)
        else:
            ds.add(Initiative(**{k: v for k, v in n.items() if k in init_fields}), origin)
    for e in edges:
        ds.add(Relationship(**e), origin)
    return ds


# --------------------------------------------------------------------------- the report


def pick_recommend_targets(G: Any, preferred: tuple[str, ...] = ()) -> list[str]:
    """Three actors: given ids that exist, then the best-linked city, then a seeded pick."""
    chosen = [a for a in preferred if a in G][:RECOMMEND_CALLS]
    cities = sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "city")
    if len(chosen) < RECOMMEND_CALLS and cities:
        hub = max(cities, key=lambda c: (G.degree(c), c))
        if hub not in chosen:
            chosen.append(hub)
    actors = sorted(n for n, d in G.nodes(data=True) if d.get("family") == "actor")
    rnd = random.Random(SEED)
    while len(chosen) < RECOMMEND_CALLS and len(chosen) < len(actors):
        a = rnd.choice(actors)
        if a not in chosen:
            chosen.append(a)
    return chosen


def report(G: Any, t: dict[str, float], out: dict[str, Any], preferred: tuple[str, ...]) -> None:
    """find_gaps + metrics + recommend on G; times into t, facts into out."""
    from graph.analysis.gaps import find_gaps
    from graph.analysis.recommend import recommend
    from graph.analysis.structure import metrics

    with timed(t, "gaps"):
        findings = find_gaps(G)
    out["findings"] = len(findings)
    log(f"find_gaps: {len(findings):,} findings in {t['gaps']:.2f} s")
    with timed(t, "metrics"):
        m = metrics(G, top=TOP)
    out["actor_graph"] = {"nodes": m["graph"]["nodes"], "edges": m["graph"]["edges"]}
    out["betweenness_method"] = m["betweenness_method"]
    out["communities"] = {k: m["communities"][k] for k in ("algorithm", "count", "modularity")}
    out["brokers"] = [b["id"] for b in m["brokers"]]
    log(f"metrics: {t['metrics']:.2f} s ({m['betweenness_method']})")
    targets = pick_recommend_targets(G, preferred)
    with timed(t, "recommend"):
        recs = [recommend(G, a, limit=10) for a in targets]
    out["recommend_for"] = targets
    out["recommendations"] = [len(r) for r in recs]
    del findings, m, recs


def top_indices(values: list[float], ids: list[str]) -> list[int]:
    """Vertices with the highest positive values, ties by id (as metrics() ranks brokers)."""
    return sorted(
        (i for i in range(len(ids)) if values[i] > 0), key=lambda i: (-values[i], ids[i])
    )[:TOP]


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """(best wall time of `repeat` calls, the last result)."""
    best, out = float("inf"), None
    for _ in range(max(1, repeat)):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def centrality_refs(
    G: Any, with_networkx: bool, skip_reason: str, repeat: int = 3
) -> dict[str, Any]:
    """Our betweenness (the metrics() code path) vs igraph and networkx on the same actor graph.

    Ours and igraph: best of `repeat`; networkx: once (it is the slow one).
    """
    import igraph as ig
    import networkx as nx

    from graph.analysis import engine, structure
    from graph.analysis.brokers import rank_brokers
    from graph.analysis.undirected import actor_net

    res: dict[str, Any] = {"repeat": repeat}
    net = actor_net(G)
    H = structure.actor_graph(G)
    assert list(H) == net.ids, "actor_graph and metrics() must number actors alike"
    n = H.number_of_nodes()

    # ours: the engine metrics() picks (conversion included) and its broker ranking
    def ours() -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return rank_brokers(G, net, engine.engine_for(net), TOP)

    res["ours_s"], (brokers, method) = best_of(repeat, ours)
    res["method"] = method
    k = method["sample_size"]

    # igraph directly on the actor graph: the same sources, or exact when ours is exact
    index = {a: i for i, a in enumerate(H)}

    def convert() -> Any:
        return ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in H.edges()], directed=False)

    res["igraph_convert_s"], g = best_of(repeat, convert)
    if k is None:
        sources = None
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    else:
        sources = random.Random(engine.SEED).sample(range(n), k)
        scale = 2.0 / ((n - 1) * (n - 2)) * n / k
    res["igraph_bc_s"], raw = best_of(
        repeat, lambda: g.betweenness(directed=False, sources=sources)
    )
    res["igraph_s"] = res["igraph_convert_s"] + res["igraph_bc_s"]
    ids = list(H)
    ig_top = top_indices(raw, ids)
    ours_top = [b["id"] for b in brokers]
    res["igraph_same_top"] = [ids[i] for i in ig_top] == ours_top
    res["igraph_max_diff"] = max(
        (abs(b["betweenness"] - raw[index[b["id"]]] * scale) for b in brokers), default=0.0
    )

    # networkx: exact, or its own sample of the same size and seed
    if with_networkx:
        t = time.perf_counter()
        if k is None:
            bc = nx.betweenness_centrality(H, normalized=True)
        else:
            bc = nx.betweenness_centrality(H, k=k, normalized=True, seed=engine.SEED)
        res["networkx_s"] = time.perf_counter() - t
        nx_top = sorted((a for a in bc if bc[a] > 0), key=lambda a: (-bc[a], a))[:TOP]
        res["networkx_top_overlap"] = len(set(nx_top) & set(ours_top))
        del bc
    else:
        res["networkx_s"] = None
        res["networkx_skipped"] = skip_reason
    res["ratio_igraph"] = res["ours_s"] / res["igraph_s"] if res["igraph_s"] else None
    if res["networkx_s"]:
        res["ratio_networkx"] = res["ours_s"] / res["networkx_s"]
    return res


def engine_probe(G: Any, max_actors: int = 5_000) -> dict[str, Any] | None:
    """metrics() with each engine on the same graph, for graphs near `IGRAPH_MIN_NODES`.

    The threshold is a module constant; it is raised or lowered here for one call
    each and restored, so both engines run the whole metrics() on the same graph.
    """
    from graph.analysis import engine, structure

    actors = sum(1 for _, d in G.nodes(data=True) if d.get("family") == "actor")
    if actors > max_actors:
        return None
    saved = engine.IGRAPH_MIN_NODES
    out: dict[str, Any] = {"actors": actors, "threshold": saved}
    try:
        for name, threshold in (("networkx", actors), ("igraph", 0)):
            engine.IGRAPH_MIN_NODES = threshold
            t = time.perf_counter()
            m = structure.metrics(G, top=TOP)
            out[name] = time.perf_counter() - t
            assert m["graph"]["engine"] == name
    finally:
        engine.IGRAPH_MIN_NODES = saved
    return out


def server_peak_mb(server: Any) -> float | None:
    """The FalkorDB server's own peak memory (`INFO memory`), a separate process."""
    import redis

    try:
        client = redis.Redis(unix_socket_path=str(server.socket_path), socket_timeout=10)
        return int(client.info("memory")["used_memory_peak"]) / 2**20
    except (redis.RedisError, KeyError, OSError):
        return None


@contextmanager
def fresh_store(graph: str = "bench") -> Iterator[tuple[Any, Any]]:
    """(store, server): a fresh embedded FalkorDB in a temporary directory, stopped at the end."""
    from graph.store import open_store
    from graph.store.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory(prefix="scn-bench-") as tmp:
        server = EmbeddedServer(tmp, idle_timeout=600)
        server.ensure_running()
        store = open_store(f"embedded:{tmp}?graph={graph}")
        try:
            yield store, server
        finally:
            store.close()
            server.stop()


def worker_twin_cities(args: argparse.Namespace) -> dict[str, Any]:
    from graph.projection import project
    from ingest.load import load_dataset
    from ingest.readers.twin_cities import read_twin_cities

    t: dict[str, float] = {}
    out: dict[str, Any] = {"case": "twin-cities", "relationships_in": None}
    with timed(t, "read"):
        ds, rep = read_twin_cities(TWIN_CITIES)
    out["relationships_in"] = rep.links
    with fresh_store() as (store, server):
        with timed(t, "load"):
            load_dataset(store, ds)
        log(f"loaded {rep.cities:,} cities and {rep.links:,} links in {t['load']:.1f} s")
        del ds
        gc.collect()
        with timed(t, "projection"):
            G = project(store, include_confidential=True)  # the analyst's view
        out["server_peak_mb"] = server_peak_mb(server)
    out["graph"] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    report(G, t, out, ("gb-london", "fr-paris", "de-berlin"))
    t["total"] = t["projection"] + t["gaps"] + t["metrics"] + t["recommend"]
    out["peak_mb_report"] = peak_mb()
    out["centrality"] = centrality_refs(G, args.networkx_max >= rep.links, "", args.repeat)
    out["peak_mb_end"] = peak_mb()
    out["times"] = t
    return out


def worker_synthetic(args: argparse.Namespace) -> dict[str, Any]:
    from graph.projection import build_graph

    n_rels = CASES[args.worker]
    t: dict[str, float] = {}
    out: dict[str, Any] = {"case": args.worker, "relationships_in": n_rels}
    with timed(t, "generate"):
        syn = Synth(n_rels, args.seed)
    nodes, edges = syn.nodes, syn.edges
    syn.check()
    del syn
    gc.collect()
    log(f"generated {len(nodes):,} nodes and {len(edges):,} relationships in {t['generate']:.1f} s")
    out["peak_mb_data"] = peak_mb()
    with timed(t, "projection"):
        G = build_graph(nodes, edges, include_confidential=True)  # the analyst's view
    del nodes, edges
    gc.collect()
    out["graph"] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    log(f"build_graph: {t['projection']:.2f} s")
    report(G, t, out, ())
    t["total"] = t["projection"] + t["gaps"] + t["metrics"] + t["recommend"]
    out["peak_mb_report"] = peak_mb()
    with_nx = n_rels <= args.networkx_max
    reason = f"networkx skipped above {args.networkx_max:,} relationships"
    out["centrality"] = centrality_refs(G, with_nx, reason, args.repeat)
    out["engine_probe"] = engine_probe(G)
    out["peak_mb_end"] = peak_mb()
    out["times"] = t
    return out


def worker_store(args: argparse.Namespace) -> dict[str, Any]:
    """Load a synthetic case into a fresh store and time project(store)."""
    from graph.projection import project
    from ingest.load import load_dataset

    n_rels = CASES[args.worker]
    t: dict[str, float] = {}
    syn = Synth(n_rels, args.seed)
    n_nodes, n_edges = len(syn.nodes), len(syn.edges)
    with timed(t, "records"):
        ds = to_dataset(syn.nodes, syn.edges)
    del syn
    with fresh_store() as (store, server):
        with timed(t, "load"):
            load_dataset(store, ds)
        del ds
        gc.collect()
        log(f"store: loaded in {t['load']:.1f} s")
        with timed(t, "store_projection"):
            G = project(store, include_confidential=True)
        server_mb = server_peak_mb(server)
    same = (G.number_of_nodes(), G.number_of_edges()) == (n_nodes, n_edges)
    log(f"store: project(store) {t['store_projection']:.2f} s, same graph: {same}")
    return {
        "case": args.worker,
        "part": "store",
        "times": t,
        "same_graph": same,
        "peak_mb": peak_mb(),
        "server_peak_mb": server_mb,
    }


# --------------------------------------------------------------------------- the parent


def run_worker(case: str, part: str, args: argparse.Namespace) -> dict[str, Any] | None:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        case,
        "--part",
        part,
        "--seed",
        str(args.seed),
        "--networkx-max",
        str(args.networkx_max),
        "--repeat",
        str(args.repeat),
    ]
    load_before = os.getloadavg()
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - t
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_TAG)]
    if proc.returncode != 0 or not lines:
        print(f"  {case}/{part}: worker failed with exit {proc.returncode}", file=sys.stderr)
        return None
    res = json.loads(lines[-1][len(RESULT_TAG) :])
    res["wall_s"] = wall
    res["load_before"] = load_before
    res["load_after"] = os.getloadavg()
    return res


def fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def fmt_mb(x: float | None) -> str:
    return "?" if x is None else f"{x:,.0f}"


def fmt_ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}×"


COLUMNS = (
    "size",
    "nodes",
    "edges",
    "projection s",
    "store proj. s",
    "gaps s",
    "metrics s",
    "recommend s",
    "total s",
    "peak MB",
    "centrality",
    "ours s",
    "igraph s",
    "ours/igraph",
    "networkx s",
    "ours/networkx",
)


def row(res: dict[str, Any], store: dict[str, Any] | None) -> list[str]:
    t = res["times"]
    c = res["centrality"]
    m = c["method"]
    how = "exact" if m["exact"] else f"k={m['sample_size']}"
    if res["case"] == "twin-cities":
        store_s = "(= projection)"
    elif store:
        store_s = fmt_s(store["times"]["store_projection"])
    else:
        store_s = "skipped"
    return [
        res["case"],
        f"{res['graph']['nodes']:,}",
        f"{res['graph']['edges']:,}",
        fmt_s(t["projection"]),
        store_s,
        fmt_s(t["gaps"]),
        fmt_s(t["metrics"]),
        fmt_s(t["recommend"]),
        fmt_s(t["total"]),
        f"{res['peak_mb_report']:,.0f}",
        f"{m['engine']}, {how}",
        fmt_s(c["ours_s"]),
        fmt_s(c["igraph_s"]),
        fmt_ratio(c["ratio_igraph"]),
        fmt_s(c["networkx_s"]) if c["networkx_s"] is not None else "skipped",
        fmt_ratio(c.get("ratio_networkx")),
    ]


def print_table(rows: list[list[str]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * len(COLUMNS))
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(COLUMNS)]
    print("  ".join(h.rjust(w) for h, w in zip(COLUMNS, widths, strict=True)))
    for r in rows:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)))


def details(res: dict[str, Any], store: dict[str, Any] | None) -> list[str]:
    t, c = res["times"], res["centrality"]
    lines = [f"{res['case']}:"]
    if res["case"] == "twin-cities":
        lines.append(
            f"  read file {t['read']:.2f} s, load_dataset {t['load']:.2f} s (not in total)"
        )
    else:
        lines.append(
            f"  generate {t['generate']:.2f} s (not in total); "
            f"peak after generating {res['peak_mb_data']:,.0f} MB"
        )
    if store:
        st = store["times"]
        lines.append(
            f"  store: records {st['records']:.2f} s, load_dataset {st['load']:.2f} s, "
            f"project(store) {st['store_projection']:.2f} s, same graph as build_graph: "
            f"{store['same_graph']}; peak MB of that subprocess {store['peak_mb']:,.0f}, "
            f"of the FalkorDB server {fmt_mb(store['server_peak_mb'])}"
        )
    if "server_peak_mb" in res:
        lines.append(f"  FalkorDB server peak {fmt_mb(res['server_peak_mb'])} MB (not in peak MB)")
    ag = res["actor_graph"]
    lines.append(
        f"  findings {res['findings']:,}; actor graph {ag['nodes']:,} actors, {ag['edges']:,} "
        f"links; communities {res['communities']}"
    )
    lines.append(
        f"  recommend() for {', '.join(res['recommend_for'])}: {res['recommendations']} results"
    )
    lines.append(
        f"  centrality (best of {c['repeat']}): ours {c['ours_s']:.2f} s "
        f"({c['method']['engine']}); igraph "
        f"{c['igraph_s']:.2f} s (convert {c['igraph_convert_s']:.2f} + betweenness "
        f"{c['igraph_bc_s']:.2f}); same top {TOP}: {c['igraph_same_top']}, max |Δ| "
        f"{c['igraph_max_diff']:.2e}"
    )
    probe = res.get("engine_probe")
    if probe:
        lines.append(
            f"  metrics() on these {probe['actors']:,} actors with each engine: networkx "
            f"{probe['networkx']:.2f} s, igraph {probe['igraph']:.2f} s "
            f"({probe['networkx'] / probe['igraph']:.0f}×); IGRAPH_MIN_NODES = "
            f"{probe['threshold']:,}"
        )
    if c["networkx_s"] is not None:
        lines.append(
            f"  networkx {c['networkx_s']:.2f} s; top-{TOP} overlap with ours "
            f"{c['networkx_top_overlap']}/{TOP}"
        )
    else:
        lines.append(f"  {c['networkx_skipped']}")
    lines.append(
        f"  peak MB: after report {res['peak_mb_report']:,.0f}, after references "
        f"{res['peak_mb_end']:,.0f}; subprocess wall {res['wall_s']:.1f} s; load average "
        f"{res['load_before'][0]:.2f} → {res['load_after'][0]:.2f}"
    )
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--sizes",
        default=DEFAULT_SIZES,
        help=f"comma-separated cases from {', '.join(CASES)} (default: all)",
    )
    ap.add_argument("--seed", type=int, default=SEED, help="seed of the synthetic networks")
    ap.add_argument(
        "--store-max",
        type=int,
        default=100_000,
        help="also time project(store) for synthetic cases up to this many relationships",
    )
    ap.add_argument(
        "--networkx-max",
        type=int,
        default=100_000,
        help="run the networkx reference up to this many relationships",
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="best of N for our and igraph's centrality timings (networkx runs once)",
    )
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--json", type=Path, help="write every measurement to this file")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--part", default="report", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        if args.worker == "twin-cities":
            res = worker_twin_cities(args)
        elif args.part == "store":
            res = worker_store(args)
        else:
            res = worker_synthetic(args)
        print(RESULT_TAG + json.dumps(res, default=str), flush=True)
        return 0

    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in CASES]
    if unknown:
        ap.error(f"unknown size(s) {', '.join(unknown)}; expected {', '.join(CASES)}")
    if "twin-cities" in sizes and not TWIN_CITIES.exists():
        print(f"skipping twin-cities: {TWIN_CITIES} not found", file=sys.stderr)
        sizes.remove("twin-cities")
    started = time.perf_counter()
    load0 = os.getloadavg()
    print(
        f"Analysis benchmark {dt.date.today()} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at start {load0[0]:.2f} {load0[1]:.2f} "
        f"{load0[2]:.2f}",
        flush=True,
    )
    results: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for case in sizes:
        print(f"- {case} …", flush=True)
        res = run_worker(case, "report", args)
        if res is None:
            continue
        store = None
        if case != "twin-cities" and CASES[case] <= args.store_max:
            store = run_worker(case, "store", args)
        results.append((res, store))
    print()
    print_table([row(r, s) for r, s in results], args.markdown)
    print()
    for r, s in results:
        print("\n".join(details(r, s)))
    for r, _ in results:
        if r["case"] == "twin-cities":
            ok = r["times"]["total"] < TARGET_TWIN_S
            print(
                f"target: twin-cities report {r['times']['total']:.1f} s < {TARGET_TWIN_S:.0f} s "
                f"on {os.cpu_count()} cores — {'met' if ok else 'MISSED'}"
            )
        if r["case"] == "1m":
            ok = r["peak_mb_end"] < TARGET_MEMORY_MB
            print(
                f"target: 1M relationships peak {r['peak_mb_end']:,.0f} MB < "
                f"{TARGET_MEMORY_MB:,} MB — {'met' if ok else 'MISSED'}"
            )
    load1 = os.getloadavg()
    print(
        f"whole run {time.perf_counter() - started:.0f} s; load average at end "
        f"{load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"date": str(dt.date.today()), "results": results}, indent=2, default=str)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
