"""Store URIs: every engine's form parsed, secrets kept out of display."""

from __future__ import annotations

import pytest

from graph.store import StoreError
from graph.store.uri import parse_store_uri


def test_store_uri_parsing() -> None:
    a = parse_store_uri("embedded:/tmp/x?graph=g1")
    assert (a.engine, str(a.path), a.graph) == ("embedded", "/tmp/x", "g1")
    f = parse_store_uri("falkordb://:secret@db.example:6380/net")
    assert (f.engine, f.host, f.port, f.graph, f.password) == (
        "falkordb",
        "db.example",
        6380,
        "net",
        "secret",
    )
    assert "secret" not in f.display()
    n = parse_store_uri("neo4j+s://user:pw@abc.databases.neo4j.io")
    assert (n.engine, n.url, n.username, n.password) == (
        "neo4j",
        "neo4j+s://abc.databases.neo4j.io",
        "user",
        "pw",
    )
    assert "pw" not in n.display()
    with pytest.raises(StoreError, match="unknown store URI"):
        parse_store_uri("postgres://x")
    with pytest.raises(StoreError, match="graph name"):
        parse_store_uri("embedded:/tmp/x?graph=bad name")
