"""One line of documentation per field of each section: type, allowed values, default.

The template's README sheet (`ingest.template`) is written from
`FIELD_DOCS`, and a test checks that it names exactly the fields the readers
accept (`ingest.readers.fields.FIELDS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import schema
from ingest.readers.fields import ALLOWED, UK_NATION_NAMES


@dataclass(frozen=True)
class FieldDoc:
    """One field of one section, for the template's README sheet and the docs."""

    name: str
    type: str
    required: bool
    allowed: str
    default: str
    description: str


def _doc(name: str, type_: str, allowed: str = "", default: str = "", desc: str = "") -> FieldDoc:
    return FieldDoc(name, type_, False, allowed, default, desc)


def _req(name: str, type_: str, allowed: str = "", desc: str = "") -> FieldDoc:
    return FieldDoc(name, type_, True, allowed, "", desc)


_BOOL = "true/false, yes/no, 1/0"
_THEMES = "';'-separated in CSV/Excel; open list"
_SOURCES = _doc(
    "sources",
    "list of text",
    "';'-separated in CSV/Excel",
    "the document's top-level sources, else file:<file name>",
    "where the information comes from (documents, URLs, files)",
)
_BASIS = _doc(
    "basis",
    "text",
    ", ".join(ALLOWED["basis"]),
    "stated",
    "inferred: the editor's reading, not the source's words",
)
_ID = _req("id", "text", "lower-case slug: a-z 0-9 _ . : - (e.g. exampleton)", "unique everywhere")

FIELD_DOCS: dict[str, tuple[FieldDoc, ...]] = {
    "countries": (
        _req("code", "country", "ISO 3166 alpha-2/alpha-3 code or English name", "kept as alpha-2"),
        _doc("name", "text", "", "the ISO name", "display name"),
    ),
    "actors": (
        _ID,
        _req("kind", "text", ", ".join(ALLOWED["actors.kind"]), "what sort of actor"),
        _req("name", "text", "", "display name"),
        _doc("country", "country", "ISO code or English name", "", "normalised to ISO alpha-2"),
        _doc("nation", "text", ", ".join(UK_NATION_NAMES), "from country", "UK only"),
        _doc("level", "text", ", ".join(ALLOWED["level"]), "by kind", "where the actor works"),
        _doc("city", "id", "id of a city actor", "", "the city the actor works in"),
        _doc("themes", "list of text", _THEMES, "", "what the actor works on"),
        _doc("threats", "list of text", "cities only; as themes", "", "locally pressing themes"),
        _doc("grassroots", "boolean", _BOOL, "false for cso", "CSOs: community-based"),
        _doc("sector", "text", ", ".join(schema.PRIVATE_SECTORS), "", "private_sector only"),
        _doc("lat", "number", "-90 … 90", "", "latitude (cities)"),
        _doc("lon", "number", "-180 … 180", "", "longitude (cities)"),
        _doc("url", "text", "", "", "web page"),
        _doc("note", "text", "", "", "free text"),
        _BASIS,
        _SOURCES,
    ),
    "initiatives": (
        _ID,
        _req("kind", "text", ", ".join(ALLOWED["initiatives.kind"]), "what sort of initiative"),
        _req("name", "text", "", "display name"),
        _doc("country", "country", "ISO code or English name", "", "where national"),
        _doc("level", "text", ", ".join(ALLOWED["level"]), "", "frameworks: national or intl."),
        _doc("themes", "list of text", _THEMES, "", "what it is about"),
        _doc("status", "text", ", ".join(ALLOWED["status"]), "active", ""),
        _doc("start", "date", "YYYY-MM-DD or YYYY", "", "start date"),
        _doc("end", "date", "YYYY-MM-DD or YYYY", "", "end date"),
        _doc("published", "boolean", _BOOL, "false for evaluation", "evaluations: published?"),
        _doc("url", "text", "", "", "web page"),
        _doc("note", "text", "", "", "free text"),
        _BASIS,
        _SOURCES,
    ),
    "relationships": (
        _req("source", "id", "id of an actor or initiative", "the 'from' end"),
        _req("type", "text", "see the relationship types", "e.g. PARTNERS_WITH"),
        _req("target", "id", "id of an actor or initiative", "the 'to' end"),
        _doc("since", "date", "YYYY-MM-DD or YYYY", "", "when it began"),
        _doc("status", "text", ", ".join(ALLOWED["status"]), "active", ""),
        _doc("confidential", "boolean", _BOOL, "false", "shown only to analysts and editors"),
        _doc("note", "text", "", "", "free text"),
        _BASIS,
        _SOURCES,
    ),
}
