"""The data model: every vocabulary of the graph, and the rules that classify a
relationship (axis, cross-border, cross-sector).

This is the single source of the actor and initiative kinds, relationship types
and their endpoint rules, statuses, levels, sectors, private sectors, axes,
families, severities and the fingerprint property. Ingest records, API models,
export filters and page styles are built from these tuples, so a new kind or
type is added here and nowhere else. Names and strings here are public
interface (files, API, gaps). Questions about one node (is it a national
framework, a government body, ...) are answered by `graph.predicates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, overload


class Level(StrEnum):
    LOCAL = "local"
    NATIONAL = "national"
    INTERNATIONAL = "international"


class Status(StrEnum):
    """Where a node or relationship stands in time (see docs/gaps.md, "Status")."""

    PROPOSED = "proposed"  # suggested (a next step), not committed
    PLANNED = "planned"  # committed, not started
    ACTIVE = "active"
    ENDED = "ended"


class Basis(StrEnum):
    """What a record rests on: the source's own words, or the editor's reading of them."""

    STATED = "stated"
    INFERRED = "inferred"


class Sector(StrEnum):
    """Broad sectors used for the `cross_sector` classification."""

    PUBLIC = "public"
    CIVIL = "civil"
    PRIVATE = "private"
    INTERNATIONAL = "international"


class Severity(StrEnum):
    """How urgent a gap finding is; most urgent first (sorting uses this order)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


#: The values of each enumeration, in declaration order (API enums keep this order).
LEVELS: tuple[str, ...] = tuple(x.value for x in Level)
STATUSES: tuple[str, ...] = tuple(x.value for x in Status)
BASES: tuple[str, ...] = tuple(x.value for x in Basis)
SEVERITIES: tuple[str, ...] = tuple(x.value for x in Severity)


@dataclass(frozen=True)
class ActorKind:
    name: str
    label: str
    default_level: Level
    sector: Sector
    description: str


ACTOR_KINDS: dict[str, ActorKind] = {
    k.name: k
    for k in (
        ActorKind("city", "City", Level.LOCAL, Sector.PUBLIC, "local authority, mayor's office"),
        ActorKind("cso", "CSO", Level.LOCAL, Sector.CIVIL, "civil-society organisation"),
        ActorKind(
            "statutory_service",
            "StatutoryService",
            Level.LOCAL,
            Sector.PUBLIC,
            "police, health, schools, social care",
        ),
        ActorKind(
            "national_body",
            "NationalBody",
            Level.NATIONAL,
            Sector.PUBLIC,
            "ministry, agency, national hub",
        ),
        ActorKind(
            "private_sector", "PrivateSector", Level.NATIONAL, Sector.PRIVATE, "company or industry"
        ),
        ActorKind("research", "Research", Level.NATIONAL, Sector.CIVIL, "think tank, university"),
        ActorKind(
            "international_org",
            "InternationalOrg",
            Level.INTERNATIONAL,
            Sector.INTERNATIONAL,
            "network, multilateral, funder",
        ),
    )
}

INITIATIVE_KINDS: dict[str, str] = {
    "program": "Program",
    "framework": "Framework",
    "evaluation": "Evaluation",
    "resource": "Resource",
    "event": "Event",
}

ACTOR_KIND_NAMES: tuple[str, ...] = tuple(ACTOR_KINDS)
INITIATIVE_KIND_NAMES: tuple[str, ...] = tuple(INITIATIVE_KINDS)
#: Every node kind: the actor kinds, then the initiative kinds.
KIND_NAMES: tuple[str, ...] = ACTOR_KIND_NAMES + INITIATIVE_KIND_NAMES

#: Kinds whose actors count as a "government body" in the gap catalogue.
GOVERNMENT_KINDS = frozenset({"city", "national_body", "statutory_service"})

#: The `sector` of a private_sector actor.
PRIVATE_SECTORS = ("tech", "media", "other")

#: Well-known themes; the list is open, these are the ones the workshop names.
KNOWN_THEMES = (
    "hate",
    "violent_extremism",
    "polarisation",
    "disinformation",
    "conspiracy",
    "antisemitism",
    "radicalisation",
    "terrorism",
    "mental_health",
    "safeguarding",
    "m_and_e",
    "national_local_cooperation",
    "public_private_partnership",
    "media_representation",
    "hate_crime_reporting",
)

#: The data properties a node may carry (actors and initiatives together), in the order
#: exports list them; ingest's records hold exactly these (tests/unit/test_vocabulary.py).
NODE_PROPERTIES = (
    "id",
    "kind",
    "name",
    "country",
    "nation",
    "level",
    "city",
    "themes",
    "threats",
    "grassroots",
    "sector",
    "lat",
    "lon",
    "status",
    "basis",
    "start",
    "end",
    "published",
    "url",
    "note",
    "sources",
)
#: The data properties of a relationship besides its two ends.
RELATIONSHIP_PROPERTIES = ("type", "status", "basis", "confidential", "since", "note", "sources")
#: What `classify` adds to an actor-actor relationship.
CLASSIFICATION = ("axis", "cross_border", "cross_sector")

#: Property the loader stores with a hash of each node's and relationship's content,
#: so a reload compares without reading everything back. Bookkeeping, never shown.
FINGERPRINT = "content_hash"
#: Property the loader stores with the labels of the sources (files, or `--source`
#: labels) that hold a node or relationship, so a sync removes only what its source
#: alone held. Bookkeeping, never shown.
LOADED_FROM = "loaded_from"
#: Stored properties that are bookkeeping, not data: kept out of API answers and exports.
INTERNAL_PROPERTIES = frozenset({FINGERPRINT, LOADED_FROM})

