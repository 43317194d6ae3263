"""Request and response models: the OpenAPI schema at /docs, with examples.

Stored nodes and relationships may carry properties beyond the ones listed
(the data model is open: `sources`, `updated_at`, future fields), so node
and relationship models allow extra properties; the listed ones are typed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictStr,
    field_validator,
)

from graph import schema
from graph.choices import any_case
from ingest.records import (
    MAX_ID_LENGTH,
    MAX_LIST_ITEMS,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_URL_LENGTH,
    TextChecked,
    check_unicode_deep,
)

# The vocabularies as request/response types, built from `graph.schema` (the
# single source): the OpenAPI enums list the values in the schema's order, and a
# request may write them in any case (`graph.choices`).
ActorKind = any_case(schema.ACTOR_KIND_NAMES)
InitiativeKind = any_case(schema.INITIATIVE_KIND_NAMES)
KindName = any_case(schema.KIND_NAMES)
LevelName = any_case(schema.LEVELS)
StatusName = any_case(schema.STATUSES)
BasisName = any_case(schema.BASES)
RelTypeName = any_case(schema.REL_TYPE_NAMES)
Severity = any_case(schema.SEVERITIES)
Axis = any_case(schema.AXES)
Family = Literal[schema.FAMILIES]  # type: ignore[valid-type]
PrivateSector = any_case(schema.PRIVATE_SECTORS)

_OPEN = ConfigDict(extra="allow")
ID_PATTERN = r"^[a-z0-9][a-z0-9_.:-]*$"


def _with_examples(*examples: dict[str, Any], **config: Any) -> ConfigDict:
    """A model's config with its OpenAPI `examples` (and other settings, e.g. `extra`)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)}, **config)


# --------------------------------------------------------------------------- errors


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status, repeated.")
    message: str = Field(description="What went wrong and what to do about it.")
    problems: list[dict[str, Any]] | None = Field(
        None,
        description="Each problem with the input: request fields (`location`, `message`) "
        "or ingest problems (`file`, `sheet`, `line`, `field`, `value`, `reason`).",
    )


class ErrorResponse(BaseModel):
    error: ErrorDetail

    model_config = _with_examples(
        {"error": {"status": 404, "message": "no actor with id 'atlantis'"}}
    )


