"""The gap catalogue: interface, filters, ordering, summary, and the rules shared by
every gap type (names not ids, determinism, performance).

Per-type behaviour is tested in test_gaps_vertical.py, test_gaps_horizontal.py,
test_gaps_cso.py and test_gaps_me_local.py, on small graphs built with
`graph.projection.build_graph` from the builders in tests/support/graphs.py.
"""

from __future__ import annotations

import ast
import json
import random

import pytest

from graph.analysis.findings import SEVERITIES, Finding
from graph.analysis.gaps import GAP_TYPES, GapType, find_gaps, not_assessed, summarise
from graph.projection import build_graph
from tests.support.graphs import (
    city,
    gaps,
    rel,
    subjects,
    world,
)
from tests.support.paths import ROOT


def test_gap_types_are_the_design_table_in_order() -> None:
    assert list(GAP_TYPES) == [
        "vertical.no_national_link",
        "vertical.framework_without_local_input",
        "vertical.framework_not_implemented",
        "horizontal.isolated_city",
        "horizontal.no_domestic_link",
        "horizontal.unlinked_countries",
        "cso.no_cso_partner",
        "cso.no_grassroots_partner",
        "cso.unsupported_grassroots",
        "cso.single_government_funder",
        "private.no_private_partner",
        "me.program_unevaluated",
        "me.evaluation_unpublished",
        "me.no_capacity_support",
        "local.silo",
        "theme.uncovered_threat",
    ]
    for t, g in GAP_TYPES.items():
        assert isinstance(g, GapType)
        assert g.type == t
        assert g.title and g.why and g.severity_rule
        assert "high" in g.severity_rule


def test_every_type_fires_in_the_world() -> None:
    found = gaps(*world())
    assert {f.type for f in found} == set(GAP_TYPES)


def test_explanations_name_actors_by_name_not_id() -> None:
    nodes, edges = world()
    names = {n["id"]: n["name"] for n in nodes}
    for f in gaps(nodes, edges):
        ids = [s for s in f.subjects if s in names]
        for s in ids:
            assert names[s] in f.explanation, f
            assert s not in f.explanation, f  # ids are lower-case slugs, names differ
        assert f.explanation.endswith(".") and f.explanation.count(". ") == 0, f
        assert f.suggestion.strip(), f


def test_suggestion_names_candidates_from_the_graph() -> None:
    found = gaps(*world())
    by = {(f.type, f.subjects): f for f in found}
    # London: no national link, but the Home Office is in the graph
    f = by[("vertical.no_national_link", ("london",))]
    assert "Home Office" in f.suggestion
    # Paris's only link is abroad; Lyon is a domestic city
    f = by[("horizontal.no_domestic_link", ("paris",))]
    assert "Lyon" in f.suggestion and "Mayor of London" in f.explanation


def test_finding_to_dict_has_exactly_the_public_keys() -> None:
    f = gaps(*world())[0]
    d = f.to_dict()
    assert list(d) == [
        "type",
        "severity",
        "subjects",
        "country",
        "explanation",
        "suggestion",
        "mitigation",
        "basis",
        "inferred",
    ]
    assert isinstance(d["subjects"], list)
    json.dumps(d)
    assert Finding.from_dict(d) == f


def test_finding_rejects_unknown_severity() -> None:
    with pytest.raises(ValueError, match="urgent"):
        Finding("cso.no_cso_partner", "urgent", ("x",), None, "e.", "s.")
    assert SEVERITIES == ("high", "medium", "low")


def test_unknown_type_or_severity_raises_naming_the_value() -> None:
    G = build_graph(*world())
    with pytest.raises(ValueError, match=r"cso\.no_such_gap"):
        find_gaps(G, types=["cso.no_cso_partner", "cso.no_such_gap"])
    with pytest.raises(ValueError, match="critical"):
        find_gaps(G, severity="critical")


def test_types_filter() -> None:
    G = build_graph(*world())
    only = find_gaps(G, types=["cso.no_cso_partner", "local.silo"])
    assert {f.type for f in only} == {"cso.no_cso_partner", "local.silo"}
    assert find_gaps(G, types="local.silo") == find_gaps(G, types=["local.silo"])
    assert find_gaps(G, types=[]) == []
    everything = find_gaps(G)
    assert only == [f for f in everything if f.type in {"cso.no_cso_partner", "local.silo"}]


