"""Pytest plugin: record what the Neo4j executor would send while the tests run on FalkorDB.

    pytest -p tests.support.neo4j_recorder --neo4j-statements=FILE \
        tests/integration/test_store.py ...

Every call on a `FalkorDBStore` still runs on the real embedded FalkorDB; beside it, the
same call is made on a *shadow* `Neo4jStore` (the real class, built with a driver that only
captures), so what is recorded is exactly the Cypher and the parameter names `Neo4jStore`
would hand the Neo4j driver: its dialect's DDL from `ensure_schema`, its generation query,
its generation bump at each commit, `EXPLAIN` before a plan, and the product's queries.

Recorded: Cypher the product wrote. Not recorded: Cypher a test wrote (the caller is under
tests/), the FalkorDB executor's own queries (their Neo4j equivalents are recorded instead),
and Cypher a person typed (POST /api/query, `scn-graph query`). FILE gets one JSON object
per distinct statement: {"name": "<file>:<function>", "cypher": ..., "params": [...],
"query_layer": <a graph.queries statement ran it>}.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from graph.store.falkordb_store import FalkorDBStore
from graph.store.neo4j_store import Neo4jStore
from tests.support.paths import ROOT

OPTION = "--neo4j-statements"
#: Where a person's own Cypher reaches the store: theirs to get right, not the product's.
PASSTHROUGH = frozenset({("api/routes/query.py", "run_query"), ("cli/cmd_core.py", "query")})
_STORE_DIR = "graph/store/"
_QUERIES_DIR = "graph/queries/"
_PACKAGES = ("graph/", "ingest/", "api/", "viz/", "cli/", "tests/")
_THIS = Path(__file__).resolve()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        metavar="FILE",
        help="write the Cypher the Neo4j executor would send for the product's calls to FILE",
    )


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption(OPTION)
    if path:
        recorder = Recorder(Path(path))
        recorder.install()
        config.stash[_KEY] = recorder


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(_KEY, None)
    if recorder is not None:
        recorder.uninstall()
        recorder.write()


class Recorder:
    """Collects (name, cypher, params) from every shadow `Neo4jStore`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.statements: set[tuple[str, str, tuple[str, ...], bool]] = set()
        self._lock = threading.Lock()
        self._current = threading.local()
        self._patches: list[Any] = []

    # -- what the shadow sends ---------------------------------------------
    def capture(self, cypher: str, params: Mapping[str, Any] | None) -> None:
        caller = getattr(self._current, "caller", None)
        if caller is None:
            return
        name, built = caller
        with self._lock:
            self.statements.add((name, cypher, tuple(sorted(params or {})), built))

    @contextmanager
    def calling(self, caller: str | tuple[str, bool] | None) -> Iterator[None]:
        """Statements the shadow sends inside this block are recorded under `caller`: a
        name, or (name, whether a `graph.queries` statement ran it); None: not recorded."""
        outer = getattr(self._current, "caller", None)
        self._current.caller = (caller, False) if isinstance(caller, str) else caller
        try:
            yield
        finally:
            self._current.caller = outer

    def write(self) -> None:
        lines = [
            json.dumps({"name": n, "cypher": c, "params": list(p), "query_layer": b})
            for n, c, p, b in sorted(self.statements)
        ]
        self.path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    # -- the patched FalkorDB executor ---------------------------------------
    def shadow(self, store: FalkorDBStore) -> Neo4jStore:
        shadow = store.__dict__.get("_neo4j_shadow")
        if shadow is None:
            driver = _CapturingDriver(self.capture)
            with mock.patch("neo4j.GraphDatabase.driver", return_value=driver):
                shadow = Neo4jStore(url="bolt://shadow.invalid:7687", uri="bolt://shadow.invalid")
            store.__dict__["_neo4j_shadow"] = shadow
        return shadow

    def install(self) -> None:
        rec = self
        orig_run = FalkorDBStore.run
        orig_plan = FalkorDBStore.plan_operations
        orig_tx = FalkorDBStore.transaction
        orig_schema = FalkorDBStore.ensure_schema
        orig_generation = FalkorDBStore.generation
        orig_clear = FalkorDBStore.clear
        orig_drop = FalkorDBStore.drop

        def run(self: FalkorDBStore, cypher: str, params: Any = None, **kw: Any) -> Any:
            with rec.calling(_product_caller()):
                rec.shadow(self).run(cypher, params, **kw)
            return orig_run(self, cypher, params, **kw)

        def plan_operations(self: FalkorDBStore, cypher: str, params: Any = None) -> Any:
            with rec.calling(_product_caller()):
                rec.shadow(self).plan_operations(cypher, params)
            return orig_plan(self, cypher, params)

        @contextmanager
        def transaction(self: FalkorDBStore, *, records: int | None = None) -> Iterator[Any]:
            if _caller_file().startswith(_STORE_DIR):  # the executor's own (clear, schema)
                with orig_tx(self, records=records) as tx:
                    yield tx
                return
            with (
                orig_tx(self, records=records) as tx,
                rec.calling(_STORE_NAME + "transaction"),
                rec.shadow(self).transaction(records=records) as shadow_tx,
            ):
                yield _RecordingTx(rec, tx, shadow_tx)

        def own(method: str, orig: Callable[..., Any]) -> Callable[..., Any]:
            """A store method whose Cypher is the executor's own: always recorded."""

            def call(self: FalkorDBStore) -> Any:
                with rec.calling(_STORE_NAME + method):
                    getattr(rec.shadow(self), method)()
                return orig(self)

            return call

        def generation(self: FalkorDBStore) -> int:
            with rec.calling(_STORE_NAME + "generation"):
                _ = rec.shadow(self).generation
            return orig_generation.fget(self)  # type: ignore[no-any-return]

        def ensure_schema(self: FalkorDBStore) -> None:
            shadow = rec.shadow(self)
            shadow._schema_ready = False  # each call: what a fresh Neo4jStore would send
            with rec.calling(_STORE_NAME + "ensure_schema"):
                shadow.ensure_schema()
            orig_schema(self)

        replacements = {
            "run": run,
            "plan_operations": plan_operations,
            "transaction": transaction,
            "ensure_schema": ensure_schema,
            "generation": property(generation),
            "clear": own("clear", orig_clear),
            "drop": own("drop", orig_drop),
        }
        for attr, value in replacements.items():
            patch = mock.patch.object(FalkorDBStore, attr, value)
            patch.start()
            self._patches.append(patch)

    def uninstall(self) -> None:
        while self._patches:
            self._patches.pop().stop()


