"""Upsert a validated dataset into the store: idempotent, counted, all-or-nothing.

The load sends the fingerprint of every record it touches to the store, which
answers which of them are stored unchanged (and sends back the fields of the
others only), and writes only what is new or changed, in batched UNWIND queries
inside one `Store.transaction()` sized by the change (a small one is applied in
place). So the same input twice gives the same graph and the
second run reports everything unchanged; `dry_run` reports the same counts
without writing; and a load killed at any moment leaves the graph as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pycountry

from graph import schema
from graph.edits import Removal, removal_lines, write_removal
from graph.history.model import CountryChange
from graph.history.record import current_user, record_revision
from graph.queries import load as queries
from graph.store.base import Store, Tx
from ingest.changes import load_change
from ingest.duplicates import likely_duplicates
from ingest.problems import ValidationFailed
from ingest.records import Actor, Dataset, Initiative, Relationship
from ingest.sync import SyncPlan, SyncRefused, plan_sync, sync_problems
from ingest.validate import validate

__all__ = ["LoadReport", "SectionCounts", "SyncRefused", "load_dataset"]

BATCH = 5_000
Progress = Callable[[str, int, int], None]  # (phase, done, total)

_TIMESTAMP = queries.UPDATED_AT
FINGERPRINT = schema.FINGERPRINT
LOADED_FROM = schema.LOADED_FROM


@dataclass
class SectionCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # by a sync only

    def to_dict(self, *, sync: bool = False) -> dict[str, int]:
        out = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        return {**out, "removed": self.removed} if sync else out


@dataclass
class LoadReport:
    actors: SectionCounts = field(default_factory=SectionCounts)
    initiatives: SectionCounts = field(default_factory=SectionCounts)
    relationships: SectionCounts = field(default_factory=SectionCounts)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    #: A sync's: the sources it was for, every record it removes (by id and name), and
    #: how many records only lose those sources (others still hold them).
    synced: tuple[str, ...] | None = None
    removals: list[dict[str, Any]] = field(default_factory=list)
    released: int = 0
    #: The countries a `countries` section names or renames: code, name and the name
    #: stored until then (None: the country had no node yet).
    countries: list[dict[str, str | None]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        sync = self.synced is not None
        out: dict[str, Any] = {
            "dry_run": self.dry_run,
            "actors": self.actors.to_dict(sync=sync),
            "initiatives": self.initiatives.to_dict(sync=sync),
            "relationships": self.relationships.to_dict(sync=sync),
            "countries": list(self.countries),
            "warnings": list(self.warnings),
        }
        if sync:
            out["sync"] = {
                "sources": list(self.synced or ()),
                "removals": list(self.removals),
                "released": self.released,
            }
        return out

    def lines(self) -> list[str]:
        head = "Dry run — nothing written. Would load:" if self.dry_run else "Loaded:"
        out = [head]
        for name in ("actors", "initiatives", "relationships"):
            c: SectionCounts = getattr(self, name)
            removed = f"  {c.removed:>7} removed" if self.synced is not None else ""
            out.append(
                f"  {name:<14} {c.created:>7} created  {c.updated:>7} updated  "
                f"{c.unchanged:>7} unchanged{removed}"
            )
        if self.countries:
            named = ", ".join(map(_country_named, self.countries[:_COUNTRIES_NAMED]))
            more = len(self.countries) - _COUNTRIES_NAMED
            named += f" and {more} more (--report-format json lists them)" if more > 0 else ""
            out.append(f"  {'countries':<14} {len(self.countries):>7} named: {named}")
        if self.synced is not None:
            out += _removal_lines(self)
        out += [f"warning: {w}" for w in self.warnings]
        return out


#: Most countries the report's lines name (a big `countries` section names many).
_COUNTRIES_NAMED = 10


def _country_named(c: dict[str, str | None]) -> str:
    """GB 'Great Britain' (was 'United Kingdom')"""
    was = f" (was {c['was']!r})" if c["was"] else ""
    return f"{c['code']} {c['name']!r}{was}"


def _removal_lines(report: LoadReport) -> list[str]:
    verb = "Would remove" if report.dry_run else "Removed"
    sources = ", ".join(report.synced or ())
    out = [f"{verb} {len(report.removals)} record(s) no file of {sources} has any more:"]
    out += removal_lines(report.removals)
    if report.released:
        out.append(f"  {report.released} more only lose the source (another source holds them)")
    return out


def load_dataset(
    store: Store,
    dataset: Dataset,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    who: str | None = None,
    source: str = "ingest",
    sync: Collection[str] | None = None,
    allow_large_sync: bool = False,
    removal: Removal | None = None,
    exact_sources: bool = False,
) -> LoadReport:
    """Validate `dataset` against itself and the store, then upsert it.

    The write is one revision (`graph.history`), recorded in the same transaction:
    `who` made it (the OS user when not given) from `source` (a file name, "api").
    `sync`: the source labels the dataset is the whole truth for; what they held and
    the dataset no longer has is removed in the same transaction (`ingest.sync`),
    refused (`SyncRefused`) past half of a source unless `allow_large_sync`.
    `removal`: records to remove in the same transaction, with their data now
    (`graph.edits.Removal`, complete: a removed node's relationships in it too);
    `exact_sources`: the records' `sources` replace the stored ones instead of adding
    to them (`scn-graph revert` writes records back as they were).
    Raises `ValidationFailed` (nothing written) if anything is wrong.
    """
    nodes = _merge_same_id([*dataset.actors, *dataset.initiatives])
    # A sync for one source holds the records read without a label for it.
    default = next(iter(sync)) if sync is not None and len(sync) == 1 else None
    node_labels = _labels(dataset, [*dataset.actors, *dataset.initiatives], _id, default)
    node_props = {rid: _node_props(rec, node_labels.get(rid)) for rid, rec in nodes.items()}
    node_fps = {rid: fingerprint(props) for rid, props in node_props.items()}
    existing, same_nodes = _existing_nodes(store, _referenced_ids(dataset), node_props, node_fps)
    problems = validate(dataset, existing)
    if problems:
        raise ValidationFailed(problems)
    report = LoadReport(dry_run=dry_run)
    new_actors = [a for a in dataset.actors if a.id not in existing]
    if new_actors:  # only new actors are compared with the names already known
        report.warnings += likely_duplicates(new_actors, existing_names=_names(existing, dataset))
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    released = frozenset(sync or ())

    is_actor = {rid: rec.family == schema.ACTOR for rid, rec in nodes.items()}
    node_writes, node_relabels = _diff(
        node_props,
        _Stored(existing, same_nodes, node_fps),
        now,
        report,
        is_actor.__getitem__,
        released=released,
        exact=exact_sources,
    )

    rels = _merge_same_key(dataset.relationships)
    rel_labels = _labels(dataset, dataset.relationships, _key, default)
    endpoint = {
        rid: {**existing.get(rid, {}), **node_props.get(rid, {})}
        for rid in {r.source for r in rels.values()} | {r.target for r in rels.values()}
    }
    rel_props = {key: _rel_props(rel, endpoint, rel_labels.get(key)) for key, rel in rels.items()}
    rel_fps = {key: fingerprint(props) for key, props in rel_props.items()}
    # Only a relationship whose two ends were both stored before can exist already.
    maybe_stored = [k for k in rels if k[0] in existing and k[2] in existing]
    stored_rels, same_rels = _existing_rels(store, maybe_stored, rel_fps, rel_props)
    rel_writes, rel_relabels = _diff(
        rel_props,
        _Stored(stored_rels, same_rels, rel_fps),
        now,
        report,
        None,
        rels=True,
        released=released,
        exact=exact_sources,
    )
    plan = None
    if sync is not None:
        plan = plan_sync(store, released, node_props.keys(), rels.keys())
        _report_sync(store, plan, dataset, node_props.keys(), report, allow_large_sync)
    relabel_nodes = [{"id": rid, "labels": labels} for rid, labels in node_relabels.items()]
    relabel_rels = [
        {"s": s, "type": typ, "t": t, "labels": labels}
        for (s, typ, t), labels in rel_relabels.items()
    ]
    if plan:
        relabel_nodes += plan.relabel_nodes
        relabel_rels += plan.relabel_rels

    country_writes = _declared_countries(store, dataset)
    report.countries = [{"code": c.code, "name": c.after, "was": c.before} for c in country_writes]
    removing = [r for r in (plan.removal if plan else None, removal) if r]
    others = sum(len(r) for r in removing) + len(relabel_nodes) + len(relabel_rels)
    if dry_run or not (node_writes or rel_writes or country_writes or others):
        return report
    store.ensure_schema()
    change = load_change(
        store,
        node_writes,
        rel_writes,
        stored_nodes=set(existing),
        stored_rels=set(stored_rels),
        removed_nodes={k: v for r in removing for k, v in r.nodes.items()} or None,
        removed_rels={k: v for r in removing for k, v in r.relationships.items()} or None,
        countries=country_writes,
    )
    records = len(node_writes) + len(rel_writes) + len(country_writes) + others
    # The size of the change picks how the store applies it (in place when small).
    with store.transaction(records=records) as tx:
        for r in removing:
            write_removal(tx, r)
        if country_writes:
            rows = [{"code": c.code, "name": c.after} for c in country_writes]
            queries.NAME_COUNTRIES.write(tx, rows=rows)
        _write_nodes(tx, node_writes, nodes, existing, progress)
        _write_rels(tx, rel_writes, stored_rels, progress)
        _write_relabels(tx, relabel_nodes, relabel_rels)
        record_revision(tx, change, who=who or current_user(), source=source)
    return report


def _id(rec: Actor | Initiative) -> str:
    return rec.id


def _key(rec: Relationship) -> tuple[str, str, str]:
    return rec.key


def _labels(
    dataset: Dataset, records: Iterable[Any], key: Callable[[Any], Any], default: str | None
) -> dict[Any, list[str]]:
    """The source labels of each record's id (or key), from every record that has it
    (`default` for a record read without one)."""
    out: dict[Any, set[str]] = defaultdict(set)
    for rec in records:
        label = dataset.label_of(rec) or default
        if label:
            out[key(rec)].add(label)
    return {k: sorted(v) for k, v in out.items()}


def _report_sync(
    store: Store,
    plan: SyncPlan,
    dataset: Dataset,
    present: Collection[str],
    report: LoadReport,
    allow_large: bool,
) -> None:
    """Check what the sync removes, count and list it in `report`; refuse a large one."""
    problems = sync_problems(store, plan, dataset, present)
    if problems:
        raise ValidationFailed(problems)
    report.synced = plan.labels
    report.removals = plan.removal.listing()
    report.released = len(plan.relabel_nodes) + len(plan.relabel_rels)
    for props in plan.removal.nodes.values():
        family = schema.family_of(str(props.get("kind")))
        (report.actors if family == schema.ACTOR else report.initiatives).removed += 1
    report.relationships.removed = len(plan.removal.relationships)
    too_large = plan.too_large()
    if too_large and not allow_large:
        if not report.dry_run:
            raise SyncRefused("; ".join(too_large) + "; nothing was written")
        report.warnings += [f"{why}: the sync is refused unless confirmed" for why in too_large]


def _write_relabels(tx: Tx, nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> None:
    """New source labels on records whose data is unchanged."""
    for chunk in _chunks(nodes):
        queries.RELABEL_NODES.write(tx, rows=chunk)
    for chunk in _chunks(rels):
        queries.RELABEL_RELATIONSHIPS.write(tx, rows=chunk)


def _declared_countries(store: Store, dataset: Dataset) -> list[CountryChange]:
    """Country nodes named in the `countries` section that are new or renamed, with the
    name stored until now (the revision keeps both)."""
    declared: dict[str, str] = {}
    for c in dataset.countries:
        known = pycountry.countries.get(alpha_2=c.code)
        declared[c.code] = c.name or (known.name if known else c.code)
    if not declared:
        return []
    stored = dict(queries.STORED_COUNTRIES.read(store, codes=sorted(declared)).rows)
    return [
        CountryChange(code, stored.get(code), name)
        for code, name in sorted(declared.items())
        if stored.get(code) != name
    ]


# -- reading what is stored ------------------------------------------------


def _referenced_ids(dataset: Dataset) -> list[str]:
    ids = {r.id for r in dataset.actors} | {r.id for r in dataset.initiatives}
    ids |= {r.source for r in dataset.relationships} | {r.target for r in dataset.relationships}
    ids |= {a.city for a in dataset.actors if a.city}
    return sorted(ids)


def _chunks(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass
class _Stored:
    """What is stored of the records a load touches. `same` holds the keys whose stored
    fingerprint equals the one the load would write (`fps`): the server compared them,
    so they are unchanged and were not read back."""

    found: dict[Any, dict[str, Any]]
    same: set[Any]
    fps: Mapping[Any, str]


def _existing_nodes(
    store: Store,
    ids: list[str],
    props: Mapping[str, Mapping[str, Any]],
    fps: Mapping[str, str],
) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The stored nodes among `ids`, and which of them equal the load's (by fingerprint).

    The fingerprints go to the server, which sends the fields back only for nodes that
    differ; an unchanged node's fields are the load's own."""
    found: dict[str, dict[str, Any]] = {}
    same: set[str] = set()
    rows = [{"id": rid, "h": fps.get(rid), "l": props.get(rid, {}).get(LOADED_FROM)} for rid in ids]
    for chunk in _chunks(rows):
        unchanged, differing = queries.STORED_NODES.read(store, rows=chunk).rows[0]
        for rid in unchanged:
            mine = props[rid]
            found[rid] = {f: mine[f] for f in queries.STORED_NODE_FIELDS if f in mine}
            found[rid][FINGERPRINT] = fps[rid]
        same.update(unchanged)
        for rid, *values in differing:
            found[rid] = {
                f: v
                for f, v in zip(queries.STORED_NODE_FIELDS, values, strict=True)
                if v is not None
            }
    return found, same


def _existing_rels(
    store: Store,
    keys: list[tuple[str, str, str]],
    fps: Mapping[tuple[str, str, str], str],
    props: Mapping[tuple[str, str, str], Mapping[str, Any]],
) -> tuple[dict[tuple[str, str, str], dict[str, Any]], set[tuple[str, str, str]]]:
    """The stored relationships among `keys`, and which equal the load's (by fingerprint
    and source labels, compared on the server as for nodes)."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    same: set[tuple[str, str, str]] = set()
    rows = [
        {"i": i, "s": s, "t": t, "type": typ, "h": fps[k], "l": props[k].get(LOADED_FROM)}
        for i, k in enumerate(keys)
        for s, typ, t in (k,)
    ]
    for chunk in _chunks(rows):
        unchanged, differing = queries.STORED_RELATIONSHIPS.read(store, rows=chunk).rows[0]
        for i in unchanged:
            same.add(keys[i])
            found[keys[i]] = {FINGERPRINT: fps[keys[i]]}
        for i, sources, labels, fp, ts in differing:
            found[keys[i]] = {
                "sources": sources or [],
                LOADED_FROM: labels or [],
                FINGERPRINT: fp,
                _TIMESTAMP: ts,
            }
    return found, same


def _names(
    existing: Mapping[str, Mapping[str, Any]], dataset: Dataset
) -> list[tuple[str, str, str | None]]:
    """Names new actors are compared with: stored actors and the dataset's known ones."""
    names = {
        rid: (rid, str(p.get("name", "")), p.get("country"))
        for rid, p in existing.items()
        if p.get("kind") in schema.ACTOR_KINDS
    }
    for a in dataset.actors:
        if a.id in existing:
            names[a.id] = (a.id, a.name, a.country)
    return list(names.values())


# -- computing what to write ---------------------------------------------------


def _merge_same_id(records: Iterable[Actor | Initiative]) -> dict[str, Actor | Initiative]:
    """Identical duplicates (validation refused conflicting ones) become one, sources joined."""
    out: dict[str, Actor | Initiative] = {}
    for rec in records:
        prev = out.get(rec.id)
        if prev is not None:
            rec = rec.model_copy(update={"sources": tuple(sorted({*prev.sources, *rec.sources}))})
        out[rec.id] = rec
    return out


def _merge_same_key(rels: Iterable[Relationship]) -> dict[tuple[str, str, str], Relationship]:
    out: dict[tuple[str, str, str], Relationship] = {}
    for rel in rels:
        prev = out.get(rel.key)
        if prev is not None:
            rel = rel.model_copy(update={"sources": tuple(sorted({*prev.sources, *rel.sources}))})
        out[rel.key] = rel
    return out


def _node_props(rec: Actor | Initiative, labels: list[str] | None) -> dict[str, Any]:
    data = rec.model_dump(mode="json", exclude_none=True)
    for key in ("themes", "threats", "sources"):
        if key in data:
            data[key] = sorted(set(data[key])) if key == "sources" else list(data[key])
            if not data[key]:
                del data[key]
    if labels:
        data[LOADED_FROM] = labels
    return data


def _rel_props(
    rel: Relationship, endpoint: Mapping[str, Mapping[str, Any]], labels: list[str] | None
) -> dict[str, Any]:
    data = rel.model_dump(mode="json", exclude_none=True, exclude={"source", "target", "type"})
    if not data.get("sources"):
        data.pop("sources", None)
    if labels:
        data[LOADED_FROM] = labels
    s, _, t = rel.key
    cls = schema.classify(endpoint.get(s, {}), endpoint.get(t, {}))
    data.update({k: v for k, v in cls.items() if v is not None})
    return data


#: The fingerprint's text form; one encoder, as `json.dumps` with these options would
#: build a new one on every call (a third of the fingerprint's time on large loads).
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_NOT_CONTENT = frozenset({_TIMESTAMP, FINGERPRINT, LOADED_FROM})


def fingerprint(props: Mapping[str, Any]) -> str:
    """A short hash of a node's or relationship's content (without its timestamp and
    source labels, which are compared on their own)."""
    body = {k: v for k, v in props.items() if k not in _NOT_CONTENT}
    text = _CANONICAL_JSON.encode(body)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _with_provenance(
    props: dict[str, Any],
    old: Mapping[str, Any] | None,
    now: str,
    own_fp: str,
    released: frozenset[str] = frozenset(),
    exact: bool = False,
) -> dict[str, Any]:
    """Sources and source labels (`loaded_from`) accumulate across loads, but a synced
    source's label (`released`) is kept only where this load has the record; the
    fingerprint says whether content changed, and `updated_at` moves only when it did.
    `own_fp` is `fingerprint(props)`, reused when the stored lists add nothing; with
    `exact` the stored sources are replaced, not added to."""
    merged = dict(props)
    for key, drop in (("sources", frozenset()), (LOADED_FROM, released)):
        kept = set() if exact and key == "sources" else set((old or {}).get(key, ()) or ())
        values = set(props.get(key, ())) | (kept - drop)
        if values:
            merged[key] = sorted(values)
    merged[FINGERPRINT] = (
        own_fp if merged.get("sources") == props.get("sources") else (fingerprint(merged))
    )
    if old is not None and old.get(FINGERPRINT) == merged[FINGERPRINT]:
        merged[_TIMESTAMP] = old.get(_TIMESTAMP, now)
    else:
        merged[_TIMESTAMP] = now
    return merged


def _diff(
    desired: Mapping[Any, dict[str, Any]],
    stored: _Stored,
    now: str,
    report: LoadReport,
    is_actor: Callable[[Any], bool] | None,
    *,
    rels: bool = False,
    released: frozenset[str] = frozenset(),
    exact: bool = False,
) -> tuple[dict[Any, dict[str, Any]], dict[Any, list[str]]]:
    """What to write, counting created / updated / unchanged in `report`; and the
    unchanged records whose source labels change (their data is not rewritten)."""
    writes: dict[Any, dict[str, Any]] = {}
    relabels: dict[Any, list[str]] = {}
    for rid, props in desired.items():
        if rels or is_actor is None:
            counts = report.relationships
        else:
            counts = report.actors if is_actor(rid) else report.initiatives
        if rid in stored.same:
            counts.unchanged += 1
            continue
        old = stored.found.get(rid)
        merged = _with_provenance(props, old, now, stored.fps[rid], released, exact)
        if old is None:
            counts.created += 1
            writes[rid] = merged
        elif old.get(FINGERPRINT) == merged[FINGERPRINT]:
            counts.unchanged += 1
            if sorted(old.get(LOADED_FROM) or ()) != merged.get(LOADED_FROM, []):
                relabels[rid] = merged.get(LOADED_FROM, [])
        else:
            counts.updated += 1
            writes[rid] = merged
    return writes, relabels


# -- writing -------------------------------------------------------------------


def _write_nodes(
    tx: Tx,
    writes: dict[str, dict[str, Any]],
    records: Mapping[str, Actor | Initiative],
    existing: Mapping[str, Mapping[str, Any]],
    progress: Progress | None,
) -> None:
    """Nodes by kind, each with its IN_COUNTRY link made in the same query."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    relabel: dict[str, list[str]] = defaultdict(list)
    for rid, props in writes.items():
        kind = records[rid].kind
        by_kind[kind].append({"id": rid, "props": props})
        old_kind = existing.get(rid, {}).get("kind")
        if old_kind and old_kind != kind:
            relabel[str(old_kind)].append(rid)
    for old_kind, ids in relabel.items():
        queries.remove_kind_labels(old_kind).write(tx, ids=ids)
    stale = [rid for rid in writes if rid in existing]
    for chunk in _chunks(stale):  # derived links of changed nodes are made again below
        queries.DELETE_DERIVED_LINKS.write(tx, ids=chunk)
    _ensure_countries_and_themes(tx, writes.values())
    total, done = len(writes), 0
    for kind, rows in by_kind.items():
        for new in (True, False):
            subset = [r for r in rows if (r["id"] not in existing) == new]
            for chunk in _chunks(subset):
                # Rows with a country are linked to it by the same query (two forms:
                # see `graph.queries.load`).
                with_country = [r for r in chunk if r["props"].get("country")]
                without = [r for r in chunk if not r["props"].get("country")]
                if with_country:
                    queries.write_nodes(kind, new=new, with_country=True).write(
                        tx, rows=with_country
                    )
                if without:
                    queries.write_nodes(kind, new=new, with_country=False).write(tx, rows=without)
                done += len(chunk)
                if progress:
                    progress("nodes", done, total)
    _write_theme_links(tx, writes)


def _ensure_countries_and_themes(tx: Tx, props: Iterable[Mapping[str, Any]]) -> None:
    """The Country and Theme nodes the written entities link to (few; MERGE is cheap)."""
    codes: set[str] = set()
    themes: set[str] = set()
    for p in props:
        if p.get("country"):
            codes.add(p["country"])
        themes.update(p.get("themes", ()))
        themes.update(p.get("threats", ()))
    countries = []
    for code in sorted(codes):
        c = pycountry.countries.get(alpha_2=code)
        countries.append({"code": code, "name": c.name if c else code})
    if countries:
        queries.ENSURE_COUNTRIES.write(tx, rows=countries)
    if themes:
        queries.ENSURE_THEMES.write(tx, names=sorted(themes))


def _write_theme_links(tx: Tx, writes: Mapping[str, Mapping[str, Any]]) -> None:
    for rel, field_name in queries.THEME_LINKS.items():
        rows = [{"id": rid, "t": t} for rid, p in writes.items() for t in p.get(field_name, ())]
        for chunk in _chunks(rows):
            queries.theme_links(rel).write(tx, rows=chunk)


def _write_rels(
    tx: Tx,
    writes: dict[tuple[str, str, str], dict[str, Any]],
    stored: Mapping[tuple[str, str, str], Any],
    progress: Progress | None,
) -> None:
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (s, typ, t), props in writes.items():
        by_type[typ].append({"s": s, "t": t, "props": props, "new": (s, typ, t) not in stored})
    total, done = len(writes), 0
    for typ, rows in by_type.items():
        for new in (True, False):
            subset = [r for r in rows if r["new"] == new]
            for chunk in _chunks([{k: r[k] for k in ("s", "t", "props")} for r in subset]):
                queries.write_relationships(typ, new=new).write(tx, rows=chunk)
                done += len(chunk)
                if progress:
                    progress("relationships", done, total)