def errors(*statuses: int, html_route: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for error statuses, all with the JSON error body.

    `html_route`: for routes whose success is HTML (the pages), where FastAPI would
    otherwise document the errors as HTML too."""
    text = {
        400: "The request cannot be carried out as sent (e.g. a Cypher syntax error).",
        401: "No API key, or one that is not valid, where one is needed.",
        403: "The key's role does not allow this, or a query tried to write.",
        404: "No node with that id (the message names it).",
        408: "The query ran past its time limit and was stopped.",
        409: "The change conflicts with the graph as it is (e.g. the id exists).",
        413: "The upload is larger than the server accepts.",
        422: "Invalid input; `problems` lists every problem.",
        503: "The graph store is unavailable or busy; try again.",
    }
    if html_route:
        ref = {"$ref": "#/components/schemas/ErrorResponse"}
        return {
            s: {
                "description": text.get(s, "Error"),
                "content": {"application/json": {"schema": ref}},
            }
            for s in statuses
        }
    return {s: {"model": ErrorResponse, "description": text.get(s, "Error")} for s in statuses}


# --------------------------------------------------------------------------- nodes


class NodeRef(BaseModel):
    """The short form of a node."""

    id: str
    name: str | None = None
    kind: str | None = None
    family: Family | None = None
    country: str | None = None


_BASIS = "stated (the source's words) or inferred (the editor's reading)."


class Node(BaseModel):
    """A stored node: its properties (open) plus `family`."""

    model_config = _OPEN

    id: str
    name: str | None = None
    kind: str | None = None
    family: Family | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code")
    level: str | None = None
    themes: list[str] | None = None
    sources: list[str] | None = Field(None, description="Where the record comes from.")
    basis: BasisName | None = Field(None, description=_BASIS)
    updated_at: str | None = None


class Actor(Node):
    model_config = _with_examples(
        {
            "id": "london",
            "name": "London",
            "kind": "city",
            "family": "actor",
            "country": "GB",
            "level": "local",
            "themes": ["hate", "polarisation"],
            "threats": ["antisemitism"],
            "lat": 51.5072,
            "lon": -0.1276,
            "sources": ["workshop-2022"],
            "updated_at": "2024-05-01T10:00:00+00:00",
        },
        extra="allow",
    )

    nation: str | None = None
    city: str | None = Field(None, description="Id of the city the actor works in.")
    threats: list[str] | None = None
    grassroots: bool | None = None
    sector: str | None = None
    lat: float | None = None
    lon: float | None = None
    url: str | None = None
    note: str | None = None


class Initiative(Node):
    model_config = _with_examples(
        {
            "id": "prevent-strategy",
            "name": "Prevent strategy",
            "kind": "framework",
            "family": "initiative",
            "country": "GB",
            "level": "national",
            "status": "active",
            "themes": ["violent_extremism"],
        },
        extra="allow",
    )

    status: str | None = None
    start: str | None = None
    end: str | None = None
    published: bool | None = None
    url: str | None = None
    note: str | None = None


# --------------------------------------------------------------------------- relationships


class Relationship(BaseModel):
    """A relationship. `axis`, `cross_border` and `cross_sector` are set for
    actor–actor relationships (classified from the endpoints) and null otherwise."""

    model_config = _with_examples(
        {
            "source": "london",
            "target": "home-office",
            "type": "COORDINATES_WITH",
            "symmetric": True,
            "status": "active",
            "confidential": False,
            "since": "2019",
            "axis": "vertical",
            "cross_border": False,
            "cross_sector": False,
            "sources": ["workshop-2022"],
        },
        extra="allow",
    )

    source: str
    target: str
    type: str
    symmetric: bool
    status: str
    basis: BasisName | None = Field(None, description=_BASIS)
    confidential: bool
    since: str | int | None = None
    note: str | None = None
    sources: list[str] | None = None
    axis: Axis | None = None
    cross_border: bool | None = None
    cross_sector: bool | None = None


class NodeRelationship(Relationship):
    """A relationship seen from one node."""

    direction: Literal["out", "in"] = Field(description="out: the node is the source.")
    other: NodeRef = Field(description="The node at the other end.")


class ListedRelationship(Relationship):
    source_name: str | None = None
    source_kind: str | None = None
    target_name: str | None = None
    target_kind: str | None = None


# --------------------------------------------------------------------------- findings


class FindingOut(BaseModel):
    model_config = _with_examples(
        {
            "type": "cso.no_grassroots_partner",
            "severity": "high",
            "subjects": ["leeds"],
            "country": "GB",
            "explanation": "Leeds works with CSOs but with no grassroots CSO.",
            "suggestion": "Talk to Leeds Grassroots Network, a grassroots CSO in Leeds.",
            "mitigation": None,
            "basis": "stated",
            "inferred": [],
        }
    )

    type: str = Field(description="A gap type of the catalogue (GET /api/gaps/types).")
    severity: Severity
    subjects: list[str] = Field(description="Ids the finding is about (or two country codes).")
    country: str | None
    explanation: str
    suggestion: str
    mitigation: str | None = None
    basis: BasisName = Field(
        schema.Basis.STATED.value,
        description="inferred when the finding rests on an inferred record.",
    )
    inferred: list[str] = Field(
        default_factory=list,
        description=(
            'The inferred records it rests on: node ids, and relationships as "source TYPE '
            'target" (docs/gaps.md, "Evidence basis").'
        ),
    )


class NotAssessedOut(BaseModel):
    """A gap type the graph was not assessed for: it lacks the kinds the type asks about."""

    type: str = Field(description="A gap type of the catalogue.")
    reason: str = Field(description='Why, in words, e.g. "the graph has no program".')


# --------------------------------------------------------------------------- pages


class Page(BaseModel):
    total: int = Field(description="How many match, over all pages.")
    limit: int
    offset: int


class ActorPage(Page):
    items: list[Actor]


class InitiativePage(Page):
    items: list[Initiative]


class RelationshipPage(Page):
    items: list[ListedRelationship]


_GENERATION = (
    "The store generation the findings describe: the last complete analysis, which is older "
    "than the store's latest write(s) while a newer one is computed (`stale`)."
)
_STALE = "True when a write came after the analysis these findings are from."


class FindingPage(Page):
    items: list[FindingOut]
    not_assessed: list[NotAssessedOut] = Field(
        description="The asked-for gap types the graph could not be assessed for, and why."
    )
    generation: int | None = Field(None, description=_GENERATION)
    stale: bool | None = Field(None, description=_STALE)
    at: int | None = Field(
        None, description="With `at=REV`: the revision the findings are as of (None: today)."
    )


class ActorDetail(Actor):
    relationships: list[NodeRelationship] = Field(
        description="Every relationship visible to the caller, with the node at the other end."
    )
    gaps: list[FindingOut] | None = Field(
        None, description="The gap findings this actor is a subject of (when `gaps=true`)."
    )
    gaps_generation: int | None = Field(None, description=_GENERATION)
    gaps_stale: bool | None = Field(None, description=_STALE)


class InitiativeParty(NodeRef):
    type: str
    status: str
    basis: BasisName | None = Field(None, description=_BASIS)
    since: str | int | None = None
    confidential: bool
    note: str | None = None


class InitiativeDetail(Initiative):
    run_by: list[InitiativeParty]
    published_by: list[InitiativeParty] = Field(description="Its authors or publishers.")
    funded_by: list[InitiativeParty]
    implemented_by: list[InitiativeParty]
    evaluated_by: list[InitiativeParty]
    participants: list[InitiativeParty]
    contributors: list[InitiativeParty]
    informs: list[InitiativeParty]
    informed_by: list[InitiativeParty]
    evaluates: list[InitiativeParty] = Field(description="For an evaluation: what it evaluates.")
    relationships: list[NodeRelationship]


class NeighbourNode(Node):
    hops: int = Field(description="Distance from the centre.")


class Neighbourhood(BaseModel):
    model_config = _with_examples(
        {
            "center": "london",
            "depth": 1,
            "truncated": False,
            "max_nodes": 2000,
            "nodes": [
                {
                    "id": "london",
                    "name": "London",
                    "kind": "city",
                    "family": "actor",
                    "country": "GB",
                    "hops": 0,
                },
                {
                    "id": "paris",
                    "name": "Paris",
                    "kind": "city",
                    "family": "actor",
                    "country": "FR",
                    "hops": 1,
                },
            ],
            "edges": [
                {
                    "source": "london",
                    "target": "paris",
                    "type": "TWINNED_WITH",
                    "symmetric": True,
                    "status": "active",
                    "confidential": False,
                    "axis": "horizontal",
                    "cross_border": True,
                    "cross_sector": False,
                },
            ],
        }
    )

    center: str
    depth: int
    truncated: bool = Field(description="True when `max_nodes` cut the neighbourhood.")
    max_nodes: int
    nodes: list[NeighbourNode]
    edges: list[Relationship]


class PathStep(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    type: str
    direction: Literal["forward", "backward"] = Field(
        description="forward when the relationship is stored from `from` to `to`."
    )
    symmetric: bool
    status: str
    basis: BasisName | None = Field(None, description=_BASIS)
    confidential: bool
    since: str | int | None = None
    also: list[str] = Field(description="Other relationship types joining the same two nodes.")


class PathOut(BaseModel):
    model_config = _with_examples(
        {
            "source": "leeds",
            "target": "home-office",
            "found": True,
            "length": 2,
            "max_hops": 6,
            "nodes": [
                {
                    "id": "leeds",
                    "name": "Leeds",
                    "kind": "city",
                    "family": "actor",
                    "country": "GB",
                },
                {
                    "id": "london",
                    "name": "London",
                    "kind": "city",
                    "family": "actor",
                    "country": "GB",
                },
                {
                    "id": "home-office",
                    "name": "Home Office",
                    "kind": "national_body",
                    "family": "actor",
                    "country": "GB",
                },
            ],
            "steps": [
                {
                    "from": "leeds",
                    "to": "london",
                    "type": "PARTNERS_WITH",
                    "direction": "forward",
                    "symmetric": True,
                    "status": "active",
                    "confidential": False,
                    "since": None,
                    "also": [],
                },
                {
                    "from": "london",
                    "to": "home-office",
                    "type": "COORDINATES_WITH",
                    "direction": "forward",
                    "symmetric": True,
                    "status": "active",
                    "confidential": False,
                    "since": "2019",
                    "also": [],
                },
            ],
        }
    )

    source: str
    target: str
    found: bool
    length: int | None = Field(description="Number of hops; null when no path was found.")
    max_hops: int
    nodes: list[NodeRef]
    steps: list[PathStep]


class GapSummary(BaseModel):
    total: int
    by_type: dict[str, int] = Field(description="Every gap type, in catalogue order.")
    by_country: dict[str, int] = Field(description="ISO code (or 'none') → findings.")
    by_severity: dict[str, int]
    not_assessed: list[NotAssessedOut] = Field(
        description="The asked-for gap types the graph could not be assessed for, and why."
    )


class GapTypeOut(BaseModel):
    type: str
    title: str
    why: str
    severity_rule: str
    needs: list[list[str]] = Field(
        description=(
            "What the whole graph must hold for the type to be assessed: each entry a list "
            'of kinds of which any will do ("national_framework": a national framework).'
        )
    )


class ScoreComponentOut(BaseModel):
    """One part of a recommendation's score (docs/recommendations.md, "The score")."""

    name: str = Field(description="The component, a key of SCORE_WEIGHTS.")
    score: float = Field(description="weight · value: what it adds to the score.")
    value: float = Field(description="The component's value, between 0 and 1.")
    reason: str
    inferred: bool = Field(description="The reason rests on an inferred record.")


class RecommendationOut(BaseModel):
    partner: str
    name: str
    kind: str
    country: str | None = None
    score: float = Field(description="The sum of the components' scores.")
    basis: str = Field(description="'inferred' when a reason or the partner is inferred.")
    reasons: list[str] = Field(description="The components' reasons, in the same order.")
    components: list[ScoreComponentOut]


class PendingTieOut(BaseModel):
    """A proposed or planned tie: already on record, so not recommended."""

    partner: str
    name: str
    kind: str | None = None
    country: str | None = None
    status: str = Field(description="planned (if any tie is planned) or proposed.")
    links: list[str]
    reason: str


class Recommendations(BaseModel):
    model_config = _with_examples(
        {
            "actor": "leeds",
            "actor_name": "Leeds",
            "items": [
                {
                    "partner": "bradford",
                    "name": "Bradford",
                    "kind": "city",
                    "country": "GB",
                    "score": 1.75,
                    "basis": "stated",
                    "reasons": [
                        "Shared themes: hate and polarisation",
                        "Also in the United Kingdom",
                    ],
                    "components": [
                        {
                            "name": "shared_themes",
                            "score": 0.75,
                            "value": 0.5,
                            "reason": "Shared themes: hate and polarisation",
                            "inferred": False,
                        },
                        {
                            "name": "same_country",
                            "score": 1.0,
                            "value": 1.0,
                            "reason": "Also in the United Kingdom",
                            "inferred": False,
                        },
                    ],
                }
            ],
            "pending": [
                {
                    "partner": "york",
                    "name": "York",
                    "kind": "city",
                    "country": "GB",
                    "status": "planned",
                    "links": ["Leeds PARTNERS_WITH York"],
                    "reason": "Already planned: Leeds PARTNERS_WITH York",
                }
            ],
        }
    )

    actor: str
    actor_name: str
    items: list[RecommendationOut]
    pending: list[PendingTieOut] = Field(
        description="Actors with a proposed or planned tie to the actor: not recommended."
    )


class Metrics(BaseModel):
    """Structure metrics (see docs/api.md and `graph.analysis.structure`)."""

    model_config = _OPEN

    country: str | None = None
    graph: dict[str, Any]
    brokers: list[dict[str, Any]]
    betweenness_method: dict[str, Any]
    single_points_of_failure: dict[str, Any]
    communities: dict[str, Any]
    coverage: dict[str, Any]
    parameters: dict[str, Any]


class Stats(BaseModel):
    model_config = _with_examples(
        {
            "actors": 42,
            "initiatives": 12,
            "relationships": 97,
            "countries": 9,
            "actors_by_kind": {"city": 20, "cso": 10, "national_body": 12},
            "initiatives_by_kind": {"program": 8, "framework": 4},
            "relationships_by_type": {"PARTNERS_WITH": 50, "FUNDS": 47},
        }
    )

    actors: int
    initiatives: int
    relationships: int = Field(description="Relationships visible to the caller.")
    countries: int
    actors_by_kind: dict[str, int]
    initiatives_by_kind: dict[str, int]
    relationships_by_type: dict[str, int]


class StoreHealth(BaseModel):
    engine: str
    reachable: bool


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    store: StoreHealth
    version: str


class Me(BaseModel):
    name: str
    role: Literal["reader", "analyst", "editor"] | None
    anonymous: bool
    sees_confidential: bool
    anonymous_read_allowed: bool


# --------------------------------------------------------------------------- query


class QueryIn(BaseModel):
    model_config = _with_examples(
        {
            "cypher": "MATCH (c:City {country: $cc})-[r]-(x:Actor) "
            "RETURN c.name AS city, type(r) AS rel, x.name AS partner",
            "params": {"cc": "GB"},
            "limit": 100,
        },
        extra="forbid",
    )

    cypher: str = Field(min_length=1, max_length=20_000, description="A read-only Cypher query.")

    @field_validator("cypher", "params", mode="before")
    @classmethod
    def _valid_unicode(cls, v: Any) -> Any:
        return check_unicode_deep(v)

    params: dict[str, Any] = Field(
        default_factory=dict, description="Query parameters ($name in the query)."
    )
    limit: int | None = Field(
        None, ge=1, description="Rows returned at most (capped by the server's row cap)."
    )
    timeout_ms: int | None = Field(
        None, ge=1, description="Time limit (capped by the server's maximum)."
    )


class QueryOut(BaseModel):
    columns: list[str]
    rows: list[list[Any]] = Field(
        description="Nodes are maps of their properties plus `_labels`; relationships maps "
        "plus `_type`, `_start`, `_end`."
    )
    row_count: int = Field(description="Rows returned (after the cap).")
    truncated: bool = Field(description="True when the query gave more rows than returned.")
    truncated_by: Literal["rows", "bytes"] | None = Field(
        default=None,
        description="Why rows were cut: the row cap, or the largest answer in bytes.",
    )
    row_cap: int
    max_response_bytes: int = Field(description="Largest answer; rows past it are cut.")
    timeout_ms: int
    elapsed_ms: float


# --------------------------------------------------------------------------- writes

#: One item of a list field. Write models take JSON's own types strictly (no `true` for
#: a number, no number for text); the text rules (control characters, lone surrogates)
#: are the ingest records' (`ingest.records.TextChecked`), held here and again on the way in.
Text = Annotated[StrictStr, Field(max_length=MAX_TEXT_LENGTH)]


class ActorIn(TextChecked):
    """An actor as in the ingest formats (docs/data-format.md). Countries may be given as
    names or codes; they are normalised to ISO codes or refused with a hint."""

    model_config = _with_examples(
        {
            "id": "bradford",
            "name": "Bradford",
            "kind": "city",
            "country": "GB",
            "themes": ["hate", "polarisation"],
            "lat": 53.795,
            "lon": -1.759,
        },
        extra="forbid",
    )

    id: StrictStr = Field(
        min_length=1,
        max_length=MAX_ID_LENGTH,
        pattern=ID_PATTERN,
        description="Lower-case slug, unique in the graph.",
    )
    name: StrictStr = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    kind: ActorKind
    country: StrictStr | None = Field(
        None, max_length=MAX_TEXT_LENGTH, description="ISO code or country name."
    )
    nation: StrictStr | None = Field(None, max_length=MAX_TEXT_LENGTH)
    level: LevelName | None = None
    city: StrictStr | None = Field(
        None, max_length=MAX_ID_LENGTH, description="Id of a city in the graph."
    )
    themes: list[Text] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    threats: list[Text] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    grassroots: StrictBool | None = None
    sector: PrivateSector | None = None
    lat: StrictFloat | None = Field(None, ge=-90, le=90)
    lon: StrictFloat | None = Field(None, ge=-180, le=180)
    basis: BasisName | None = Field(None, description=_BASIS + " Default: stated.")
    url: StrictStr | None = Field(None, max_length=MAX_URL_LENGTH)
    note: StrictStr | None = Field(None, max_length=MAX_NOTE_LENGTH)
    sources: list[Text] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)