def test_country_filter_is_case_insensitive_and_keeps_country_pairs() -> None:
    G = build_graph(*world())
    fr = find_gaps(G, country="fr")
    assert fr and all(
        f.country == "FR" or (f.type == "horizontal.unlinked_countries" and "FR" in f.subjects)
        for f in fr
    )
    assert ("DE", "FR") in subjects(fr)
    assert find_gaps(G, country="FR") == fr
    assert find_gaps(G, country="ZZ") == []


def test_severity_filter() -> None:
    G = build_graph(*world())
    everything = find_gaps(G)
    for s in SEVERITIES:
        assert find_gaps(G, severity=s) == [f for f in everything if f.severity == s]
    assert {f.severity for f in everything} >= {"high", "medium"}


def test_sorted_by_severity_then_type_order_then_country_then_subjects() -> None:
    found = gaps(*world())
    order = list(GAP_TYPES)
    keys = [
        (
            SEVERITIES.index(f.severity),
            order.index(f.type),
            f.country is None,
            f.country or "",
            f.subjects,
        )
        for f in found
    ]
    assert keys == sorted(keys)
    assert found[0].severity == "high" and found[-1].severity != "high"


def test_result_does_not_depend_on_insertion_order() -> None:
    nodes, edges = world()
    expected = gaps(nodes, edges)
    rng = random.Random(7)
    for _ in range(3):
        rng.shuffle(nodes)
        rng.shuffle(edges)
        assert gaps(nodes, edges) == expected


def test_summarise_counts() -> None:
    found = gaps(*world())
    s = summarise(found)
    assert s["total"] == len(found)
    assert list(s["by_type"]) == list(GAP_TYPES)
    assert sum(s["by_type"].values()) == len(found)
    assert s["by_type"]["local.silo"] == sum(f.type == "local.silo" for f in found)
    assert list(s["by_severity"]) == list(SEVERITIES)
    assert sum(s["by_severity"].values()) == len(found)
    pairs = [f for f in found if f.type == "horizontal.unlinked_countries"]
    gb = sum(f.country == "GB" for f in found) + sum("GB" in f.subjects for f in pairs)
    assert s["by_country"]["GB"] == gb
    counts = list(s["by_country"].values())
    assert counts == sorted(counts, reverse=True)
    json.dumps(s)
    empty = summarise([])
    assert empty["total"] == 0 and set(empty["by_type"].values()) == {0}


def test_empty_graph_has_no_gaps() -> None:
    assert gaps([], []) == []


def test_graph_package_imports_nothing_from_the_outer_layers() -> None:
    root = ROOT / "graph" / "analysis"
    for path in [*sorted(root.glob("gaps*.py")), root / "findings.py"]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
            for m in mods:
                assert m.split(".")[0] not in {"ingest", "api", "viz", "cli"}, (path, m)


def test_twin_cities_scale_is_not_assessed_for_national_links_and_finds_isolated_cities() -> None:
    """A synthetic network the size of the real twin-cities one (17,717 cities,
    25,917 twinnings, nothing else) — the real file is exercised elsewhere."""
    rng = random.Random(1)
    countries = [f"C{i:03d}" for i in range(200)]
    weights = [1 / (i + 1) for i in range(200)]
    nodes = [
        city(
            f"c{i}",
            rng.choices(countries, weights)[0],
            lat=rng.uniform(-60, 60),
            lon=rng.uniform(-180, 180),
        )
        for i in range(17717)
    ]
    edges = []
    seen = set()
    while len(edges) < 25917:
        a, b = rng.randrange(17717), rng.randrange(17717)
        if a != b and (a, b) not in seen and (b, a) not in seen:
            seen.add((a, b))
            edges.append(rel(f"c{a}", f"c{b}", "TWINNED_WITH"))
    G = build_graph(nodes, edges)
    found = find_gaps(G)
    s = summarise(found)
    # no national body or framework anywhere: not assessed, rather than 17,717 findings
    assert s["by_type"]["vertical.no_national_link"] == 0
    assert "vertical.no_national_link" in {n.type for n in not_assessed(G)}
    assert s["by_type"]["horizontal.unlinked_countries"] == 0  # no MEMBER_OF
    linked = {e["source"] for e in edges} | {e["target"] for e in edges}
    assert s["by_type"]["horizontal.isolated_city"] == 17717 - len(linked)
