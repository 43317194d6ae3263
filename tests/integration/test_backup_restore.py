"""`scn-graph db backup` / `db restore`: every node and relationship with all labels
and properties (bookkeeping and nodes of any other label too) and the store's API keys,
in a file of mode 0600; a restore refuses a non-empty store without --force and, when
it fails, leaves the store exactly as it was."""

from __future__ import annotations

import gzip
import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.keys import KeyStore
from graph.history.read import latest_revision, revisions, touched_since
from graph.store import Store, open_store
from graph.store.uri import parse_store_uri
from ingest.load import load_dataset
from ingest.readers import read_input
from ingest.readers.document import dataset_from_mapping
from tests.support.cli import run_cli
from tests.support.ingest import YAML


def everything(store: Store) -> list[Any]:
    """Every node (labels in order, all properties) and relationship; the generation
    counter's node aside, whose generation a restore moves on."""
    nodes = store.run(
        "MATCH (n) WHERE NOT n:ScnMeta RETURN labels(n), properties(n)", read_only=True
    ).rows
    rels = store.run(
        "MATCH (a)-[r]->(b) RETURN properties(a), type(r), properties(b), properties(r)",
        read_only=True,
    ).rows
    return sorted(map(repr, nodes)) + sorted(map(repr, rels))


@pytest.fixture
def other(server_dir: Path) -> Iterator[tuple[Store, str]]:
    uri = f"embedded:{server_dir}?graph=rs{uuid.uuid4().hex[:10]}"
    s = open_store(uri)
    yield s, uri
    s.drop()  # type: ignore[attr-defined]
    s.close()


def keys_of(env: dict[str, str], uri: str) -> KeyStore:
    return KeyStore(Path(env["SCN_GRAPH_KEYS_FILE"]), parse_store_uri(uri).display())


@pytest.fixture
def source(env: dict[str, str]) -> Iterator[tuple[Store, str]]:
    """The CLI's store with data, a node of a label no product read knows (as a revision
    is), a relationship between two such nodes, and an API key."""
    uri = env["SCN_GRAPH_STORE"]
    s = open_store(uri)
    load_dataset(s, read_input(YAML))
    s.run(
        "CREATE (:ScnExtra:Archived {id: 1, change: '{\"nodes\": []}', n: 2.5, ok: true, "
        "tags: ['a', 'b']})-[:FOLLOWS {since: 3}]->(:ScnExtra {id: 2})"
    )
    yield s, uri
    s.drop()  # type: ignore[attr-defined]
    s.close()


def test_backup_then_restore_into_an_empty_store_gives_everything_back(
    env: dict[str, str], source: tuple[Store, str], other: tuple[Store, str], tmp_path: Path
) -> None:
    store, uri = source
    _key, secret = keys_of(env, uri).add("alice", "editor")
    file = tmp_path / "scn.backup"
    res = run_cli("db", "backup", file)
    assert res.exit_code == 0, res.output
    assert "mode 0600" in res.stdout and "1 API keys" in res.stdout
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    target, target_uri = other
    res = run_cli("db", "restore", file, "--store", target_uri)
    assert res.exit_code == 0, res.output
    assert everything(target) == everything(store)
    assert target.generation > store.generation
    # the history comes back whole: the same revisions, and the next one follows on
    assert [r.to_json() for r in revisions(target)] == [r.to_json() for r in revisions(store)]
    assert latest_revision(target) == latest_revision(store) >= 1
    # the restore itself is a write no revision describes: what changed since is unknown
    assert touched_since(target, store.generation) is None
    restored = keys_of(env, target_uri)
    assert [k.name for k in restored.list()] == ["alice"]
    assert restored.verify(secret) is not None and restored.verify(secret).role == "editor"
    # the restored store works as any other: a load finds everything unchanged, and
    # the next revision's id follows the restored ones
    report = load_dataset(target, read_input(YAML))
    assert report.actors.created == 0 and report.relationships.updated == 0
    newcomer = {"actors": [{"id": "newcomer", "kind": "city", "name": "Newcomer"}]}
    load_dataset(target, dataset_from_mapping(newcomer, "edit"))
    assert latest_revision(target) == latest_revision(store) + 1


def test_restore_refuses_a_store_that_is_not_empty_without_force(
    env: dict[str, str], source: tuple[Store, str], other: tuple[Store, str], tmp_path: Path
) -> None:
    store, _uri = source
    file = tmp_path / "scn.backup"
    assert run_cli("db", "backup", file).exit_code == 0
    target, target_uri = other
    target.run("CREATE (:Entity:Actor:City {id: 'kept', name: 'Kept', kind: 'city'})")
    before = everything(target)
    res = run_cli("db", "restore", file, "--store", target_uri)
    assert res.exit_code == 1 and "--force" in res.output
    assert everything(target) == before
    res = run_cli("db", "restore", file, "--store", target_uri, "--force")
    assert res.exit_code == 0, res.output
    assert everything(target) == everything(store)


def _rewrite(src: Path, dst: Path, change: Any) -> None:
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    with gzip.open(dst, "wt", encoding="utf-8") as fh:
        for line in change(lines):
            fh.write(json.dumps(line) + "\n")


def test_a_failed_restore_leaves_the_store_as_it_was(
    env: dict[str, str], source: tuple[Store, str], other: tuple[Store, str], tmp_path: Path
) -> None:
    """A truncated file is refused before anything is written; a file whose records
    cannot all be made fails on the staged copy, and the live graph is untouched."""
    _store, _uri = source
    file = tmp_path / "scn.backup"
    assert run_cli("db", "backup", file).exit_code == 0
    target, target_uri = other
    target.run("CREATE (:Entity:Actor:City {id: 'kept', name: 'Kept', kind: 'city'})")
    before, generation = everything(target), target.generation

    truncated = tmp_path / "truncated.backup"
    _rewrite(file, truncated, lambda lines: lines[:-3])
    res = run_cli("db", "restore", truncated, "--store", target_uri, "--force")
    assert res.exit_code == 1 and "not whole" in res.output

    def dangling(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rel = next(line for line in lines if "r" in line)
        rel["r"][2] = 10**9  # a relationship to a node the backup does not hold
        return lines

    broken = tmp_path / "broken.backup"
    _rewrite(file, broken, dangling)
    res = run_cli("db", "restore", broken, "--store", target_uri, "--force")
    assert res.exit_code == 1 and "nothing was changed" in res.output
    assert everything(target) == before and target.generation == generation
    assert not [g for g in target.graphs() if "staging" in g]  # type: ignore[attr-defined]


def test_a_file_that_is_no_backup_is_refused(
    env: dict[str, str], other: tuple[Store, str], tmp_path: Path
) -> None:
    file = tmp_path / "not.backup"
    file.write_bytes(b"hello")
    _target, target_uri = other
    res = run_cli("db", "restore", file, "--store", target_uri)
    assert res.exit_code == 1 and "not a readable scn-graph backup" in res.output