class ActorReplace(ActorIn):
    """The whole actor; `id`, if given, must be the id in the path."""

    id: StrictStr | None = Field(  # type: ignore[assignment]
        None, min_length=1, max_length=MAX_ID_LENGTH, pattern=ID_PATTERN
    )


class ActorPatch(TextChecked):
    """Only the fields to change; `null` removes an optional field."""

    model_config = _with_examples(
        {"themes": ["hate", "disinformation"], "note": None}, extra="forbid"
    )

    name: StrictStr | None = Field(None, min_length=1, max_length=MAX_NAME_LENGTH)
    kind: ActorKind | None = None
    country: StrictStr | None = Field(None, max_length=MAX_TEXT_LENGTH)
    nation: StrictStr | None = Field(None, max_length=MAX_TEXT_LENGTH)
    level: LevelName | None = None
    city: StrictStr | None = Field(None, max_length=MAX_ID_LENGTH)
    themes: list[Text] | None = Field(None, max_length=MAX_LIST_ITEMS)
    threats: list[Text] | None = Field(None, max_length=MAX_LIST_ITEMS)
    grassroots: StrictBool | None = None
    sector: PrivateSector | None = None
    lat: StrictFloat | None = Field(None, ge=-90, le=90)
    lon: StrictFloat | None = Field(None, ge=-180, le=180)
    basis: BasisName | None = Field(None, description=_BASIS)
    url: StrictStr | None = Field(None, max_length=MAX_URL_LENGTH)
    note: StrictStr | None = Field(None, max_length=MAX_NOTE_LENGTH)
    sources: list[Text] | None = Field(None, max_length=MAX_LIST_ITEMS)


