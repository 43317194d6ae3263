"""The in-place write of a small change: its statements chained into one query."""

from __future__ import annotations

import pytest

from graph.store import StoreError
from graph.store.falkordb_writes import ENV_SMALL_WRITE_MAX, SMALL_WRITE_MAX, chain, small_write_max


def test_chain_renames_each_statements_parameters_and_joins_with_one_row() -> None:
    query, params = chain(
        [
            ("UNWIND $ids AS i MATCH (n:Entity {id: i}) DELETE n", {"ids": ["a"]}),
            ("UNWIND $rows AS r CREATE (n:Entity) SET n = r", {"rows": [{"id": "b"}]}),
            ("UNWIND $ids AS i MERGE (:Theme {name: i})", {"ids": ["hate"]}),
        ]
    )
    assert query == (
        "UNWIND $s0_ids AS i MATCH (n:Entity {id: i}) DELETE n"
        " WITH count(*) AS _s1 UNWIND $s1_rows AS r CREATE (n:Entity) SET n = r"
        " WITH count(*) AS _s2 UNWIND $s2_ids AS i MERGE (:Theme {name: i})"
    )
    assert params == {"s0_ids": ["a"], "s1_rows": [{"id": "b"}], "s2_ids": ["hate"]}


def test_chain_leaves_names_that_are_not_parameters_alone() -> None:
    query, params = chain([("MATCH (n {id: $id}) SET n.x = $other", {"id": "a"})])
    assert query == "MATCH (n {id: $s0_id}) SET n.x = $other"
    assert params == {"s0_id": "a"}


def test_a_statement_that_returns_cannot_be_chained() -> None:
    with pytest.raises(StoreError, match="cannot RETURN"):
        chain([("MATCH (n) RETURN n", {})])


def test_the_threshold_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_SMALL_WRITE_MAX, raising=False)
    assert small_write_max() == SMALL_WRITE_MAX
    monkeypatch.setenv(ENV_SMALL_WRITE_MAX, "0")
    assert small_write_max() == 0
    monkeypatch.setenv(ENV_SMALL_WRITE_MAX, "many")
    with pytest.raises(StoreError, match="whole number"):
        small_write_max()
