"""tools/severity_distribution.py and the "Severity on real data" table of docs/gaps.md.

The seed and workbook rows of the table must be what the script computes today, so a
change to those inputs or to a severity rule shows here until the rows are regenerated
(`.venv/bin/python tools/severity_distribution.py --markdown`).
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.support.paths import DOCS, ROOT


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "severity_distribution", ROOT / "tools" / "severity_distribution.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name,attr", [("seed", "SEED"), ("workbook", "WORKBOOK")])
def test_the_docs_row_is_what_the_script_computes(capsys, name: str, attr: str) -> None:  # type: ignore[no-untyped-def]
    tool = _tool()
    path = getattr(tool, attr)
    assert tool.main(["--markdown", f"{name}={path}"]) == 0
    row = capsys.readouterr().out.strip()
    assert row.startswith(f"| {name} (`{path.relative_to(ROOT).as_posix()}`) | ")
    table = (DOCS / "gaps.md").read_text(encoding="utf-8")
    assert row in table.splitlines(), f"regenerate docs/gaps.md's row: {row}"


def test_the_script_counts_every_finding_once_per_severity() -> None:
    from graph.analysis.gaps import find_gaps

    tool = _tool()
    by_severity, by_type = tool.distribution(tool.SEED, None)
    found = find_gaps(tool.graph_of(tool.SEED, None))
    assert sum(by_severity.values()) == len(found) > 0
    assert sum(sum(c.values()) for c in by_type.values()) == len(found)
    assert set(by_type) == {f.type for f in found}
