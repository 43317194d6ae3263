"""Every environment variable the product reads is documented, and every documented
`SCN_GRAPH_*` variable is read.

The code is parsed, not imported: a read is `os.environ.get(X)`, `os.environ[X]`,
`os.getenv(X)` or a Typer option's `envvar=X`, where X is a string or a module-level
constant holding one; every whole string `SCN_GRAPH_...` in the code counts too (the
constants handed to a helper that reads them). A read whose name cannot be worked out
must be listed in DYNAMIC_READS with the reason it is covered.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator

from tests.support.paths import DOCS, ROOT

PRODUCT = ("graph", "ingest", "api", "viz", "cli")
#: Where the test run's own settings are read (e.g. where screenshots go): a documented
#: variable read only there is read, though the product never reads it.
TEST_SETTINGS = ("tests/support",)
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
OURS = re.compile(r"SCN_GRAPH_[A-Z0-9_]+")
#: (module, function) reading a variable whose name is a parameter, and why that is fine.
DYNAMIC_READS = {
    ("api/settings.py", "_int_env"): "called only with the module's ENV_* constants",
}


def _modules(packages: tuple[str, ...]) -> Iterator[tuple[str, ast.Module]]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            yield rel, ast.parse(path.read_text(encoding="utf-8"), rel)


def _string_constants(trees: list[tuple[str, ast.Module]]) -> dict[str, str]:
    """Module-level `NAME = "VALUE"` across the product (names are unique enough here)."""
    found: dict[str, str] = {}
    for _, tree in trees:
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = node.value.value
    return found


def _is_environ(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _read_name(call: ast.AST) -> ast.expr | None:
    """The expression naming the variable, if `call` reads one from the environment."""
    if isinstance(call, ast.Subscript) and _is_environ(call.value):
        return call.slice
    if not isinstance(call, ast.Call):
        return None
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ("get", "pop") and _is_environ(func.value):
        return call.args[0] if call.args else None
    if isinstance(func, ast.Attribute) and func.attr == "getenv" and call.args:
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "envvar":
            return keyword.value
    return None


def _nodes_with_function(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every node with the name of the innermost function around it."""
    stack: list[tuple[ast.AST, str]] = [(tree, "<module>")]
    while stack:
        node, function = stack.pop()
        yield node, function
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        stack.extend((child, function) for child in ast.iter_child_nodes(node))


@functools.cache
def variables_read(
    packages: tuple[str, ...] = PRODUCT,
) -> tuple[dict[str, frozenset[str]], frozenset[tuple[str, str]]]:
    """{variable: modules of `packages` reading it}, and the reads whose name is not a
    constant."""
    trees = list(_modules(packages))
    constants = _string_constants(trees)
    read: dict[str, set[str]] = {}
    dynamic: set[tuple[str, str]] = set()
    for rel, tree in trees:
        for node, function in _nodes_with_function(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if OURS.fullmatch(node.value):
                    read.setdefault(node.value, set()).add(rel)
                continue
            expr = _read_name(node)
            if expr is None:
                continue
            names = expr.elts if isinstance(expr, ast.List | ast.Tuple) else [expr]
            for name in names:
                value = (
                    name.value
                    if isinstance(name, ast.Constant)
                    else constants.get(name.id)
                    if isinstance(name, ast.Name)
                    else None
                )
                if isinstance(value, str) and ENV_NAME.fullmatch(value):
                    read.setdefault(value, set()).add(rel)
                else:
                    dynamic.add((rel, function))
    return {k: frozenset(v) for k, v in read.items()}, frozenset(dynamic)


def documentation() -> str:
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md"))]
    return "\n".join(texts)


def _documented(name: str, text: str) -> bool:
    """Named as code (`NAME` or `NAME=value`), not merely as a word in passing."""
    return re.search(rf"`{re.escape(name)}(=[^`]*)?`", text) is not None


def test_the_scan_finds_the_known_variables() -> None:
    """Guards the scanner itself: it must see reads of each kind it claims to handle."""
    read, _ = variables_read()
    assert {"SCN_GRAPH_STORE", "SCN_GRAPH_HOME", "SCN_GRAPH_IDLE_TIMEOUT"} <= set(read)
    assert {"NEO4J_USERNAME", "NEO4J_PASSWORD"} <= set(read)  # os.environ.get("...")
    assert "cli/context.py" in read["SCN_GRAPH_STORE"]  # envvar= and a literal


def test_every_variable_read_is_documented() -> None:
    read, _ = variables_read()
    text = documentation()
    missing = {name: sorted(mods) for name, mods in read.items() if not _documented(name, text)}
    assert not missing, (
        f"environment variables read by the code but not documented in README.md or docs/ "
        f"(write them as `NAME`): {missing}"
    )


def test_every_documented_variable_is_read() -> None:
    read, _ = variables_read(PRODUCT + TEST_SETTINGS)
    documented = set(OURS.findall(documentation()))
    stale = sorted(documented - set(read))
    assert not stale, f"documented but read nowhere in the code: {stale}"


def test_reads_by_computed_name_are_known() -> None:
    _, dynamic = variables_read()
    assert dynamic == set(DYNAMIC_READS), (
        f"environment reads whose name the test cannot see: {sorted(dynamic - set(DYNAMIC_READS))}"
        "; read a named constant, or add the function to DYNAMIC_READS with the reason"
    )