class Counts(BaseModel):
    created: int
    updated: int
    unchanged: int


class CountryNamed(BaseModel):
    code: str
    name: str = Field(description="The name the load gives the country.")
    was: str | None = Field(description="Its name until then (null: it had none yet).")


class LoadReportOut(BaseModel):
    dry_run: bool
    actors: Counts
    initiatives: Counts
    relationships: Counts
    countries: list[CountryNamed] = Field(
        default_factory=list, description="Countries a `countries` section named or renamed."
    )
    warnings: list[str]


class ActorWriteOut(BaseModel):
    actor: Actor | None = Field(
        description="The actor as stored now (as it would be, on a dry run)."
    )
    report: LoadReportOut


class DeleteOut(BaseModel):
    deleted: str
    name: str | None = None
    relationships_removed: int


class SyncCounts(Counts):
    removed: int | None = Field(
        None, description="With `sync`: how many the sync removed (absent otherwise)."
    )


class SyncRemoval(BaseModel):
    """A node removed (`id`, `name`, `kind`) or a relationship (`source`, `type`,
    `target` and the names of its ends)."""

    model_config = _OPEN

    id: str | None = None
    name: str | None = None
    kind: str | None = None
    source: str | None = None
    type: str | None = None
    target: str | None = None
    source_name: str | None = None
    target_name: str | None = None


