"""The text bounds put on analysts' Cypher (graph.store.analyst), on the text alone."""

from __future__ import annotations

import pytest

from graph.store.analyst import cap_rows, guard_ranges, reads_files


@pytest.mark.parametrize(
    ("cypher", "found"),
    [
        ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", True),
        ("load /* hidden */ csv from 'x' as r return r", True),
        ("CALL { LOAD CSV FROM 'x' AS r RETURN r } RETURN 1", True),
        ("RETURN 'LOAD CSV' AS words", False),
        ("// LOAD CSV\nRETURN 1", False),
        ("MATCH (`LOAD CSV`) RETURN 1", False),
    ],
)
def test_load_csv_is_found_outside_strings_and_comments(cypher: str, found: bool) -> None:
    assert reads_files(cypher) is found


def test_every_range_call_is_guarded_and_nothing_else() -> None:
    text = guard_ranges("RETURN 'range(1, 2)', n.range, range(0, size(range(1, 3)), 2)", 10)
    assert text.startswith("RETURN 'range(1, 2)', n.range, range((0), CASE WHEN")
    assert text.count("point(") == 3 and ">= 10" in text and text.endswith(", 2)")


def test_a_query_without_range_is_unchanged() -> None:
    assert guard_ranges("MATCH (n) RETURN n", 10) == "MATCH (n) RETURN n"


@pytest.mark.parametrize(
    ("cypher", "capped"),
    [
        ("MATCH (a),(b) RETURN a, b;", "MATCH (a),(b) RETURN a, b\nLIMIT 11"),
        ("MATCH (a) RETURN a // note", "MATCH (a) RETURN a // note\nLIMIT 11"),
        ("MATCH (a) RETURN a LIMIT 5000", "MATCH (a) RETURN a LIMIT 11"),
        ("MATCH (a) RETURN a LIMIT 3", "MATCH (a) RETURN a LIMIT 3"),
        (
            "MATCH (a) RETURN a LIMIT $n",
            "CALL {\nMATCH (a) RETURN a LIMIT $n\n}\nRETURN * LIMIT 11",
        ),
        (
            "RETURN 1 AS a UNION RETURN 2 AS a",
            "CALL {\nRETURN 1 AS a UNION RETURN 2 AS a\n}\nRETURN * LIMIT 11",
        ),
        ("CALL db.labels()", "CALL db.labels()"),
        ("CALL { MATCH (a) RETURN a } RETURN a", "CALL { MATCH (a) RETURN a } RETURN a\nLIMIT 11"),
    ],
)
def test_rows_are_capped_by_the_engine(cypher: str, capped: str) -> None:
    assert cap_rows(cypher, 11) == capped
