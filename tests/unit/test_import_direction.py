"""Dependencies point one way: api/cli -> viz/ingest -> graph.

Every import in the product is checked, including imports inside functions,
relative imports and `importlib.import_module("...")` with a literal name.
`viz` and `ingest` sit side by side and import neither each other nor api/cli;
`cli` may import `api` (`scn-graph serve` runs the app), `api` never imports `cli`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.support.paths import ROOT

#: package -> the product packages it may import (itself always allowed).
ALLOWED: dict[str, frozenset[str]] = {
    "graph": frozenset(),
    "ingest": frozenset({"graph"}),
    "viz": frozenset({"graph"}),
    "api": frozenset({"graph", "ingest", "viz"}),
    "cli": frozenset({"graph", "ingest", "viz", "api"}),
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """`from ..x import y` in `module` as the absolute name it stands for."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import anywhere in the file under `root`."""
    module = _module_name(path, root)
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, _absolute(node, module, is_package)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def violations() -> list[str]:
    found = []
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, imported in imports_of(path):
                top = imported.split(".")[0]
                if top in ALLOWED and top != package and top not in allowed:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    return found


def test_dependencies_point_one_way() -> None:
    found = violations()
    assert not found, (
        "imports against the direction api/cli -> viz/ingest -> graph:\n  " + "\n  ".join(found)
    )


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Guards the checker: nested, relative and importlib imports are all seen."""
    source = tmp_path / "graph" / "sub" / "mod.py"
    source.parent.mkdir(parents=True)
    source.write_text(
        "import os\n"
        "from . import sibling\n"
        "from ..store import x\n"
        "def later():\n"
        "    from viz.style import KINDS\n"
        "    import importlib\n"
        "    return importlib.import_module('api.app')\n",
        encoding="utf-8",
    )
    seen = [name for _, name in imports_of(source, tmp_path)]
    assert seen.count("os") == 1
    assert {"graph.sub", "graph.store", "viz.style", "api.app"} <= set(seen)


def test_every_product_package_has_a_rule() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "benchmarks"}
    assert packages == set(ALLOWED)
