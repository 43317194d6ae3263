"""`scn-graph ingest` holds files to the same limits and text rules as the API: one line
naming the file and the limit, exit code 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store
from tests.support.cli import cli_streams
from tests.support.hostile import million_rows, shared_strings_bomb


def _actors(store: Store) -> int:
    return int(store.run("MATCH (a:Actor) RETURN count(a) AS n").scalar())


@pytest.mark.parametrize(
    ("build", "limit"),
    [
        (lambda p: shared_strings_bomb(p, unpacked_mb=64), "SCN_GRAPH_XLSX_MAX_UNPACKED_MB"),
        (lambda p: million_rows(p, 200_000), "SCN_GRAPH_MAX_ROWS"),
        (lambda p: million_rows(p, 200_000, declare=False), "SCN_GRAPH_MAX_ROWS"),
    ],
    ids=["shared strings", "rows", "rows, no dimension"],
)
def test_a_hostile_workbook_is_refused_in_one_line(
    store: Store, store_uri: str, tmp_path: Path, build: object, limit: str
) -> None:
    path = build(tmp_path / "hostile.xlsx")  # type: ignore[operator]
    code, out, err = cli_streams("ingest", str(path), "--store", store_uri)
    assert code == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and limit in lines[0], err
    assert "Traceback" not in err and _actors(store) == 0


def test_a_file_over_the_size_limit_is_refused(
    store: Store, store_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCN_GRAPH_UPLOAD_MAX_MB", "1")
    path = tmp_path / "big.yaml"
    path.write_text("actors:\n  - {id: a, name: A, kind: cso}\n" + "#" * 2**20)
    code, _, err = cli_streams("ingest", str(path), "--store", store_uri)
    assert code == 1 and "1 MB" in err and "SCN_GRAPH_UPLOAD_MAX_MB" in err, err
    assert len(err.strip().splitlines()) == 1 and _actors(store) == 0


def test_a_bad_limit_setting_is_one_line(store_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCN_GRAPH_MAX_ROWS", "lots")
    code, _, err = cli_streams("ingest", "x.yaml", "--store", store_uri)
    assert code == 2 and "SCN_GRAPH_MAX_ROWS" in err and "Traceback" not in err, err


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('"x\\ud800y"', "lone surrogate (U+D800)"),
        ('"a\\u0001b"', "control character U+0001"),
        ('"a\\u0000b"', "control character U+0000"),
        ('"' + "n" * 301 + '"', "at most 300"),
    ],
    ids=["surrogate", "control", "NUL", "long name"],
)
def test_bad_text_in_a_file_is_a_problem(
    store: Store, store_uri: str, tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / "a.json"
    path.write_text(f'{{"actors": [{{"id": "a", "name": {text}, "kind": "cso"}}]}}')
    code, _, err = cli_streams("ingest", str(path), "--store", store_uri)
    assert code == 1 and reason in err and "Traceback" not in err, err
    assert _actors(store) == 0
