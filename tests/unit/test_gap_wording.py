"""Findings name only what the graph holds: no resource, framework, guidance, program or
network is written into the detectors' wording (docs/gaps.md, the shared rules).

The names of the seed dataset (and the workshop's best-known acronyms) must not
appear in a finding unless a node of the graph carries them; a resource, framework
or program of the graph whose themes match the gap is named instead.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml

from graph.analysis import registry
from graph.analysis.gaps import GAP_TYPES, find_gaps
from graph.analysis.gaps_index import GapIndex
from graph.analysis.resources import resources_on
from graph.projection import build_graph
from tests.support.graphs import actor, city, cso, framework, gaps, initiative, rel, world
from tests.support.paths import ROOT

#: Names and acronyms of the workshop that code once wrote into findings, and others
#: a detector might be tempted to use.
WORKSHOP_WORDS = (
    "GCTF",
    "RAN",
    "IREPORTIT",
    "GCERF",
    "SCN",
    "Strong Cities",
    "RUSI",
    "Prevent",
    "CST",
    "London",
    "MOPAC",
    "Hedayah",
    "National Hubs",
    "Good Practices",
)


@cache
def seed_words() -> tuple[str, ...]:
    """The workshop words, and every actor's and initiative's name in the seed dataset."""
    data = yaml.safe_load((ROOT / "ingest" / "data" / "workshop.yaml").read_text("utf-8"))
    names = [r["name"] for part in ("actors", "initiatives") for r in data[part] if r.get("name")]
    return tuple(dict.fromkeys([*WORKSHOP_WORDS, *names]))


def named_but_absent(G, findings) -> list[tuple[str, str]]:
    """(word, text) for every seed word a finding names that no node of G carries."""
    held = " ".join(str(d.get("name") or n) for n, d in G.nodes(data=True))
    out = []
    for word in seed_words():
        if word in held:
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        for f in findings:
            for text in (f.explanation, f.suggestion, f.mitigation or ""):
                if pattern.search(text):
                    out.append((word, text))
    return out


def _renamed(nodes):
    """The same nodes under names that say nothing (Node 1, Node 2, ...)."""
    return [{**n, "name": f"Node {i}"} for i, n in enumerate(nodes, 1)]


def bare_world():
    """A graph holding none of the seed's things, on which every type fires with its
    fallback wording where it has one (no candidates, no guidance)."""
    nodes = [
        city("solo", name="Solo Town", threats=["conspiracy"]),
        actor("ministry", "national_body", "FR", name="Ministry Elsewhere"),
        actor("maker", "private_sector", "FR", name="Maker Elsewhere"),
        cso("big", name="Big Charity"),
        cso("small", name="Small Group", grassroots=True),
        cso("funded", name="Funded Group", grassroots=True),
        initiative("club", name="Club Program"),
        initiative("lone", name="Lone Program"),
        initiative("review", "evaluation", name="Club Review", published=False),
        framework("plan", "FR", name="Plan Elsewhere"),
    ]
    edges = [
        rel("big", "solo"),
        rel("small", "club", "RUNS"),
        rel("solo", "funded", "FUNDS"),
        rel("review", "club", "EVALUATES"),
    ]
    return nodes, edges


def test_the_docs_examples_name_nothing_their_graph_does_not_hold() -> None:
    for entry in registry.catalogue():
        example = entry.gap.example
        G = build_graph(example.nodes, example.edge_maps())
        found = find_gaps(G)
        assert found, entry.gap.type
        assert named_but_absent(G, found) == [], entry.gap.type


def test_a_graph_without_the_seed_things_gets_findings_that_name_none_of_them() -> None:
    nodes, edges = world()
    renamed = build_graph(_renamed(nodes), edges)
    found = find_gaps(renamed)
    assert {f.type for f in found} == set(GAP_TYPES)
    assert named_but_absent(renamed, found) == []
    bare = build_graph(*bare_world())
    fallbacks = find_gaps(bare)
    assert {f.type for f in fallbacks} >= {
        "vertical.no_national_link",
        "horizontal.isolated_city",
        "cso.unsupported_grassroots",
        "cso.single_government_funder",
        "private.no_private_partner",
        "me.program_unevaluated",
        "me.evaluation_unpublished",
        "me.no_capacity_support",
        "theme.uncovered_threat",
    }
    assert named_but_absent(bare, fallbacks) == []
    texts = " ".join(f.suggestion for f in fallbacks)
    assert "an international fund" in texts and "an M&E resource repository" in texts


# -- guidance of the graph -------------------------------------------------------------


def _uk_city(*extra):
    return [city("york", name="York"), actor("home", "national_body", name="Home Ministry"), *extra]


def _suggestion(nodes, edges, gap: str, *subject: str) -> str:
    (f,) = [f for f in gaps(nodes, edges, types=[gap]) if f.subjects == subject]
    return f.suggestion


def test_no_national_link_names_guidance_on_national_local_cooperation_the_graph_holds() -> None:
    guide = initiative("guide", "resource", name="Cooperation Handbook")
    assert "Handbook" not in _suggestion(_uk_city(guide), [], "vertical.no_national_link", "york")
    nodes = _uk_city(
        {**guide, "themes": ["national_local_cooperation"]},
        initiative("old", "resource", name="Old Guide", themes=["national_local_cooperation"]),
        initiative("fr", "framework", name="French Guide", country="FR", level="national"),
    )
    nodes[-2]["status"] = "ended"
    nodes[-1]["themes"] = ["national_local_cooperation"]
    s = _suggestion(nodes, [], "vertical.no_national_link", "york")
    assert s.endswith(
        "York could open a working channel with Home Ministry; for guidance on national-local "
        "cooperation, see Cooperation Handbook."
    )


def test_no_private_partner_names_a_public_private_partnership_model_of_the_graph() -> None:
    nodes = [
        city("york", name="York"),
        actor("tech", "private_sector", name="Tech Ltd"),
        initiative("app", name="Report App", country="GB", themes=["public_private_partnership"]),
    ]
    s = _suggestion(nodes, [], "private.no_private_partner", "york")
    assert "Tech Ltd" in s and s.endswith(
        "for guidance on media representation and public-private partnership, see Report App."
    )


def test_evaluation_unpublished_points_to_an_m_and_e_resource_of_the_graph() -> None:
    nodes = [
        city("york", name="York"),
        initiative("club", name="Club"),
        initiative("e1", "evaluation", name="Club Review", published=False),
        initiative("shelf", "resource", name="Evidence Library", themes=["m_and_e"]),
    ]
    edges = [rel("e1", "club", "EVALUATES"), rel("york", "club", "FUNDS")]
    s = _suggestion(nodes, edges, "me.evaluation_unpublished", "e1")
    assert s.endswith("and share it in Evidence Library.")


def test_isolated_city_without_peers_is_pointed_to_the_graphs_city_networks() -> None:
    nodes = [
        city("york", name="York"),
        city("lyon", "FR"),
        city("nice", "FR"),
        actor("net", "international_org", None, name="Mayors Network"),
    ]
    edges = [rel("lyon", "net", "MEMBER_OF"), rel("nice", "net", "MEMBER_OF")]
    s = _suggestion(nodes, edges, "horizontal.isolated_city", "york")
    assert "through a city network such as Mayors Network" in s


def test_resources_on_takes_the_country_first_then_international_best_match_then_name() -> None:
    nodes = [
        initiative("b", "resource", name="B intl", themes=["m_and_e", "hate"]),
        initiative("a", "resource", name="A intl", themes=["m_and_e"]),
        initiative("z", "program", name="Z home", country="GB", themes=["m_and_e"]),
        initiative("fr", "resource", name="Paris", country="FR", themes=["m_and_e"]),
        initiative("ev", "event", name="Event", themes=["m_and_e"]),
    ]
    idx = GapIndex(build_graph(nodes, []))
    assert resources_on(idx, ["m_and_e", "hate"], "GB") == ["z", "b", "a"]
    assert resources_on(idx, ["m_and_e"], None) == ["a", "b"]
    assert resources_on(idx, ["m_and_e"], "GB", kinds=("resource",), limit=1) == ["a"]
    assert resources_on(idx, ["m_and_e"], "GB", exclude=["z"], limit=1) == ["a"]


@pytest.mark.parametrize("gap", list(GAP_TYPES))
def test_every_suggestion_is_one_sentence_ending_in_a_full_stop(gap) -> None:
    for G in (build_graph(*world()), build_graph(*bare_world())):
        for f in find_gaps(G, types=[gap]):
            assert f.suggestion.endswith(".") and not f.suggestion.endswith(".."), f