_KEY = pytest.StashKey[Recorder]()
_STORE_NAME = "graph/store/neo4j_store.py:Neo4jStore."


class _RecordingTx:
    """The real FalkorDB transaction, with each product statement also sent to the shadow."""

    def __init__(self, rec: Recorder, tx: Any, shadow_tx: Any) -> None:
        self._rec, self._tx, self._shadow = rec, tx, shadow_tx

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        with self._rec.calling(_product_caller()):
            self._shadow.run(cypher, params)
        return self._tx.run(cypher, params)


def _callers() -> Iterator[tuple[str, str]]:
    """(repository-relative file, function) of each calling frame in the repository's
    packages, innermost first; library frames (contextlib, starlette, ...) and this
    module are skipped."""
    frame = sys._getframe(1)
    while frame is not None:
        path = Path(frame.f_code.co_filename).resolve()
        if path.is_relative_to(ROOT) and path != _THIS:
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith(_PACKAGES):
                yield rel, frame.f_code.co_name
        frame = frame.f_back


def _caller_file() -> str:
    return next((rel for rel, _ in _callers()), "")


def _product_caller() -> tuple[str, bool] | None:
    """(`file:function` of the code that called the store, past the query layer; whether a
    `graph.queries` statement ran it), or None when the Cypher is not the product's: a
    test's, the FalkorDB executor's own (or the shared base's, whose Neo4j equivalents the
    shadow records itself), or a person's."""
    callers = list(_callers())
    outside = [(r, f) for r, f in callers if not r.startswith(_QUERIES_DIR)]
    if not outside:
        return None
    rel, function = outside[0]
    if rel.startswith(("tests/", _STORE_DIR)) or (rel, function) in PASSTHROUGH:
        return None
    return f"{rel}:{function}", callers[0][0].startswith(_QUERIES_DIR)


class _CapturingDriver:
    """Stands where the `neo4j` driver would: every query it is handed is captured."""

    def __init__(self, capture: Callable[[str, Mapping[str, Any] | None], None]) -> None:
        self._capture = capture

    def verify_connectivity(self) -> None:
        pass

    def session(self, **_: Any) -> AbstractContextManager[_Session]:
        return _Session(self._capture)

    def close(self) -> None:
        pass


class _Session:
    def __init__(self, capture: Callable[[str, Mapping[str, Any] | None], None]) -> None:
        self._capture = capture
        self._closed = False

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *_: Any) -> None:
        self._closed = True

    def run(self, query: Any, parameters: Mapping[str, Any] | None = None) -> _EmptyResult:
        self._capture(getattr(query, "text", query), parameters)
        return _EmptyResult()

    def begin_transaction(self) -> _Session:
        return _Session(self._capture)

    def commit(self) -> None:
        self._closed = True

    def rollback(self) -> None:
        self._closed = True

    def closed(self) -> bool:
        return self._closed


class _EmptyResult:
    plan = None

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def keys(self) -> list[str]:
        return []

    def consume(self) -> _EmptyResult:
        return self
