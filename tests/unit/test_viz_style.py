"""The page styles follow `graph.schema`: every kind has its own look, every
relationship type a meaning on the pages and a colour for every axis it can take."""

from __future__ import annotations

from itertools import product

from graph import schema
from viz import style


def test_every_schema_kind_has_its_own_look() -> None:
    assert style.unstyled_kinds() == []
    assert style.stale_looks() == []
    assert list(style.KIND_STYLES) == [*schema.ACTOR_KINDS, *schema.INITIATIVE_KINDS, "country"]


def test_looks_are_distinct_and_not_the_gap_colour() -> None:
    looks = [(s.colour, s.shape) for k, s in style.KIND_STYLES.items() if k != "country"]
    assert len(set(looks)) == len(looks)
    assert style.GAP_COLOUR not in {c for c, _ in looks}


def test_every_relationship_type_has_a_meaning() -> None:
    assert set(style.TYPE_MEANINGS) == set(schema.REL_TYPES) | {style.SHARED_INITIATIVE}
    assert all(style.TYPE_MEANINGS.values())


def test_every_relationship_type_can_be_coloured() -> None:
    """Every pair of kinds a type may join is classified into an axis that has a colour."""
    kinds = [*schema.ACTOR_KINDS, *schema.INITIATIVE_KINDS]
    for rel in schema.REL_TYPES.values():
        pairs = [(s, t) for s, t in product(kinds, kinds) if rel.allows(s, t)]
        assert pairs, f"{rel.name} joins no kinds"
        for s, t in pairs:
            axis = schema.classify({"kind": s}, {"kind": t})["axis"]
            assert style.axis_key(axis) in style.AXIS_STYLES, (rel.name, s, t)


def test_a_kind_without_a_look_is_drawn_grey_under_its_schema_label(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(schema.INITIATIVE_KINDS, "campaign", "Campaign")
    monkeypatch.setattr(style, "SCHEMA_KINDS", (*style.SCHEMA_KINDS, "campaign"))
    assert style.unstyled_kinds() == ["campaign"]
    grey = style.schema_kind_style("campaign")
    assert grey.label == "Campaign" and grey.colour == style.UNKNOWN_KIND.colour


def test_every_gap_family_and_severity_has_a_report_colour() -> None:
    """A gap type of a new family (its type string's prefix) or a new severity gets a
    colour in the report's charts, or this fails; no colour is kept for a family or
    severity that no longer exists."""
    from graph.analysis.gaps import GAP_TYPES
    from viz import report

    families = {t.split(".", 1)[0] for t in GAP_TYPES}
    assert set(report.FAMILY_COLOURS) == families
    assert set(report.SEVERITY_COLOURS) == set(schema.SEVERITIES)
    assert list(report.SEVERITY_RANK) == list(schema.SEVERITIES)