class SyncOut(BaseModel):
    sources: list[str] = Field(description="The sources the file is the whole truth for.")
    removals: list[SyncRemoval] = Field(description="Every record removed, by id and name.")
    released: int = Field(
        description="Records that only lost the source: other sources still hold them."
    )


class IngestReportOut(LoadReportOut):
    actors: SyncCounts
    initiatives: SyncCounts
    relationships: SyncCounts
    sync: SyncOut | None = Field(None, description="With `sync` only.")


class IngestRead(BaseModel):
    inputs: list[str]
    actors: int
    initiatives: int
    relationships: int


class IngestOut(BaseModel):
    """The same report as `scn-graph ingest --report-format json`."""

    model_config = _with_examples(
        {
            "ok": True,
            "dry_run": True,
            "read": {
                "inputs": ["partners.yaml"],
                "actors": 3,
                "initiatives": 1,
                "relationships": 4,
            },
            "report": {
                "dry_run": True,
                "actors": {"created": 2, "updated": 1, "unchanged": 0},
                "initiatives": {"created": 1, "updated": 0, "unchanged": 0},
                "relationships": {"created": 4, "updated": 0, "unchanged": 0},
                "warnings": [],
            },
            "problems": [],
            "notes": [],
            "adapter_reports": [],
        }
    )

    ok: bool
    dry_run: bool
    read: IngestRead
    report: IngestReportOut | None
    problems: list[dict[str, Any]]
    notes: list[str]
    adapter_reports: list[Any]


