"""Hand-built graphs for the analysis tests: node and relationship builders, the small
world in which every gap type fires (the examples in docs/gaps.md), and shortcuts
that run the gap detectors on them (`graph.projection.build_graph`).
"""

from __future__ import annotations

from typing import Any

from graph.analysis.findings import Finding
from graph.analysis.gaps import find_gaps
from graph.projection import build_graph
from graph.projection_patch import patched


def _node(id: str, kind: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("name", id.upper())  # names differ from ids, so tests can tell them apart
    return {"id": id, "kind": kind, **kw}


def city(id: str, country: str | None = "GB", **kw: Any) -> dict[str, Any]:
    return _node(id, "city", country=country, **kw)


def actor(id: str, kind: str, country: str | None = "GB", **kw: Any) -> dict[str, Any]:
    return _node(id, kind, country=country, **kw)


def cso(id: str, country: str | None = "GB", grassroots: bool = False, **kw: Any) -> dict:
    return _node(id, "cso", country=country, grassroots=grassroots, **kw)


def initiative(id: str, kind: str = "program", **kw: Any) -> dict[str, Any]:
    return _node(id, kind, **kw)


def framework(id: str, country: str | None = "GB", level: str | None = "national", **kw) -> dict:
    return _node(id, "framework", country=country, level=level, **kw)


def rel(source: str, target: str, type: str = "PARTNERS_WITH", status: str = "active") -> dict:
    return {"source": source, "target": target, "type": type, "status": status}


def gaps(nodes, edges, **kw) -> list[Finding]:
    return find_gaps(build_graph(nodes, edges), **kw)


def of_type(nodes, edges, gap_type: str) -> list[Finding]:
    return gaps(nodes, edges, types=[gap_type])


def subjects(findings: list[Finding]) -> list[tuple[str, ...]]:
    return [f.subjects for f in findings]


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def world() -> tuple[list[dict], list[dict]]:
    """A small world in which every gap type fires (the examples in docs/gaps.md)."""
    nodes = [
        city("london", name="Mayor of London", threats=["hate", "disinformation"]),
        city("manchester", name="Manchester City Council", themes=["hate"]),
        city("paris", "FR", name="Ville de Paris"),
        city("lyon", "FR", name="Ville de Lyon"),
        city("berlin", "DE", name="Land Berlin"),
        actor("home_office", "national_body", name="Home Office", themes=["hate"]),
        actor("scn", "international_org", None, name="Strong Cities Network"),
        actor("gcerf", "international_org", None, name="GCERF"),
        actor("techco", "private_sector", name="Tech Company Ltd"),
        actor("rusi", "research", name="RUSI"),
        cso("cst", name="Community Security Trust", city="london", themes=["hate"]),
        cso("youth", name="Youth Voices", grassroots=True, city="london", themes=["hate"]),
        cso("mums", name="Mothers Together", grassroots=True, themes=["hate"]),
        framework("prevent", name="Prevent Strategy", themes=["violent_extremism"]),
        framework("cohesion", name="Cohesion Framework", themes=["polarisation"]),
        initiative("exchange", name="Peer Exchange", country="GB", themes=["polarisation"]),
        initiative("ireportit", name="IREPORTIT app", country="GB", themes=["hate"]),
        initiative("eval1", "evaluation", name="Youth Voices evaluation", published=False),
    ]
    edges = [
        rel("london", "cst"),
        rel("london", "paris", "TWINNED_WITH"),
        rel("home_office", "manchester", "COORDINATES_WITH"),
        rel("manchester", "prevent", "CONTRIBUTES_TO"),
        rel("manchester", "cohesion", "IMPLEMENTS"),
        rel("manchester", "exchange", "RUNS"),
        rel("london", "scn", "MEMBER_OF"),
        rel("paris", "scn", "MEMBER_OF"),
        rel("berlin", "scn", "MEMBER_OF"),
        rel("london", "cst", "FUNDS"),
        rel("youth", "ireportit", "RUNS"),
        rel("eval1", "ireportit", "EVALUATES"),
        rel("london", "ireportit", "FUNDS"),
        rel("mums", "london", "LOCATED_IN"),
        rel("berlin", "paris", "TWINNED_WITH", status="planned"),
    ]
    return nodes, edges


def patched_to(
    G: Any, new_nodes: list[dict[str, Any]], new_edges: list[dict[str, Any]], touched: Any
) -> Any:
    """`G` patched as a write of `touched` would patch it, towards the graph of
    `new_nodes` and `new_edges`: the touched nodes' new records and every new edge at
    one of them (what the revision of that write names)."""
    ids = set(touched)
    return patched(
        G,
        ids,
        [n for n in new_nodes if n["id"] in ids],
        [e for e in new_edges if ids & {e["source"], e["target"]}],
    )
