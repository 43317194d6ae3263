"""docs/reliability.md names, for each promise, the tests that hold it: every test it
names must exist, so the page cannot cite a test that was renamed or removed."""

from __future__ import annotations

import ast
import re

from tests.support.paths import ROOT

DOC = ROOT / "docs" / "reliability.md"
CITED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _test_names(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        n.name
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test_")
    }


def test_every_cited_test_exists() -> None:
    cited = CITED.findall(DOC.read_text(encoding="utf-8"))
    assert len(cited) > 20
    missing = [f"{f}::{t}" for f, t in cited if t not in _test_names(f)]
    assert not missing, missing


def test_every_promise_row_cites_a_test() -> None:
    text = DOC.read_text(encoding="utf-8")
    for section in text.split("\n## ")[1:]:
        title, _, body = section.partition("\n")
        if title.strip() == "Limits":
            continue
        rows = [ln for ln in body.splitlines() if ln.startswith("| ") and "---" not in ln]
        for row in rows[1:]:  # the first is the header
            assert CITED.search(row), (title, row)


def test_every_setting_named_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    names = set(re.findall(r"SCN_GRAPH_[A-Z_]+", text))
    code = "".join(
        p.read_text(encoding="utf-8")
        for folder in ("api", "graph", "cli", "viz", "ingest")
        for p in (ROOT / folder).rglob("*.py")
    )
    assert names and not [n for n in names if n not in code]