class AuditEntry(BaseModel):
    model_config = _OPEN

    when: str
    who: str
    role: str | None = None
    store: str | None = None
    method: str
    path: str
    action: str
    summary: dict[str, Any]


class AuditPage(Page):
    items: list[AuditEntry]


# --------------------------------------------------------------------------- history


class RevisionCounts(BaseModel):
    """Records a revision added, removed and changed (what the caller may see of them)."""

    nodes_added: int
    nodes_removed: int
    nodes_changed: int
    relationships_added: int
    relationships_removed: int
    relationships_changed: int
    countries_added: int = Field(0, description="Countries a `countries` section named first.")
    countries_removed: int = 0
    countries_changed: int = Field(0, description="Countries a `countries` section renamed.")


class RevisionOut(BaseModel):
    model_config = _with_examples(
        {
            "id": 3,
            "generation": 17,
            "time": "2026-12-01T10:00:00+00:00",
            "who": "ana",
            "source": "round2.xlsx",
            "counts": {
                "nodes_added": 2,
                "nodes_removed": 0,
                "nodes_changed": 1,
                "relationships_added": 3,
                "relationships_removed": 1,
                "relationships_changed": 0,
                "countries_added": 0,
                "countries_removed": 0,
                "countries_changed": 1,
            },
        }
    )

    id: int = Field(description="1, 2, ...: the order writes were committed in.")
    generation: int = Field(description="The store generation the write produced.")
    time: str = Field(description="When it was committed (ISO 8601, UTC).")
    who: str = Field(description="The OS user on the command line, the key's name on the API.")
    source: str = Field(description='The file or --source label; "api", "delete", "revert"...')
    counts: RevisionCounts


