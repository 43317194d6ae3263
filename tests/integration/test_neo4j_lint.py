"""Every Cypher statement the Neo4j path can send, checked by Neo4j's own Cypher front end.

No Neo4j server runs here, so the Neo4j contract tests are skipped. What can be checked
without one is checked here: Neo4j's parser and semantic analysis, published on npm as
`@neo4j-cypher/language-support` and pinned in `tools/neo4j-lint` (installed by
`make test`), lint every statement against a schema built from `graph.schema`. A syntax
error, a parameter the call does not pass, a function or procedure Neo4j 5 does not have
(FalkorDB's `algo.*`, `db.idx.fulltext.*`, `db.indexes()`), an unknown label or
relationship type, or a deprecated feature is a diagnostic, and any diagnostic fails.

The statements come from two places: the query layer's list (`graph.queries.statements()`,
every static statement and a rendering of each dynamic one per variant) and, as a
cross-check, what the Neo4j executor would have sent while the store contract tests and the
API tests ran on FalkorDB (`tests/support/neo4j_recorder.py`), which also shows that no Cypher
reached the store from outside the query layer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from graph.queries import statements as query_layer_statements
from graph.store.dialect import FULLTEXT, INDEXES, Dialect
from tests.support.neo4j_schema import db_schema
from tests.support.paths import ROOT

LINT_DIR = ROOT / "tools" / "neo4j-lint"
PACKAGE = "@neo4j-cypher/language-support"
#: The runs whose store calls are recorded: the store contract and the API over HTTP.
RECORDED_TESTS = (
    "tests/integration/test_store.py",
    "tests/integration/test_api_read.py",
    "tests/integration/test_api_write.py",
)
_NEO4J_STORE = "graph/store/neo4j_store.py:Neo4jStore."


@dataclass(frozen=True)
class Checked:
    """One statement to lint: what it is, its Cypher, the parameters its call passes
    (and, for a recorded one, whether a `graph.queries` statement ran it)."""

    name: str
    cypher: str
    params: frozenset[str] = frozenset()
    query_layer: bool = False


# -- running the front end ---------------------------------------------------------


def _node() -> str:
    """The node binary, once the lint package is installed; fails in CI, skips elsewhere."""
    node = shutil.which("node")
    if node is None:
        problem = "Node.js is not installed: the Neo4j front-end check needs node 18.18 or later"
    elif not (LINT_DIR / "node_modules" / PACKAGE).is_dir():
        problem = (
            f"{PACKAGE} is not installed in {LINT_DIR.relative_to(ROOT)}: run `make neo4j-lint`"
        )
    else:
        return node
    if os.environ.get("CI"):
        pytest.fail(problem)
    pytest.skip(problem)


_LINTED: dict[Checked, dict[str, Any]] = {}


def lint(statements: Iterable[Checked]) -> list[dict[str, Any]]:
    """Each statement with the diagnostics Neo4j's front end gives it. The statements not
    linted before in this session go to one node process (loading the front end takes
    seconds, linting a statement milliseconds)."""
    statements = list(statements)
    todo = list(dict.fromkeys(s for s in statements if s not in _LINTED))
    if todo:
        batch = [{"name": s.name, "cypher": s.cypher, "params": sorted(s.params)} for s in todo]
        out = subprocess.run(
            [_node(), str(LINT_DIR / "lint.mjs")],
            input=json.dumps({"dbSchema": db_schema(), "statements": batch}),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert out.returncode == 0, f"lint.mjs failed ({out.returncode}):\n{out.stderr}"
        report = json.loads(out.stdout)
        assert report["package"].startswith(PACKAGE + "@"), report["package"]
        assert report["functions"] > 100 and report["procedures"] > 50, "no Neo4j 5 catalogue"
        assert len(report["results"]) == len(todo)
        _LINTED.update(zip(todo, report["results"], strict=True))
    return [_LINTED[s] for s in statements]


def problems(results: Iterable[dict[str, Any]]) -> list[str]:
    return [
        f"{r['name']}: {d['severity']} at {d['line']}:{d['column']}: {d['message']}\n"
        f"    {r['cypher']}"
        for r in results
        for d in r["diagnostics"]
    ]


def assert_clean(statements: Iterable[Checked]) -> None:
    """The check: no statement gets any diagnostic, error or warning."""
    statements = list(statements)
    assert statements, "nothing to check"
    found = problems(lint(statements))
    assert not found, f"{len(found)} diagnostics from Neo4j's Cypher front end:\n" + "\n".join(
        found
    )


# -- what is checked ------------------------------------------------------------------


def dialect_statements() -> list[Checked]:
    """What the Neo4j dialect renders: index DDL, the index listing, full-text search."""
    d = Dialect("neo4j")
    out = [
        Checked(f"dialect.create_index[{lbl}.{p}]", d.create_index(lbl, p)) for lbl, p in INDEXES
    ]
    for lbl, p in FULLTEXT:
        out.append(Checked(f"dialect.create_fulltext[{lbl}.{p}]", d.create_fulltext(lbl, p)))
        out.append(
            Checked(f"dialect.fulltext_search[{lbl}]", d.fulltext_search(lbl), frozenset({"q"}))
        )
    out.append(Checked("dialect.list_indexes", d.list_indexes()))
    return out


def enumerated_statements() -> list[Checked]:
    """Every statement the Neo4j path can send, as the code lists them."""
    out = dialect_statements()
    out += [Checked(s.name, s.cypher, frozenset(s.params)) for s in query_layer_statements()]
    seen: set[tuple[str, frozenset[str]]] = set()
    unique = []
    for s in out:
        if (s.cypher, s.params) not in seen:
            seen.add((s.cypher, s.params))
            unique.append(s)
    return unique


def test_every_enumerated_statement_passes_neo4j_front_end() -> None:
    statements = enumerated_statements()
    assert len(statements) > 30, [s.name for s in statements]
    assert_clean(statements)


def test_neo4j_dialect_passes_neo4j_front_end() -> None:
    assert_clean(dialect_statements())


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> list[Checked]:
    """What `Neo4jStore` would have sent while the store and API tests ran (on FalkorDB)."""
    _node()  # before minutes of tests, not after
    out = tmp_path_factory.mktemp("neo4j-recorded") / "statements.jsonl"
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "NEO4J_URI" and not k.startswith(("PYTEST_XDIST", "PYTEST_CURRENT"))
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",  # in this process: the recorder sees only the calls made in its own
            "0",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.support.neo4j_recorder",
            f"--neo4j-statements={out}",
            *RECORDED_TESTS,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert run.returncode == 0, f"the recorded test run failed:\n{run.stdout[-4000:]}{run.stderr}"
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [Checked(r["name"], r["cypher"], frozenset(r["params"]), r["query_layer"]) for r in rows]


def test_recorded_statements_pass_neo4j_front_end(recorded: list[Checked]) -> None:
    names = {s.name for s in recorded}
    # The executor's own statements and the product's were both seen.
    for own in ("ensure_schema", "generation", "transaction", "drop"):
        assert _NEO4J_STORE + own in names, sorted(names)
    product = [s for s in recorded if not s.name.startswith(_NEO4J_STORE)]
    assert len({s.cypher for s in product}) > 20, sorted(names)
    assert any(s.name.startswith("ingest/") for s in product), sorted(names)
    assert_clean(recorded)


def test_every_recorded_statement_comes_from_the_query_layer(recorded: list[Checked]) -> None:
    """One place holds the Cypher: each statement sent was run by a `graph.queries`
    statement or is one `statements()` lists (the executor's own come through the shadow,
    so only their text can be compared). A filter combination the list does not render is
    still checked: the recorded statement itself was linted above."""
    listed = {(s.cypher, s.params) for s in enumerated_statements()}
    outside = [
        f"{s.name}: {s.cypher} {sorted(s.params)}"
        for s in recorded
        if not s.query_layer and (s.cypher, s.params) not in listed
    ]
    assert not outside, "Cypher sent from outside graph.queries:\n" + "\n".join(outside)
    assert any(s.query_layer for s in recorded)


# -- the check fails on what Neo4j would refuse ------------------------------------

_F = Dialect("falkordb")
BROKEN = {
    "keyword typo": Checked("typo", "MATCH (n:Entity) RETURN n LIMI 5"),
    "undeclared parameter": Checked("param", "MATCH (n:Entity {id: $id}) RETURN n"),
    "unknown variable": Checked("variable", "MATCH (n:Entity) RETURN m"),
    "algo procedure": Checked(
        "algo", "MATCH (a:Entity) CALL algo.BFS(a, 3, 'PARTNERS_WITH') YIELD nodes RETURN nodes"
    ),
    "algo function": Checked("algofn", "MATCH (n:Entity) RETURN algo.pageRank(n)"),
    "FalkorDB full-text search": Checked(
        "falkordb.fulltext_search", _F.fulltext_search("Entity"), frozenset({"q"})
    ),
    "FalkorDB full-text DDL": Checked(
        "falkordb.create_fulltext", _F.create_fulltext("Entity", "name")
    ),
    "FalkorDB index listing": Checked("falkordb.list_indexes", _F.list_indexes()),
    "GRAPH command": Checked("graph", "GRAPH.QUERY g 'MATCH (n) RETURN n'"),
    "unknown label": Checked("label", "MATCH (n:Actr) RETURN n"),
    "unknown relationship type": Checked("type", "MATCH (:Entity)-[:PARTNER_WITH]->() RETURN 1"),
    "deprecated function": Checked("deprecated", "MATCH (n:Entity) RETURN id(n)"),
}
VALID = Checked(
    "valid",
    "MATCH (n:Entity {id: $id}) WHERE EXISTS { (n)-[:PARTNERS_WITH]->(:City) } "
    "RETURN n.name ORDER BY n.name LIMIT 5",
    frozenset({"id"}),
)


@pytest.fixture(scope="module")
def broken_results() -> dict[str, list[dict[str, Any]]]:
    results = lint([VALID, *BROKEN.values()])
    by_name = {r["name"]: r["diagnostics"] for r in results}
    assert by_name.pop("valid") == []
    return {label: by_name[s.name] for label, s in BROKEN.items()}


@pytest.mark.parametrize("label", sorted(BROKEN))
def test_front_end_flags(broken_results: dict[str, list[dict[str, Any]]], label: str) -> None:
    assert broken_results[label], f"no diagnostic for {BROKEN[label].cypher!r}"


def test_one_broken_statement_fails_the_check() -> None:
    with pytest.raises(AssertionError, match=r"typo: error .*LIMI"):
        assert_clean([VALID, BROKEN["keyword typo"]])
    with pytest.raises(AssertionError, match=r"db\.idx\.fulltext\.queryNodes"):
        assert_clean([*dialect_statements(), BROKEN["FalkorDB full-text search"]])
