"""Backup and restore of a whole store: every node and relationship of the graph key,
with all its labels and properties (data, bookkeeping, revisions), and named extras
the caller keeps elsewhere (the API keys: `cli.cmd_db`).

The file is gzip-compressed JSON lines, versioned: a header (format, version, time,
engine, graph, generation, counts), one line per node (`n`: its id in the backup,
`labels`, `p`: properties), one per relationship (`r`: [start, type, end]), one per
extra (`x`: name, `data`), and an `end` line repeating the counts, so a truncated or
edited file is refused before anything is written. It is written to a temporary file
with mode 0600 (it holds key hashes and confidential links) renamed into place.

It is a logical dump, not FalkorDB's DUMP/RESTORE of the graph key: RESTORE of a
dumped graph key crashed the embedded server (a segmentation fault in the module on
a 20,000-node graph), and a logical dump also outlives the module's encoding version.
Nodes are read by ranges of internal ids and the generation is read before and after:
a write in between (every write moves it) makes the backup start again.

A restore is staged: on a copy of the live graph (or a new graph) everything is
deleted, the backup's nodes and relationships are created and counted, and one
RENAME makes the copy live (`Store.transaction()` without `records`). Failed or
killed before that, the live graph is as it was. The generation becomes one more
than the larger of the live one and the backup's, so no cache keyed on it mistakes
the restored graph for one it saw. FalkorDB only: on Neo4j use `neo4j-admin
database dump/load`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph.queries import backup as queries
from graph.queries import store as store_queries
from graph.store.base import Store, StoreError, Tx
from graph.store.dialect import Dialect

FORMAT = "scn-graph-backup"
VERSION = 1
#: Internal ids read per query, and records written per query.
PAGE = 5_000
#: How many times a backup starts again when writes keep landing while it reads.
ATTEMPTS = 5
_META = "ScnMeta"
#: What a label must look like to be written into index DDL.
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BackupError(StoreError):
    """A backup that cannot be made, read or restored; nothing was changed."""


@dataclass
class Backup:
    """Everything a backup file holds."""

    generation: int
    nodes: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    header: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.nodes), "relationships": len(self.relationships)}


def _falkordb_only(store: Store) -> None:
    if store.engine != "falkordb":
        raise BackupError(
            f"backup and restore work on FalkorDB stores; for {store.engine} use its own "
            "tools (neo4j-admin database dump / load)"
        )


# --------------------------------------------------------------------------- reading


def read_store(store: Store) -> Backup:
    """The whole graph key, read while no write lands (else read again)."""
    _falkordb_only(store)
    for _ in range(ATTEMPTS):
        before = store.generation
        nodes, rels = _read_all(store)
        if store.generation == before:
            return Backup(before, nodes, rels)
    raise BackupError(f"the graph changed during each of {ATTEMPTS} attempts; try again")


def _read_all(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    top = queries.MAX_NODE_ID.read(store).scalar()
    nodes: list[dict[str, Any]] = []
    rels: list[dict[str, Any]] = []
    for lo in range(0, -1 if top is None else int(top) + 1, PAGE):
        hi = lo + PAGE
        for nid, labels, props in queries.NODES_IN_RANGE.read(store, lo=lo, hi=hi).rows:
            nodes.append({"n": nid, "labels": list(labels), "p": props})
        for s, typ, t, props in queries.RELATIONSHIPS_FROM_RANGE.read(store, lo=lo, hi=hi).rows:
            rels.append({"r": [s, typ, t], "p": props})
    return nodes, rels


# --------------------------------------------------------------------------- the file


def write_file(backup: Backup, path: Path, *, engine: str, graph: str) -> Path:
    """Write `backup` to `path` (mode 0600, replaced whole or not at all)."""
    path = Path(path)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "graph": graph,
        "generation": backup.generation,
        "counts": backup.counts(),
        "extras": sorted(backup.extras),
    }
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as gz:
            for line in _lines(backup, header):
                gz.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode())
                gz.write(b"\n")
            gz.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _lines(backup: Backup, header: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield header
    yield from backup.nodes
    yield from backup.relationships
    for name, data in sorted(backup.extras.items()):
        yield {"x": name, "data": data}
    yield {"end": backup.counts()}


def read_file(path: Path) -> Backup:
    """The backup in `path`; BackupError if it is not one, or not whole."""
    try:
        with gzip.open(Path(path), "rb") as fh:
            return _parse(fh, str(path))
    except (OSError, EOFError, ValueError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"{path} is not a readable scn-graph backup: {exc}") from exc


def _parse(fh: IO[bytes], shown: str) -> Backup:
    header = json.loads(fh.readline() or b"null")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{shown} is not an scn-graph backup")
    if header.get("version") != VERSION:
        raise BackupError(
            f"{shown} is a version {header.get('version')} backup; this scn-graph reads "
            f"version {VERSION}"
        )
    backup = Backup(int(header.get("generation") or 0), header=header)
    end = None
    for raw in fh:
        line = json.loads(raw)
        if "n" in line:
            backup.nodes.append(line)
        elif "r" in line:
            backup.relationships.append(line)
        elif "x" in line:
            backup.extras[line["x"]] = line.get("data")
        elif "end" in line:
            end = line["end"]
    if end != backup.counts() or header.get("counts") != backup.counts():
        raise BackupError(
            f"{shown} is not whole: it says {header.get('counts')} but holds "
            f"{backup.counts()}; nothing was restored"
        )
    return backup


# --------------------------------------------------------------------------- restoring


def has_content(store: Store) -> bool:
    """Whether the store holds anything but its generation counter."""
    return bool(queries.CONTENT_NODES.read(store).scalar())


def restore(store: Store, backup: Backup) -> dict[str, int]:
    """Replace the whole graph with `backup`'s, staged and swapped in (see the module
    docstring); the counts restored. The caller decides whether a non-empty store may
    be replaced (`has_content`)."""
    _falkordb_only(store)
    dialect = Dialect(store.engine)
    meta = next((n for n in backup.nodes if _META in n["labels"]), None)
    nodes = [n for n in backup.nodes if _META not in n["labels"]]
    key_label = {n["n"]: _key_label(n["labels"]) for n in nodes}
    indexed = sorted({label for label in key_label.values() if label})
    with store.transaction() as tx:  # no `records`: staged on a copy, one RENAME
        live = int(store_queries.GENERATION.write(tx).scalar() or 0)
        store_queries.CLEAR.write(tx)
        for label in indexed:  # before any node: an index on an empty label is ready at once
            tx.run(dialect.create_index(label, queries.RESTORE_TAG))
        _create_nodes(tx, nodes)
        _create_relationships(tx, backup.relationships, key_label)
        for label in indexed:
            tx.run(dialect.drop_index(label, queries.RESTORE_TAG))
        for label in {*key_label.values()}:
            queries.untag(label).write(tx)
        props = {k: v for k, v in (meta or {}).get("p", {}).items() if k != "generation"}
        queries.SET_META.write(tx, props=props, generation=max(live, backup.generation))
        got = {
            "nodes": int(queries.COUNT_NODES.write(tx).scalar() or 0),
            "relationships": int(queries.COUNT_RELATIONSHIPS.write(tx).scalar() or 0),
        }
        want = {"nodes": len(nodes) + 1, "relationships": len(backup.relationships)}
        if got != want:
            raise BackupError(f"the restore made {got} instead of {want}; nothing was changed")
    store.ensure_schema()
    return backup.counts()


def _key_label(labels: list[str]) -> str | None:
    """The label a restore finds a node by (the first; None for a node without one)."""
    for label in labels:
        if not NAME.match(label):
            raise BackupError(f"the backup names a label {label!r}, which is not a name")
    return labels[0] if labels else None


def _pages(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), PAGE):
        yield rows[i : i + PAGE]


def _create_nodes(tx: Tx, nodes: list[dict[str, Any]]) -> None:
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for n in nodes:
        by_labels[tuple(n["labels"])].append({"i": n["n"], "p": n["p"]})
    for labels, rows in sorted(by_labels.items()):
        for page in _pages(rows):
            queries.create_nodes(labels).write(tx, rows=page)


def _create_relationships(
    tx: Tx, rels: list[dict[str, Any]], key_label: Mapping[int, str | None]
) -> None:
    groups: dict[tuple[str, str | None, str | None], list[dict[str, Any]]] = defaultdict(list)
    for r in rels:
        s, typ, t = r["r"]
        groups[(typ, key_label.get(s), key_label.get(t))].append({"s": s, "t": t, "p": r["p"]})
    for (typ, start, end), rows in sorted(groups.items(), key=lambda g: str(g[0])):
        for page in _pages(rows):
            queries.create_relationships(typ, start, end).write(tx, rows=page)