class HistoryPage(Page):
    items: list[RevisionOut] = Field(description="Revisions, oldest first.")
    latest: int = Field(description="The newest revision (0: none recorded yet).")


class NodeDiff(BaseModel):
    id: str
    name: str | None = Field(None, description="Changed nodes: the name (now, or last held).")
    properties: dict[str, Any] = Field(
        description="Added or removed: its properties (empty ones left out); changed: "
        "{property: {before, after}} for the properties that differ."
    )


class RelationshipDiff(BaseModel):
    source: str
    type: str
    target: str
    properties: dict[str, Any] = Field(description="As for nodes.")


class CountryDiff(BaseModel):
    code: str
    properties: dict[str, Any] = Field(
        description='Added: {"name": N}; changed: {"name": {before, after}}.'
    )


class DiffPart(BaseModel):
    nodes: list[NodeDiff]
    relationships: list[RelationshipDiff]
    countries: list[CountryDiff] = Field(
        default_factory=list, description="Country names a `countries` section set."
    )


class DiffOut(BaseModel):
    """The net change between two revisions (docs/history.md)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(alias="from", description="The older revision (0: the start).")
    to: int = Field(description="The newer revision.")
    added: DiffPart
    removed: DiffPart
    changed: DiffPart


class GapChangesOut(BaseModel):
    """`GET /api/gaps?since=REV`: a gap is the same one when its type and subjects are."""

    closed: list[FindingOut] = Field(description="Found then, not now (as they read then).")
    new: list[FindingOut] = Field(description="Found now, not then.")
    persisting: list[FindingOut] = Field(description="Found then and now (as they read now).")