ACTOR = "actor"
INITIATIVE = "initiative"
#: The two node families.
FAMILIES = (ACTOR, INITIATIVE)
ANY = frozenset({ACTOR, INITIATIVE})

#: The `axis` of an actor–actor relationship (see `classify`).
AXES = ("vertical", "horizontal")


@dataclass(frozen=True)
class RelType:
    """A relationship type and the node kinds it may join.

    `sources` / `targets` hold actor kinds, initiative kinds, or the wildcards
    "actor" / "initiative" meaning any kind of that family.
    """

    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    symmetric: bool
    meaning: str

    def allows(self, source_kind: str, target_kind: str) -> bool:
        return _matches(source_kind, self.sources) and _matches(target_kind, self.targets)


def _matches(kind: str, allowed: frozenset[str]) -> bool:
    if kind in allowed:
        return True
    family = ACTOR if kind in ACTOR_KINDS else INITIATIVE if kind in INITIATIVE_KINDS else None
    return family in allowed


_A = frozenset({ACTOR})
_I = frozenset({INITIATIVE})
_PROG_FW = frozenset({"framework", "program"})

REL_TYPES: dict[str, RelType] = {
    t.name: t
    for t in (
        RelType("PARTNERS_WITH", _A, _A, True, "joint work"),
        RelType("COORDINATES_WITH", _A, _A, True, "a standing coordination mechanism"),
        RelType("SHARES_INFORMATION_WITH", _A, _A, True, "an information-sharing agreement"),
        RelType(
            "TWINNED_WITH",
            frozenset({"city"}),
            frozenset({"city"}),
            True,
            "a formal twinning / sister-city agreement",
        ),
        RelType("MEMBER_OF", _A, _A, False, "membership of a network"),
        RelType("FUNDS", _A, ANY, False, "funding"),
        RelType("SUPPORTS_CAPACITY", _A, _A, False, "training, M&E or institutional support"),
        RelType("CONTRIBUTES_TO", _A, _PROG_FW, False, "input into its development"),
        RelType("IMPLEMENTS", _A, _PROG_FW, False, "puts it into practice locally"),
        RelType("RUNS", _A, _I, False, "leads or owns it"),
        RelType("PARTICIPATES_IN", _A, _I, False, "takes part"),
        RelType("PUBLISHES", _A, _I, False, "authored or published it"),
        RelType(
            "EVALUATES",
            frozenset({ACTOR, "evaluation"}),
            frozenset({"program"}),
            False,
            "evaluates it",
        ),
        RelType("INFORMS", _I, _I, False, "one builds on another"),
        RelType("LOCATED_IN", _A, frozenset({"city"}), False, "works in that city"),
    )
}

REL_TYPE_NAMES: tuple[str, ...] = tuple(REL_TYPES)
SYMMETRIC_TYPES = frozenset(t.name for t in REL_TYPES.values() if t.symmetric)
#: Relationship types that do not make two actors partners.
NON_PARTNERSHIP_TYPES = frozenset({"LOCATED_IN", "MEMBER_OF"})
#: Relationship types by which an actor takes part in an initiative (a shared one links two).
PARTICIPATION_TYPES = frozenset({"RUNS", "PARTICIPATES_IN"})
#: Relationship types by which an actor commits to a framework or program.
COMMITMENT_TYPES = frozenset({"CONTRIBUTES_TO", "IMPLEMENTS"})
#: City-to-city link types for horizontal cooperation.
HORIZONTAL_LINK_TYPES = frozenset(
    {"PARTNERS_WITH", "COORDINATES_WITH", "SHARES_INFORMATION_WITH", "TWINNED_WITH"}
)


def kind_label(kind: str) -> str:
    """The graph label of a kind (actor or initiative)."""
    if kind in ACTOR_KINDS:
        return ACTOR_KINDS[kind].label
    return INITIATIVE_KINDS[kind]


@overload
def family_of(kind: object) -> str: ...
@overload
def family_of(kind: object, *, strict: Literal[False]) -> str | None: ...


def family_of(kind: object, *, strict: bool = True) -> str | None:
    """'actor' or 'initiative' for a kind; for an unknown kind a KeyError, or None
    with `strict=False` (reads of stored nodes, whose kind may be anything)."""
    if kind in ACTOR_KINDS:
        return ACTOR
    if kind in INITIATIVE_KINDS:
        return INITIATIVE
    if strict:
        raise KeyError(kind)
    return None


def sector_of(kind: str) -> Sector:
    return ACTOR_KINDS[kind].sector


def default_level(kind: str) -> Level:
    return ACTOR_KINDS[kind].default_level


def classify(source: dict[str, object], target: dict[str, object]) -> dict[str, str | bool | None]:
    """Classify an actor–actor relationship: axis, cross_border, cross_sector.

    `source` and `target` are property maps with `kind`, `level`, `country`.
    For relationships that touch an initiative all three are None.
    """
    sk, tk = str(source.get("kind")), str(target.get("kind"))
    if sk not in ACTOR_KINDS or tk not in ACTOR_KINDS:
        return {"axis": None, "cross_border": None, "cross_sector": None}
    s_level = source.get("level") or default_level(sk)
    t_level = target.get("level") or default_level(tk)
    sc, tc = source.get("country"), target.get("country")
    return {
        "axis": "horizontal" if s_level == t_level else "vertical",
        "cross_border": bool(sc and tc and sc != tc),
        "cross_sector": sector_of(sk) != sector_of(tk),
    }
