"""`decode_reply` on hand-built compact replies: the shapes a read's reply can take
(rows, no rows, statistics only) and the server's errors inside a reply."""

from __future__ import annotations

import pytest
from redis import ResponseError

from graph.store.falkordb_reply import decode_reply

STATS = ["Cached execution: 0", "Query internal execution time: 0.5 milliseconds"]


def test_rows_of_plain_cells() -> None:
    header = [[1, "id"], [1, "n"], [1, "ok"], [1, "f"], [1, "l"], [1, "m"], [1, "gone"]]
    row = [
        [2, "zürich"],
        [3, -7],
        [4, "false"],
        [5, "2.5"],
        [6, [[2, "a"], [4, "true"], [6, []]]],
        [10, ["k", [5, "1"], "deep", [10, ["x", [1, None]]]]],
        [1, None],
    ]
    res = decode_reply([header, [row], STATS], None)
    assert res.columns == ["id", "n", "ok", "f", "l", "m", "gone"]
    assert res.rows == [
        ["zürich", -7, False, 2.5, ["a", True, []], {"k": 1.0, "deep": {"x": None}}, None]
    ]
    assert [type(v) for v in res.rows[0][:4]] == [str, int, bool, float]
    assert res.stats == {}


def test_no_rows_and_no_columns() -> None:
    assert decode_reply([[[1, "id"]], [], STATS], None).rows == []
    assert decode_reply([[[1, "id"]], [], STATS], None).columns == ["id"]
    empty = decode_reply([STATS], None)  # a query without RETURN: statistics only
    assert (empty.columns, empty.rows) == ([], [])


@pytest.mark.parametrize("where", ["first", "last"])
def test_an_error_in_the_reply_is_raised(where: str) -> None:
    error = ResponseError("Division by zero")
    reply = [error, STATS] if where == "first" else [[[1, "x"]], [[[3, 1]]], error]
    with pytest.raises(ResponseError, match="Division by zero"):
        decode_reply(reply, None)
