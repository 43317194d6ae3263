"""Parse a store URI into engine, address and graph name.

    embedded:PATH[?graph=NAME]       embedded FalkorDB in the data directory PATH
    embedded:                        ... in the per-user data directory
    falkordb://[:PASSWORD@]HOST:PORT[/GRAPH]
    bolt://USER:PASS@HOST:PORT[/DATABASE]   (also neo4j://, neo4j+s://, bolt+s://)

Credentials may also come from NEO4J_USERNAME / NEO4J_PASSWORD (never put
secrets in files in the repository).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from graph.store.base import StoreError

DEFAULT_GRAPH = "scn"
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class StoreAddress:
    engine: str  # "embedded" | "falkordb" | "neo4j"
    graph: str = DEFAULT_GRAPH  # FalkorDB graph key, or Neo4j database ("" = server default)
    path: Path | None = None  # embedded data directory
    host: str | None = None
    port: int | None = None
    url: str | None = None  # the driver URL for Neo4j, without credentials
    username: str | None = None
    password: str | None = None

    def display(self) -> str:
        """The URI without any secret, for logs and status output."""
        if self.engine == "embedded":
            return f"embedded:{self.path}?graph={self.graph}"
        if self.engine == "falkordb":
            return f"falkordb://{self.host}:{self.port}/{self.graph}"
        return f"{self.url}/{self.graph}" if self.graph else str(self.url)


def parse_store_uri(uri: str | None, default_dir: Path | None = None) -> StoreAddress:
    """Parse `uri`; None or "" means the embedded store in `default_dir`."""
    if not uri:
        uri = "embedded:"
    if uri.startswith("embedded:"):
        rest = uri[len("embedded:") :]
        path_part, _, query = rest.partition("?")
        graph = parse_qs(query).get("graph", [DEFAULT_GRAPH])[0]
        path = Path(path_part).expanduser() if path_part else default_dir
        if path is None:
            raise StoreError("embedded store needs a data directory")
        return StoreAddress("embedded", graph=_graph_name(graph), path=path.resolve())
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme == "falkordb":
        graph = parts.path.strip("/") or DEFAULT_GRAPH
        return StoreAddress(
            "falkordb",
            graph=_graph_name(graph),
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            password=unquote(parts.password) if parts.password else None,
        )
    if scheme in NEO4J_SCHEMES:
        netloc = parts.hostname or "localhost"
        if parts.port:
            netloc += f":{parts.port}"
        return StoreAddress(
            "neo4j",
            graph=parts.path.strip("/"),
            url=f"{scheme}://{netloc}",
            username=unquote(parts.username)
            if parts.username
            else os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=unquote(parts.password)
            if parts.password
            else os.environ.get("NEO4J_PASSWORD"),
        )
    raise StoreError(
        f"unknown store URI {uri!r}: use embedded:PATH, falkordb://host:port, "
        "bolt://host:port or neo4j://host:port"
    )


def _graph_name(name: str) -> str:
    if not name or not all(c.isalnum() or c in "_-" for c in name):
        raise StoreError(f"graph name {name!r} may hold only letters, digits, _ and -")
    return name
