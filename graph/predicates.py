"""The domain questions about one node, answered the same way everywhere.

Gap detectors, structure metrics, recommendations and pages all ask "is this a
national framework (of country X)?", "is this a government body?", "is this a
local actor?", "which country is this?". Each question has one rule, written
here, over a node's attribute mapping (a projected node, or a stored node's
properties), so the analyses cannot drift apart. The rules are the ones
`docs/gaps.md` states under "Rules shared by every type".

Nothing here reads the graph: a question that needs relationships (the local
actors of a city through LOCATED_IN, say) belongs to the analysis that owns it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph import schema

Node = Mapping[str, Any]

_ACTIVE = schema.Status.ACTIVE.value
_NATIONAL = schema.Level.NATIONAL.value
_LOCAL = schema.Level.LOCAL.value
_STATED = schema.Basis.STATED.value
_INFERRED = schema.Basis.INFERRED.value


def norm_country(code: object) -> str | None:
    """A country code as stored and compared: stripped, upper case; None when empty.

    Only the spelling of a code; resolving names ("France") to codes is the
    ingest's job (`graph.countries`), done once when data is read.
    """
    if not code:
        return None
    return str(code).strip().upper() or None


def norm_theme(theme: object) -> str:
    """A theme as stored and compared: "Violent extremism" -> "violent_extremism"."""
    return str(theme).strip().lower().replace(" ", "_")


def node_country(node: Node) -> str | None:
    """The node's country code (normalised), or None."""
    return norm_country(node.get("country"))


def actor_city(node: Node) -> str | None:
    """The id of the city an actor names as the one it works in (`city`), or None.

    A city is not its own city. Active LOCATED_IN relationships also make an
    actor local to a city; those are read from the graph by the analyses.
    """
    city = node.get("city")
    return str(city) if city and city != node.get("id") else None


def node_themes(node: Node) -> frozenset[str]:
    """The node's themes, normalised."""
    return frozenset(norm_theme(t) for t in node.get("themes") or ())


def is_actor(node: Node) -> bool:
    return schema.family_of(node.get("kind"), strict=False) == schema.ACTOR


def is_active(node: Node) -> bool:
    """Does the node count now? Initiatives count when `active` (a missing status is
    the default, active); actors have no status and always count."""
    return (node.get("status") or _ACTIVE) == _ACTIVE


#: Statuses of something suggested or committed but not started: a finding may say it
#: "would close" a gap (worded with the status itself), never that it closes it.
PENDING_STATUSES = frozenset({schema.Status.PROPOSED.value, schema.Status.PLANNED.value})


def status_of(record: Node) -> str:
    """A node's or relationship's status; a missing status is the default, active."""
    return str(record.get("status") or _ACTIVE)


def is_ended(record: Node) -> bool:
    """Is it history? An ended record makes no current link."""
    return status_of(record) == schema.Status.ENDED.value


def basis_of(record: Node) -> str:
    """`stated` or `inferred`: what the record rests on (missing means stated)."""
    return str(record.get("basis") or _STATED)


def is_inferred(record: Node) -> bool:
    """Is the record the editor's reading rather than the source's words?"""
    return basis_of(record) == _INFERRED


def in_country(node: Node, country: object) -> bool:
    """Is the node's country `country` (any spelling of the code)? False if either is unset."""
    cc = norm_country(country)
    return cc is not None and node_country(node) == cc


def is_government_body(node: Node) -> bool:
    """An actor of kind city, national_body or statutory_service."""
    return node.get("kind") in schema.GOVERNMENT_KINDS


def is_national_framework(node: Node, country: object = None) -> bool:
    """A `framework` with level national, or with no level but a country; with
    `country`, also of that country.

    Status is a separate rule: callers that count only active initiatives also
    ask `is_active` (a planned national framework still names a mitigation).
    """
    if node.get("kind") != "framework":
        return False
    level = node.get("level")
    if not (level == _NATIONAL or (not level and node.get("country"))):
        return False
    return country is None or in_country(node, country)


def is_local_actor(node: Node, country: object = None) -> bool:
    """An actor with level local; with `country`, also of that country."""
    if not is_actor(node) or node.get("level") != _LOCAL:
        return False
    return country is None or in_country(node, country)


def is_grassroots(node: Node) -> bool:
    """A CSO marked grassroots."""
    return node.get("kind") == "cso" and bool(node.get("grassroots"))
