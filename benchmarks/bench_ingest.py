#!/usr/bin/env python
"""Ingest throughput: our loader against two references, on the same data, in the same run.

    .venv/bin/python benchmarks/bench_ingest.py [--repeat 3] [--sample 5000]

Workloads (each loaded into a fresh graph of one fresh embedded FalkorDB in a
temporary directory, started here and stopped at the end):

* twin-cities: the real file `../shared/data/twin_cities.csv`, read with
  `ingest.readers.twin_cities.read_twin_cities` (cities + TWINNED_WITH links).
* synthetic: 20k actors of all kinds across 30 countries and 100k
  relationships of valid types, with themes; generated in memory from a seed
  (no file reader is timed for it).

Contenders, all writing the same graph (same labels, properties, Country and
Theme nodes with their IN_COUNTRY / HAS_THEME / REPORTS_THREAT links, same
indexes):

* ours: `ingest.load.load_dataset` — validation, diff against the store,
  batched UNWIND writes inside one stage-and-swap transaction.
* row by row: one MERGE query per record through the falkordb client, the
  usual naive way, with the same indexes present. Run on a sample (nodes and
  relationships separately) and extrapolated; the output says so.
* bulk loader: `falkordb-bulk-loader` (GRAPH.BULK) over the unix socket,
  including the export of its node/edge CSV files. It can only build a new
  graph and does not validate or deduplicate.

Records = actors + relationships handed to the loader. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import logging
import random
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import pycountry  # noqa: E402
from bench_support import scratch_server  # noqa: E402
from falkordb import FalkorDB  # noqa: E402

import ingest.load as load_mod  # noqa: E402
from graph import schema  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.dialect import FULLTEXT, INDEXES  # noqa: E402
from ingest.readers.twin_cities import read_twin_cities  # noqa: E402
from ingest.records import Actor, Dataset, Origin, Relationship  # noqa: E402

TWIN_CITIES = ROOT.parent / "shared" / "data" / "twin_cities.csv"
NOW = "2025-01-01T00:00:00+00:00"  # updated_at for the references' copies

TARGET_VS_ROW = 10.0
TARGET_VS_BULK = 2.0
TARGET_WALL_S = 60.0


# --------------------------------------------------------------------------- data


@dataclass
class Workload:
    name: str
    title: str
    dataset: Dataset
    read_seconds: float | None = None  # parsing the source file (ours only)

    @property
    def records(self) -> int:
        return len(self.dataset.actors) + len(self.dataset.relationships)


COUNTRIES = (
    "GB", "DE", "FR", "NL", "BE", "DK", "SE", "NO", "FI", "PL", "CZ", "AT", "HU", "RO", "BG",
    "GR", "IT", "ES", "PT", "IE", "US", "CA", "MX", "BR", "KE", "NG", "ZA", "IN", "ID", "AU",
)  # fmt: skip
KIND_SHARE = {
    "city": 0.40,
    "cso": 0.25,
    "statutory_service": 0.10,
    "national_body": 0.05,
    "private_sector": 0.08,
    "research": 0.07,
    "international_org": 0.05,
}
SYLLABLES = (
    "ka", "ro", "mi", "ven", "tal", "dor", "sa", "li", "bre", "nor",
    "vik", "ost", "har", "pel", "ur", "mon", "gan", "te", "lis", "ba",
)  # fmt: skip
SUFFIX = {
    "city": "",
    "cso": " Community Trust",
    "statutory_service": " Police Service",
    "national_body": " Ministry of Interior",
    "private_sector": " Media Group",
    "research": " Institute",
    "international_org": " Network",
}


def synthetic(n_actors: int = 20_000, n_rels: int = 100_000, seed: int = 7) -> Dataset:
    """A seeded, valid dataset of mixed actor kinds and relationship types."""
    rnd = random.Random(seed)
    ds = Dataset()
    origin = Origin("synthetic", None)
    by_kind: dict[str, list[Actor]] = defaultdict(list)
    by_kind_country: dict[tuple[str, str], list[Actor]] = defaultdict(list)
    kinds = list(KIND_SHARE)
    weights = list(KIND_SHARE.values())
    themes = schema.KNOWN_THEMES
    for i in range(n_actors):
        kind = rnd.choices(kinds, weights)[0]
        country = rnd.choice(COUNTRIES)
        base = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))).capitalize()
        name = f"{base}{SUFFIX[kind]}"
        extra: dict[str, Any] = {}
        if kind == "city":
            extra["lat"] = round(rnd.uniform(-60, 70), 4)
            extra["lon"] = round(rnd.uniform(-180, 180), 4)
            extra["threats"] = rnd.sample(themes, rnd.randint(0, 2))
        if kind == "cso":
            extra["grassroots"] = rnd.random() < 0.4
        if kind == "private_sector":
            extra["sector"] = rnd.choice(schema.PRIVATE_SECTORS)
        actor = Actor(
            id=f"{country.lower()}-{kind.replace('_', '-')}-{i:05d}",
            name=name,
            kind=kind,
            country=None if kind == "international_org" else country,
            themes=rnd.sample(themes, rnd.randint(1, 3)),
            sources=("synthetic",),
            **extra,
        )
        ds.add(actor, origin)
        by_kind[kind].append(actor)
        by_kind_country[(kind, country)].append(actor)

    everyone = ds.actors
    not_intl = [a for a in everyone if a.kind != "international_org"]
    funders = by_kind["national_body"] + by_kind["private_sector"] + by_kind["international_org"]
    helpers = by_kind["research"] + by_kind["international_org"] + by_kind["national_body"]
    located = by_kind["cso"] + by_kind["statutory_service"] + by_kind["private_sector"]

    def same_country_city(a: Actor) -> Actor:
        pool = by_kind_country.get(("city", a.country or "")) or by_kind["city"]
        return rnd.choice(pool)

    pickers: list[tuple[str, float, Callable[[], tuple[Actor, Actor]]]] = [
        ("TWINNED_WITH", 0.15, lambda: (rnd.choice(by_kind["city"]), rnd.choice(by_kind["city"]))),
        ("PARTNERS_WITH", 0.30, lambda: (rnd.choice(everyone), rnd.choice(everyone))),
        ("COORDINATES_WITH", 0.10, lambda: (rnd.choice(not_intl), rnd.choice(not_intl))),
        ("SHARES_INFORMATION_WITH", 0.10, lambda: (rnd.choice(everyone), rnd.choice(everyone))),
        (
            "MEMBER_OF",
            0.10,
            lambda: (rnd.choice(not_intl), rnd.choice(by_kind["international_org"])),
        ),
        ("FUNDS", 0.10, lambda: (rnd.choice(funders), rnd.choice(by_kind["cso"]))),
        (
            "SUPPORTS_CAPACITY",
            0.10,
            lambda: (rnd.choice(helpers), rnd.choice(by_kind["cso"] + by_kind["city"])),
        ),
        ("LOCATED_IN", 0.05, lambda: (lambda a: (a, same_country_city(a)))(rnd.choice(located))),
    ]
    types = [p[0] for p in pickers]
    shares = [p[1] for p in pickers]
    pick = {p[0]: p[2] for p in pickers}
    seen: set[tuple[str, str, str]] = set()
    while len(seen) < n_rels:
        typ = rnd.choices(types, shares)[0]
        a, b = pick[typ]()
        if a.id == b.id:
            continue
        rel = Relationship(
            source=a.id,
            type=typ,
            target=b.id,
            since=str(rnd.randint(2005, 2024)),
            status=rnd.choices(["active", "planned", "ended"], [0.8, 0.1, 0.1])[0],
            confidential=rnd.random() < 0.05,
            sources=("synthetic",),
        )
        if rel.key in seen:
            continue
        seen.add(rel.key)
        ds.add(rel, origin)
    return ds


# ------------------------------------------------------------------ what each writes


@dataclass
class GraphContent:
    """Property maps exactly as our loader writes them (for the two references)."""

    nodes: dict[str, dict[str, Any]]  # id -> props
    labels: dict[str, str]  # id -> "Entity:Actor:City"
    rels: list[tuple[str, str, str, dict[str, Any]]]  # (source, type, target, props)


def content(ds: Dataset) -> GraphContent:
    nodes: dict[str, dict[str, Any]] = {}
    labels: dict[str, str] = {}
    for rec in [*ds.actors, *ds.initiatives]:
        props = load_mod._node_props(rec)
        props["updated_at"] = NOW
        nodes[rec.id] = props
        family = schema.family_of(rec.kind).capitalize()
        labels[rec.id] = f"Entity:{family}:{schema.kind_label(rec.kind)}"
    rels = []
    for rel in ds.relationships:
        props = load_mod._rel_props(rel, nodes)
        props["updated_at"] = NOW
        s, typ, t = rel.key
        rels.append((s, typ, t, props))
    return GraphContent(nodes, labels, rels)


def country_name(code: str) -> str:
    c = pycountry.countries.get(alpha_2=code)
    return c.name if c else code


def count_graph(db: FalkorDB, graph: str) -> dict[str, int]:
    g = db.select_graph(graph)
    out: dict[str, int] = {}
    for labels, n in g.ro_query("MATCH (n) RETURN labels(n), count(n)").result_set:
        if "ScnMeta" not in labels:
            out[":".join(sorted(labels))] = n
    for typ, n in g.ro_query("MATCH ()-[e]->() RETURN type(e), count(e)").result_set:
        out[f"-[{typ}]->"] = n
    return out


# --------------------------------------------------------------------------- profile


class Profile:
    """Wall time of our loader's phases and queries (monkeypatched wrappers)."""

    PHASES = (
        ("_existing_nodes", "read stored nodes for the ids"),
        ("validate", "validate (ids, endpoints, kinds)"),
        ("likely_duplicates", "likely-duplicate warnings (rapidfuzz)"),
        ("_existing_rels", "read stored relationships for the keys"),
        ("_write_nodes", "write nodes (incl. Country/Theme links)"),
        ("_ensure_countries_and_themes", "  of which Country/Theme nodes"),
        ("_write_theme_links", "  of which Theme links"),
        ("_write_rels", "write relationships"),
    )

    def __init__(self) -> None:
        self.phase: dict[str, float] = defaultdict(float)
        self.queries: dict[str, list[tuple[float, int]]] = defaultdict(list)
        self.encode = 0.0
        self._undo: list[Callable[[], None]] = []

    @contextlib.contextmanager
    def active(self) -> Iterator[Profile]:
        import graph.store.falkordb_store as fs
        import graph.store.falkordb_writes as fw

        for name, _ in self.PHASES:
            self._wrap(load_mod, name, self._timed(name))
        # A load stages its statements in one of the two transaction kinds (in place
        # for a small change, staged copy for a large one): time both.
        self._wrap(fw.StagedTx, "run", self._query_timer)
        self._wrap(fw.InPlaceTx, "run", self._query_timer)
        self._wrap(fs, "cypher_header", self._encode_timer)
        try:
            yield self
        finally:
            for undo in reversed(self._undo):
                undo()
            self._undo.clear()

    def _wrap(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        orig = getattr(owner, name, None)
        if orig is None:  # the loader was refactored; time what still exists
            return
        setattr(owner, name, make(orig))
        self._undo.append(lambda: setattr(owner, name, orig))

    def _timed(self, name: str) -> Callable[[Any], Any]:
        def make(orig: Any) -> Any:
            def wrapper(*a: Any, **k: Any) -> Any:
                t = time.perf_counter()
                try:
                    return orig(*a, **k)
                finally:
                    self.phase[name] += time.perf_counter() - t

            return wrapper

        return make

    def _query_timer(self, orig: Any) -> Any:
        def run(tx: Any, cypher: str, params: Any = None) -> Any:
            rows = 0
            if params:
                first = next(iter(params.values()))
                rows = len(first) if isinstance(first, list) else 1
            t = time.perf_counter()
            try:
                return orig(tx, cypher, params)
            finally:
                self.queries[" ".join(cypher.split())[:95]].append((time.perf_counter() - t, rows))

        return run

    def _encode_timer(self, orig: Any) -> Any:
        def enc(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return orig(*a, **k)
            finally:
                self.encode += time.perf_counter() - t

        return enc

    def lines(self, total: float) -> list[str]:
        out = []
        accounted = 0.0
        for name, label in self.PHASES:
            if name in self.phase:
                out.append(f"    {label:<52} {self.phase[name]:7.2f} s")
                if not label.startswith("  "):
                    accounted += self.phase[name]
        out.append(
            f"    {'the rest: props, diff, schema, GRAPH.COPY/RENAME':<52} "
            f"{total - accounted:7.2f} s"
        )
        out.append(
            f"    {'client-side parameter encoding (inside the writes)':<52} {self.encode:7.2f} s"
        )
        heavy = sorted(self.queries.items(), key=lambda kv: -sum(t for t, _ in kv[1]))[:4]
        for cypher, calls in heavy:
            spent = sum(t for t, _ in calls)
            per = " ".join(f"{t:.2f}" for t, _ in calls[:8])
            sizes = "/".join(str(n) for _, n in calls[:8])
            out.append(f"    {spent:6.2f} s in {len(calls)} × {cypher!r}")
            out.append(f"             per batch (s): {per}   rows: {sizes}")
        return out


# ------------------------------------------------------------------------ contenders


@dataclass
class Result:
    seconds: float
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def run_ours(server_dir: Path, graph: str, ds: Dataset, profile: bool) -> tuple[Result, Result]:
    """First load into an empty graph, then the same load again (everything unchanged)."""
    store = open_store(f"embedded:{server_dir}?graph={graph}")
    prof = Profile()
    with prof.active() if profile else contextlib.nullcontext():
        t = time.perf_counter()
        report = load_mod.load_dataset(store, ds)
        first = time.perf_counter() - t
    assert report.actors.created + report.initiatives.created == len(ds.actors) + len(
        ds.initiatives
    ), report.lines()
    assert report.relationships.created == len(ds.relationships), report.lines()
    prof2 = Profile()
    with prof2.active() if profile else contextlib.nullcontext():
        t = time.perf_counter()
        again = load_mod.load_dataset(store, ds)
        second = time.perf_counter() - t
    assert again.relationships.unchanged == len(ds.relationships), again.lines()
    store.close()
    return (
        Result(first, extra={"profile": prof.lines(first) if profile else []}),
        Result(second, extra={"profile": prof2.lines(second) if profile else []}),
    )


def _row_queries(labels: str) -> str:
    return (
        f"MERGE (n:{labels} {{id: $id}}) SET n = $props "
        "WITH n FOREACH (code IN $country | MERGE (c:Country {code: code}) "
        "ON CREATE SET c.name = $country_name MERGE (n)-[:IN_COUNTRY]->(c)) "
        "FOREACH (t IN $themes | MERGE (th:Theme {name: t}) MERGE (n)-[:HAS_THEME]->(th)) "
        "FOREACH (t IN $threats | MERGE (th:Theme {name: t}) MERGE (n)-[:REPORTS_THREAT]->(th))"
    )


def _node_params(rid: str, props: dict[str, Any]) -> dict[str, Any]:
    code = props.get("country")
    return {
        "id": rid,
        "props": props,
        "country": [code] if code else [],
        "country_name": country_name(code) if code else "",
        "themes": props.get("themes", []),
        "threats": props.get("threats", []),
    }


def run_row_by_row(
    server_dir: Path, db: FalkorDB, graph: str, gc: GraphContent, sample: int
) -> Result:
    """One MERGE per record; nodes and relationships timed on samples, then extrapolated."""
    store = open_store(f"embedded:{server_dir}?graph={graph}")
    store.ensure_schema()  # the same indexes as ours
    store.close()
    g = db.select_graph(graph)
    node_ids = list(gc.nodes)
    n_nodes = min(len(node_ids), max(1, sample // 2))
    n_rels = min(len(gc.rels), max(1, sample - n_nodes))

    t = time.perf_counter()
    for rid in node_ids[:n_nodes]:
        g.query(_row_queries(gc.labels[rid]), _node_params(rid, gc.nodes[rid]))
    t_nodes = time.perf_counter() - t

    # endpoints the relationship sample needs, written in bulk (not timed)
    sample_rels = gc.rels[:n_rels]
    done = set(node_ids[:n_nodes])
    missing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s, _, tgt, _ in sample_rels:
        for rid in (s, tgt):
            if rid not in done:
                done.add(rid)
                missing[gc.labels[rid]].append({"props": gc.nodes[rid]})
    for labels, rows in missing.items():
        for i in range(0, len(rows), 5000):
            g.query(
                f"UNWIND $rows AS r CREATE (n:{labels}) SET n = r.props",
                {"rows": rows[i : i + 5000]},
            )

    t = time.perf_counter()
    for s, typ, tgt, props in sample_rels:
        g.query(
            f"MATCH (a:Entity {{id: $s}}) MATCH (b:Entity {{id: $t}}) "
            f"MERGE (a)-[e:{typ}]->(b) SET e = $props",
            {"s": s, "t": tgt, "props": props},
        )
    t_rels = time.perf_counter() - t

    full = n_nodes == len(node_ids) and n_rels == len(gc.rels)
    total = t_nodes / n_nodes * len(node_ids) + (t_rels / n_rels * len(gc.rels) if gc.rels else 0)
    note = (
        "measured on everything"
        if full
        else f"sampled {n_nodes:,} of {len(node_ids):,} nodes ({n_nodes / t_nodes:,.0f}/s) "
        f"and {n_rels:,} of {len(gc.rels):,} relationships ({n_rels / t_rels:,.0f}/s); "
        "extrapolated"
    )
    return Result(total, note)


def export_bulk_csvs(gc: GraphContent, out: Path) -> list[str]:
    """Node and relationship CSVs for falkordb-bulk-insert (typed headers); its CLI args."""
    out.mkdir(parents=True, exist_ok=True)
    args: list[str] = []

    def typ(v: Any) -> str:
        if isinstance(v, bool):
            return "BOOL"
        if isinstance(v, int):
            return "LONG"
        if isinstance(v, float):
            return "DOUBLE"
        if isinstance(v, list):
            return "ARRAY"
        return "STRING"

    def cell(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return repr(v)
        return str(v)

    def write(path: Path, head: list[str], rows: Iterator[list[Any]]) -> None:
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(head)
            for row in rows:
                w.writerow([cell(v) for v in row])

    groups: dict[str, list[str]] = defaultdict(list)
    for rid, labels in gc.labels.items():
        groups[labels].append(rid)
    countries: dict[str, str] = {}
    themes: set[str] = set()
    derived: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n, (labels, ids) in enumerate(groups.items()):
        keys: dict[str, str] = {}
        for rid in ids:
            for k, v in gc.nodes[rid].items():
                if k != "id":
                    keys.setdefault(k, typ(v))
            p = gc.nodes[rid]
            if p.get("country"):
                countries[p["country"]] = country_name(p["country"])
                derived["IN_COUNTRY"].append((rid, p["country"]))
            for rel, key in (("HAS_THEME", "themes"), ("REPORTS_THREAT", "threats")):
                for t in p.get(key, ()):
                    themes.add(t)
                    derived[rel].append((rid, t))
        cols = list(keys)
        path = out / f"nodes{n}.csv"
        write(
            path,
            ["id:ID(e)", *[f"{k}:{keys[k]}" for k in cols]],
            ([rid, *[gc.nodes[rid].get(k) for k in cols]] for rid in ids),
        )
        args += ["-N", labels, str(path)]
    write(out / "countries.csv", ["code:ID(c)", "name:STRING"], iter(map(list, countries.items())))
    write(out / "themes.csv", ["name:ID(t)"], ([t] for t in sorted(themes)))
    args += ["-N", "Country", str(out / "countries.csv"), "-N", "Theme", str(out / "themes.csv")]

    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for s, rtype, t, props in gc.rels:
        by_type[rtype].append((s, t, props))
    for rtype, rows in by_type.items():
        keys = {}
        for _, _, props in rows:
            for k, v in props.items():
                keys.setdefault(k, typ(v))
        cols = list(keys)
        path = out / f"rel_{rtype}.csv"
        write(
            path,
            [":START_ID(e)", ":END_ID(e)", *[f"{k}:{keys[k]}" for k in cols]],
            ([s, t, *[props.get(k) for k in cols]] for s, t, props in rows),
        )
        args += ["-R", rtype, str(path)]
    for rtype, pairs in derived.items():
        ns = "c" if rtype == "IN_COUNTRY" else "t"
        path = out / f"rel_{rtype}.csv"
        write(path, [":START_ID(e)", f":END_ID({ns})"], (list(p) for p in pairs))
        args += ["-R", rtype, str(path)]
    for label, prop in INDEXES:
        args += ["-i", f"{label}:{prop}"]
    for label, prop in FULLTEXT:
        args += ["-f", f"{label}:{prop}"]
    return args


def run_bulk(socket: Path, graph: str, gc: GraphContent, workdir: Path) -> Result:
    from falkordb_bulk_loader.bulk_insert import bulk_insert

    t = time.perf_counter()
    args = export_bulk_csvs(gc, workdir / graph)
    t_export = time.perf_counter() - t
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    sink = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        bulk_insert.main(
            args=[graph, "-u", f"unix://{socket}", "--enforce-schema", *args],
            standalone_mode=False,
        )
    t_insert = time.perf_counter() - t
    root.handlers[:], root.level = saved
    shutil.rmtree(workdir / graph, ignore_errors=True)
    return Result(
        t_export + t_insert,
        f"CSV export {t_export:.2f} s + falkordb-bulk-insert {t_insert:.2f} s",
    )


# ----------------------------------------------------------------------------- main


def best(results: list[Result]) -> Result:
    return min(results, key=lambda r: r.seconds)


def bench(
    w: Workload,
    server_dir: Path,
    socket: Path,
    db: FalkorDB,
    args: argparse.Namespace,
    run_id: str,
) -> dict[str, Any]:
    gc = content(w.dataset)
    ours, reload, rows, bulk = [], [], [], []
    for i in range(args.repeat):
        first, again = run_ours(server_dir, f"ours_{w.name}_{run_id}_{i}", w.dataset, i == 0)
        ours.append(first)
        reload.append(again)
        rows.append(run_row_by_row(server_dir, db, f"row_{w.name}_{run_id}_{i}", gc, args.sample))
        bulk.append(run_bulk(socket, f"bulk_{w.name}_{run_id}_{i}", gc, server_dir))
    ours_counts = count_graph(db, f"ours_{w.name}_{run_id}_0")
    bulk_counts = count_graph(db, f"bulk_{w.name}_{run_id}_0")
    for i in range(args.repeat):
        for prefix in ("ours", "row", "bulk"):
            db.connection.delete(f"{prefix}_{w.name}_{run_id}_{i}")
    o, rr, r, b = best(ours), best(reload), best(rows), best(bulk)
    n = w.records
    print(f"\n== {w.title}")
    print(
        f"   {len(w.dataset.actors):,} actors + {len(w.dataset.relationships):,} relationships "
        f"= {n:,} records; best of {args.repeat} run(s)"
    )
    if w.read_seconds is not None:
        print(f"   reading and normalising the file (read_twin_cities): {w.read_seconds:6.2f} s")
    print(f"   {'contender':<40} {'seconds':>9} {'records/s':>11}")
    for label, res in (
        ("ours (load_dataset)", o),
        ("row by row (one MERGE per record)", r),
        ("falkordb-bulk-loader", b),
    ):
        print(f"   {label:<40} {res.seconds:9.2f} {n / res.seconds:11,.0f}   {res.note}")
    print(f"   {'ours, loading the same again (unchanged)':<40} {rr.seconds:9.2f}")
    same = ours_counts == bulk_counts
    print(
        "   graphs written by ours and by the bulk loader: "
        + ("identical node and edge counts" if same else f"DIFFER: {ours_counts} vs {bulk_counts}")
    )
    vs_row = r.seconds / o.seconds
    vs_bulk = o.seconds / b.seconds
    print(
        f"   ours vs row by row:  {vs_row:5.1f}× faster  (target ≥ {TARGET_VS_ROW:.0f}×: "
        f"{'met' if vs_row >= TARGET_VS_ROW else 'MISSED'})"
    )
    print(
        f"   ours vs bulk loader: {vs_bulk:5.1f}× its time (target ≤ {TARGET_VS_BULK:.0f}×: "
        f"{'met' if vs_bulk <= TARGET_VS_BULK else 'MISSED'})"
    )
    if w.read_seconds is not None:
        wall = w.read_seconds + o.seconds
        print(
            f"   full load wall time (read + load): {wall:.2f} s (target < {TARGET_WALL_S:.0f} s: "
            f"{'met' if wall < TARGET_WALL_S else 'MISSED'})"
        )
    if ours[0].extra.get("profile"):
        print(f"   where ours spends its time (run 1 of {args.repeat}: {ours[0].seconds:.2f} s):")
        print("\n".join(ours[0].extra["profile"]))
        print(f"   ... and loading the same again (run 1: {reload[0].seconds:.2f} s):")
        print("\n".join(reload[0].extra["profile"]))
    return {"ours": o.seconds, "row": r.seconds, "bulk": b.seconds, "reload": rr.seconds}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--twin-cities", type=Path, default=TWIN_CITIES)
    p.add_argument("--actors", type=int, default=20_000, help="synthetic actors")
    p.add_argument("--relationships", type=int, default=100_000, help="synthetic relationships")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--sample", type=int, default=5_000, help="records run row by row")
    p.add_argument("--repeat", type=int, default=1, help="runs per contender; best is kept")
    p.add_argument("--only", choices=("twin-cities", "synthetic"))
    args = p.parse_args(argv)

    import os

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"bench_ingest: {os.cpu_count()} CPU(s), load average {load} at start, "
        f"Python {sys.version.split()[0]}"
    )
    print(
        "All contenders run interleaved on the same server, so their ratios are steadier "
        "than the absolute times."
    )
    workloads: list[Callable[[], Workload]] = []
    if args.only in (None, "twin-cities"):
        if not args.twin_cities.exists():
            print(f"skipping twin-cities: {args.twin_cities} not found")
        else:

            def twin() -> Workload:
                t = time.perf_counter()
                ds, _ = read_twin_cities(args.twin_cities)
                return Workload(
                    "twin", f"twin-cities ({args.twin_cities})", ds, time.perf_counter() - t
                )

            workloads.append(twin)
    if args.only in (None, "synthetic"):

        def synth() -> Workload:
            t = time.perf_counter()
            ds = synthetic(args.actors, args.relationships, args.seed)
            print(f"(generated the synthetic dataset in {time.perf_counter() - t:.1f} s)")
            return Workload(
                "synth",
                f"synthetic ({args.actors:,} actors, {args.relationships:,} relationships, "
                f"seed {args.seed})",
                ds,
            )

        workloads.append(synth)

    with scratch_server("scn-bench-") as (server_dir, socket):
        db = FalkorDB(unix_socket_path=str(socket))
        run_id = f"{random.randrange(16**6):06x}"
        for make in workloads:
            bench(make(), server_dir, socket, db, args, run_id)
        db.connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
