"""The test folder's own rules: every test module is in a layer, and none imports another.

Shared builders live in tests/support; a test module importing a test module (or a
conftest) would make one layer depend on the other and run its collection-time code.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT

TESTS = ROOT / "tests"
LAYERS = ("unit", "integration")


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _is_test_module(name: str) -> bool:
    last = name.split(".")[-1]
    return name.startswith("tests.") and (last.startswith("test_") or last == "conftest")


def test_every_test_module_is_in_a_layer() -> None:
    stray = sorted(
        str(p.relative_to(ROOT))
        for p in TESTS.rglob("test_*.py")
        if p.relative_to(TESTS).parts[0] not in LAYERS
    )
    assert not stray, f"put these in tests/unit or tests/integration: {stray}"


def test_no_module_under_tests_imports_a_test_module() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(m for m in _imported_modules(p) if _is_test_module(m))
        for p in sorted(TESTS.rglob("*.py"))
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"move what these import to tests/support: {offenders}"


def test_the_checker_sees_such_an_import(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    module.write_text(
        "from tests.unit import test_gaps\n"
        "def f():\n"
        "    from tests.integration.conftest import store\n",
        encoding="utf-8",
    )
    imported = {m for m in _imported_modules(module) if _is_test_module(m)}
    assert imported == {"tests.unit.test_gaps", "tests.integration.conftest"}
