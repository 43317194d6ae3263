"""The query layer: every Cypher statement is in `graph.queries`, listed by `statements()`
with the parameters it takes (`tests/integration/test_store.py` has each engine plan them all)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest

import graph.queries
from graph.queries import ENGINE_ONLY, FAMILIES, Statement, statements
from tests.support.paths import ROOT

#: Words that make a text Cypher (a clause followed by a pattern or parameter).
CYPHER = re.compile(r"\b(MATCH|MERGE|UNWIND|CREATE|OPTIONAL MATCH|DETACH DELETE)\s*[(\$:]")
PARAM = re.compile(r"\$(\w+)")


def _family_modules() -> list[Any]:
    names = [m.name for m in pkgutil.iter_modules(graph.queries.__path__)]
    return [importlib.import_module(f"graph.queries.{n}") for n in names]


ALL = list({s.name: s for d in ("neo4j", "falkordb") for s in statements(d)}.values())
TEXTS = [s.cypher for s in ALL]


def test_every_family_module_is_listed() -> None:
    families = {m.__name__ for m in (*FAMILIES, *(f for fs in ENGINE_ONLY.values() for f in fs))}
    helpers = {"graph.queries.statement", "graph.queries.fragments"}
    assert {m.__name__ for m in _family_modules()} - helpers == families


def test_every_cypher_constant_is_yielded() -> None:
    """Statements are yielded as they are; a fragment constant is part of one that is."""
    for module in _family_modules():
        for name, value in vars(module).items():
            if isinstance(value, Statement):
                assert value in ALL, f"{module.__name__}.{name} is not yielded"
            elif isinstance(value, str) and CYPHER.search(value):
                assert any(value in t for t in TEXTS), f"{module.__name__}.{name} is not used"


def test_declared_params_are_the_ones_used() -> None:
    for s in ALL:
        assert set(PARAM.findall(s.cypher)) == s.params, s.name
        assert isinstance(s.params, frozenset)


def test_names_are_unique_and_texts_are_whole_statements() -> None:
    names = [s.name for s in ALL]
    assert len(names) == len(set(names))
    for s in ALL:
        assert s.cypher == s.cypher.strip() and "  " not in s.cypher, s.name


def test_the_dialects_differ_only_in_their_ddl() -> None:
    neo4j = {s.name: s for s in statements("neo4j")}
    falkordb = {s.name: s for s in statements("falkordb")}
    only_falkordb = {s.name for f in ENGINE_ONLY["falkordb"] for s in f.statements()}
    assert only_falkordb and not ENGINE_ONLY["neo4j"]
    assert neo4j.keys() == falkordb.keys() - only_falkordb
    differ = {n for n in neo4j if neo4j[n] != falkordb[n]}
    assert differ and all(n.startswith("dialect.") for n in differ)
    assert "IF NOT EXISTS" in neo4j["dialect.create_index[Entity.id]"].cypher
    with pytest.raises(ValueError, match="unknown dialect"):
        list(statements("sqlite"))


def test_a_statement_refuses_parameters_it_does_not_declare() -> None:
    from graph.queries.nodes import node_exists

    q = node_exists()
    with pytest.raises(TypeError, match=r"takes \['id'\], was given \['ids'\]"):
        q.read(None, ids=["x"])  # type: ignore[arg-type]  # refused before the store is used
    with pytest.raises(TypeError, match="was given"):
        q.write(None)  # type: ignore[arg-type]


def _cypher_literals(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and CYPHER.search(node.value)
        ):
            found.append((node.lineno, node.value))
    return found


#: Cypher that is not ours to send: examples of an analyst's own query, as
#: (file, how the text starts).
NOT_OURS = {
    ("api/models.py", "MATCH (c:City {country: $cc})"),  # in the OpenAPI schema
    ("cli/cmd_core.py", "Run a read-only Cypher query."),  # the `query` command's help
}


def test_no_cypher_outside_the_query_layer() -> None:
    """api/, cli/, ingest/, viz/ and the rest of graph/ run statements; they write none."""
    allowed_dirs = {ROOT / "graph" / "queries"}
    allowed_files = {ROOT / "graph" / "store" / "dialect.py"}
    offenders = []
    for folder in ("api", "cli", "ingest", "viz", "graph"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path in allowed_files or any(d in path.parents for d in allowed_dirs):
                continue
            rel = str(path.relative_to(ROOT))
            for line, text in _cypher_literals(path):
                if any(rel == f and text.startswith(start) for f, start in NOT_OURS):
                    continue
                offenders.append(f"{rel}:{line}: {text[:60]!r}")
    assert offenders == []
