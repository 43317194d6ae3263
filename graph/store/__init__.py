"""The graph store: one interface (`Store`), one executor per engine.

`open_store(uri)` is the only way the rest of the product gets a store.
"""

from __future__ import annotations

from graph.store.base import (
    QueryResult,
    QueryTimeout,
    ReadOnlyViolation,
    Store,
    StoreBusy,
    StoreError,
    StoreNotWritable,
    StoreUnresponsive,
)
from graph.store.uri import StoreAddress, parse_store_uri

__all__ = [
    "QueryResult",
    "QueryTimeout",
    "ReadOnlyViolation",
    "Store",
    "StoreAddress",
    "StoreBusy",
    "StoreError",
    "StoreNotWritable",
    "StoreUnresponsive",
    "open_store",
    "parse_store_uri",
]


def open_store(uri: str | None = None) -> Store:
    """Open the store a URI names, starting the embedded server if needed."""
    from graph.store.embedded import EmbeddedServer, EmbeddedServerError, default_data_dir

    addr = parse_store_uri(uri, default_dir=default_data_dir())
    if addr.engine == "embedded":
        from graph.store.falkordb_store import FalkorDBStore

        assert addr.path is not None
        server = EmbeddedServer(addr.path)
        try:
            sock = server.ensure_running()
        except EmbeddedServerError as exc:
            raise StoreError(str(exc)) from exc
        return FalkorDBStore(
            graph=addr.graph,
            uri=addr.display(),
            unix_socket_path=str(sock),
            manage_rewrites=True,  # our own server: its AOF rewrites are ours to schedule
            ack_dir=server.data_dir,  # and its acknowledged writes are recorded there
        )
    if addr.engine == "falkordb":
        from graph.store.falkordb_store import FalkorDBStore

        return FalkorDBStore(
            graph=addr.graph,
            uri=addr.display(),
            host=addr.host,
            port=addr.port,
            password=addr.password,
        )
    from graph.store.neo4j_store import Neo4jStore

    assert addr.url is not None
    return Neo4jStore(
        url=addr.url,
        uri=addr.display(),
        database=addr.graph,
        username=addr.username,
        password=addr.password,
    )
