"""The backup file on its own (no store): what is written is read back, mode 0600,
and a file that is not whole, of another version, or for another engine is refused."""

from __future__ import annotations

import gzip
import json
import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from graph.backup import VERSION, Backup, BackupError, read_file, read_store, restore, write_file

BACKUP = Backup(
    7,
    nodes=[
        {"n": 0, "labels": ["Entity", "Actor", "City"], "p": {"id": "x", "lat": 1.5}},
        {"n": 3, "labels": ["ScnRevision"], "p": {"id": 1, "change": "{}", "ok": True}},
    ],
    relationships=[{"r": [0, "IN_COUNTRY", 3], "p": {"since": "2019", "tags": ["a"]}}],
    extras={"api_keys": {"alice": {"role": "editor", "sha256": "ab"}}},
)


def test_what_is_written_is_read_back_and_only_its_owner_may_read_it(tmp_path: Path) -> None:
    path = write_file(BACKUP, tmp_path / "b.backup", engine="falkordb", graph="g")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    got = read_file(path)
    assert (got.generation, got.nodes, got.relationships, got.extras) == (
        BACKUP.generation,
        BACKUP.nodes,
        BACKUP.relationships,
        BACKUP.extras,
    )
    assert got.header["version"] == VERSION and got.header["graph"] == "g"


def _lines(path: Path) -> list[dict]:
    with gzip.open(path, "rt") as fh:
        return [json.loads(line) for line in fh]


def _write(path: Path, lines: list[dict]) -> None:
    with gzip.open(path, "wt") as fh:
        fh.writelines(json.dumps(line) + "\n" for line in lines)


def test_a_file_that_is_not_whole_or_of_another_version_is_refused(tmp_path: Path) -> None:
    path = write_file(BACKUP, tmp_path / "b.backup", engine="falkordb", graph="g")
    lines = _lines(path)
    _write(tmp_path / "cut", lines[:2])
    with pytest.raises(BackupError, match="not whole"):
        read_file(tmp_path / "cut")
    _write(tmp_path / "v9", [{**lines[0], "version": 9}, *lines[1:]])
    with pytest.raises(BackupError, match="version 9"):
        read_file(tmp_path / "v9")
    (tmp_path / "text").write_text("not gzip")
    with pytest.raises(BackupError, match="not a readable scn-graph backup"):
        read_file(tmp_path / "text")


def test_a_label_that_is_no_name_is_refused_before_anything_is_written() -> None:
    bad = Backup(1, nodes=[{"n": 0, "labels": ["A`) DETACH DELETE (x"], "p": {}}])
    falkordb = SimpleNamespace(engine="falkordb")
    with pytest.raises(BackupError, match="not a name"):
        restore(falkordb, bad)  # type: ignore[arg-type]


def test_neo4j_stores_are_refused_with_their_own_tools_named() -> None:
    neo4j = SimpleNamespace(engine="neo4j")
    for call in (lambda: read_store(neo4j), lambda: restore(neo4j, BACKUP)):  # type: ignore[arg-type]
        with pytest.raises(BackupError, match="neo4j-admin database dump"):
            call()
