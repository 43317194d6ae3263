"""Findings after a write, computed from the previous generation's, equal a full run.

Every test compares `update_findings` with `find_gaps` on a fresh projection, after
each edit of a random sequence (every kind of node and relationship added, removed
and changed, on the workbook fixture), or on a hand-built graph where one rule of
`graph.analysis.reach` is at stake.
"""

from __future__ import annotations

import pytest

from graph.analysis.basis import stated_only
from graph.analysis.gaps import GAP_TYPES, find_gaps
from graph.analysis.incremental import scopes_of, update_findings
from graph.analysis.reach import WHOLE, Reach, Targets
from graph.projection import build_graph
from graph.projection_patch import patched
from tests.support.graphs import actor, city, cso, initiative, patched_to, rel
from tests.support.random_edits import World


def _step(world: World, G, findings, edits: int, *, vis: bool, stated: bool):  # type: ignore[no-untyped-def]
    touched = world.edits(edits)
    H = patched(G, touched, world.node_maps(touched), world.edges_touching(touched))
    before, after = (stated_only(G), stated_only(H)) if stated else (G, H)
    got = update_findings(before, findings, after, touched)
    fresh = world.graph(include_confidential=vis)
    want = find_gaps(stated_only(fresh) if stated else fresh)
    return H, got, want, touched


@pytest.mark.parametrize("seed", range(16))
def test_many_random_edits_give_the_findings_of_a_full_run(seed: int) -> None:
    world = World(seed)
    vis, stated = seed % 2 == 1, seed % 5 == 4
    G = world.graph(include_confidential=vis)
    findings = find_gaps(stated_only(G) if stated else G)
    for step in range(25):
        edits = 1 if step % 4 else world.rng.randint(2, 4)
        G, findings, want, touched = _step(world, G, findings, edits, vis=vis, stated=stated)
        assert findings == want, (seed, step, sorted(touched))


def test_an_edit_in_one_country_keeps_the_other_countries_findings() -> None:
    """The findings of a country the change cannot reach are the previous ones, not
    recomputed: the scope is the edited city's country."""
    nodes = [city("a", "GB"), city("b", "GB"), city("c", "FR"), city("d", "FR")]
    G = build_graph(nodes, [rel("a", "b", "TWINNED_WITH")])
    findings = find_gaps(G)
    nodes2 = [city("a", "GB", name="Renamed"), *nodes[1:]]
    H = patched(G, {"a"}, nodes2[:1], [rel("a", "b", "TWINNED_WITH")])
    scopes = scopes_of(G, H, {"a"})
    assert scopes["horizontal.isolated_city"] == Targets(frozenset({"a", "b"}), frozenset({"GB"}))
    got = update_findings(G, findings, H, {"a"})
    assert got == find_gaps(build_graph(nodes2, [rel("a", "b", "TWINNED_WITH")]))
    kept = [f for f in findings if f.country == "FR"]
    assert kept and all(any(g is f for g in got) for f in kept)  # the same objects


def test_a_touched_international_node_recomputes_the_types_that_read_them() -> None:
    nodes = [city("a", "GB"), cso("b", "GB"), actor("un", "international_org", country=None)]
    G = build_graph(nodes, [])
    H = patched(G, {"un"}, [actor("un", "international_org", country=None, name="U")], [])
    scopes = scopes_of(G, H, {"un"})
    assert scopes["cso.no_cso_partner"] is None
    assert scopes["horizontal.no_domestic_link"] == Targets(frozenset({"un"}), frozenset({None}))


def test_a_type_newly_assessable_is_computed_in_full() -> None:
    G = build_graph([city("a", "GB")], [])
    H = patched(G, {"b"}, [cso("b", "FR")], [])
    assert scopes_of(G, H, {"b"})["cso.no_cso_partner"] is None


def test_a_network_change_targets_its_members_and_the_lone_cities() -> None:
    nodes = [
        city("a", "GB"),
        city("b", "FR"),
        city("c", "FR"),
        actor("net", "international_org", country="GB"),
    ]
    G = build_graph(nodes, [])
    H = patched(G, {"a", "net"}, nodes[:1] + nodes[3:], [rel("a", "net", "MEMBER_OF")])
    scopes = scopes_of(G, H, {"a", "net"})
    assert scopes["horizontal.isolated_city"] == Targets(frozenset({"a", "net"}), frozenset({"GB"}))
    assert scopes["horizontal.no_domestic_link"].countries == frozenset({"GB"})


def test_a_fellow_network_member_renamed_is_two_hops_away() -> None:
    """Berlin, a fellow member of London's network abroad, is renamed: London's
    suggestion names it, two hops away through the network (not an initiative)."""
    nodes = [
        city("london", "GB"),
        city("leeds", "GB"),
        city("berlin", "DE"),
        actor("net", "international_org", country="NL"),
    ]
    edges = [rel("london", "net", "MEMBER_OF"), rel("berlin", "net", "MEMBER_OF")]
    renamed = [*nodes[:2], city("berlin", "DE", name="Berlin Mitte"), nodes[3]]
    scopes = _update_equals_full(nodes, edges, renamed, edges, {"berlin"})
    assert "london" in scopes["horizontal.isolated_city"].subjects


def test_a_city_without_peers_reads_the_ranking_of_every_network() -> None:
    """Rome has no other Italian city and no network: its suggestion names the networks
    with most city members, so a French city joining one abroad reaches it."""
    nodes = [
        city("rome", "IT"),
        city("paris", "FR"),
        city("lyon", "FR"),
        actor("net", "international_org", country="NL", name="Net"),
    ]
    joined = [rel("paris", "net", "MEMBER_OF")]
    scopes = _update_equals_full(nodes, [], nodes, joined, {"paris", "net"})
    assert "rome" in scopes["horizontal.isolated_city"].subjects


def test_an_actor_naming_a_city_is_within_its_reach() -> None:
    """`city` is a link without a relationship: a local actor's change reaches its city
    (and that city's country) through it."""
    nodes = [city("a", "GB"), cso("x", "FR", city="a")]
    G = build_graph(nodes, [])
    H = patched(G, {"x"}, [cso("x", "FR", city="a", name="Renamed")], [])
    assert "a" in scopes_of(G, H, {"x"})["local.silo"].subjects


def test_every_type_declares_its_reach_or_is_recomputed_whole() -> None:
    declared = {t for t, g in GAP_TYPES.items() if g.reach is not WHOLE}
    assert declared >= {"horizontal.no_domestic_link", "vertical.no_national_link"}
    assert {t for t in GAP_TYPES if t.startswith("me.")} <= declared


def reach_row(t: str, r: Reach) -> str:
    """The row of docs/gaps.md's reach table for type `t`."""
    if r.whole:
        return f"| `{t}` | — | — | — | — | — | yes |"
    yes = {True: "yes", False: "no"}
    through = "any node" if r.through is None else " or ".join(sorted(r.through)) or "—"
    through = through if r.radius > 1 else "—"
    flags = (r.international, r.networks, r.nearest)
    return f"| `{t}` | {r.radius} | {through} | {' | '.join(yes[x] for x in flags)} | no |"


def test_docs_gaps_lists_every_types_reach_as_declared() -> None:
    from tests.support.paths import ROOT

    text = (ROOT / "docs" / "gaps.md").read_text(encoding="utf-8")
    for t, g in GAP_TYPES.items():
        row = reach_row(t, g.reach)
        assert row in text, row


def _update_equals_full(nodes, edges, new_nodes, new_edges, touched):  # type: ignore[no-untyped-def]
    """The incremental findings after the change equal a full run, and are not those of
    before (the change mattered)."""
    G = build_graph(nodes, edges)
    findings = find_gaps(G)
    ids = set(touched)
    H = patched_to(G, new_nodes, new_edges, ids)
    want = find_gaps(build_graph(new_nodes, new_edges))
    assert want != findings
    assert update_findings(G, findings, H, ids) == want
    return scopes_of(G, H, ids)


def test_a_city_met_through_an_initiative_is_named_two_hops_away() -> None:
    """Paris is linked only abroad, to Berlin through a shared initiative: renaming
    Berlin changes Paris's finding, two hops away through the initiative."""
    nodes = [
        city("paris", "FR"),
        city("lyon", "FR"),
        city("berlin", "DE"),
        {"id": "ev", "kind": "event", "name": "EV", "country": "DE", "status": "active"},
    ]
    edges = [rel("paris", "ev", "PARTICIPATES_IN"), rel("berlin", "ev", "PARTICIPATES_IN")]
    renamed = [*nodes[:2], city("berlin", "DE", name="Berlin Mitte"), nodes[3]]
    scopes = _update_equals_full(nodes, edges, renamed, edges, {"berlin"})
    assert "paris" in scopes["horizontal.no_domestic_link"].subjects


def test_a_threat_covered_by_a_local_partners_initiative_is_two_hops_away() -> None:
    """London's local partner (registered in France) joins nothing new; the initiative
    it takes part in gains London's threat as a theme: London, two hops away through
    the partner, no longer has the threat uncovered."""
    nodes = [
        city("london", "GB", threats=["hate"]),
        cso("partner", "FR", city="london"),
        {"id": "prog", "kind": "program", "name": "P", "country": "DE", "themes": ["terrorism"]},
    ]
    edges = [rel("london", "partner"), rel("partner", "prog", "PARTICIPATES_IN")]
    themed = [*nodes[:2], {**nodes[2], "themes": ["terrorism", "hate"]}]
    scopes = _update_equals_full(nodes, edges, themed, edges, {"prog"})
    assert "london" in scopes["theme.uncovered_threat"].subjects


def test_a_new_provider_in_a_grassroots_cso_s_city_is_two_hops_away() -> None:
    """A funder located in the CSO's city becomes a provider: the unsupported grassroots
    CSO (registered in another country than the city and the funder), two hops away
    through the city, is told about it."""
    nodes = [
        city("leeds", "GB"),
        cso("roots", "IE", grassroots=True, city="leeds"),
        actor("fund", "private_sector", "NL", city="leeds"),
        cso("other", "NL"),
    ]
    funded = [rel("fund", "other", "FUNDS")]
    scopes = _update_equals_full(nodes, [], nodes, funded, {"fund", "other"})
    assert "roots" in scopes["cso.unsupported_grassroots"].subjects


def test_subjects_abroad_within_reach_are_recomputed_and_their_compatriots_kept() -> None:
    """Berlin renamed reaches Paris (through their initiative), not Lyon: Paris's finding
    is computed again, Lyon's (same country, out of reach) is the previous object."""
    nodes = [
        city("paris", "FR"),
        city("lyon", "FR"),
        city("marseille", "FR"),
        city("berlin", "DE"),
        {"id": "ev", "kind": "event", "name": "EV", "country": "DE", "status": "active"},
    ]
    edges = [
        rel("paris", "ev", "PARTICIPATES_IN"),
        rel("berlin", "ev", "PARTICIPATES_IN"),
        rel("lyon", "berlin", "TWINNED_WITH"),
    ]
    renamed = [*nodes[:3], city("berlin", "DE", name="Berlin Mitte"), nodes[4]]
    G = build_graph(nodes, edges)
    findings = find_gaps(G)
    H = patched(G, {"berlin"}, renamed[3:4], edges[1:])
    scope = scopes_of(G, H, {"berlin"})["horizontal.no_domestic_link"]
    assert scope.countries == frozenset({"DE"}) and "paris" in scope.subjects
    got = update_findings(G, findings, H, {"berlin"})
    assert got == find_gaps(build_graph(renamed, edges))
    marseille = [f for f in findings if f.subjects == ("marseille",)]
    assert marseille and all(any(g is f for g in got) for f in marseille)


def test_a_national_body_added_reaches_every_city_of_its_country() -> None:
    """A new national body is a candidate for every unlinked city of its country, none
    of which it is related to: the touched node's country is recomputed whole."""
    nodes = [city("leeds", "GB"), city("york", "GB"), actor("ho", "national_body", "GB")]
    G = build_graph(nodes, [])
    findings = find_gaps(G)
    new = [actor("dluhc", "national_body", "GB", name="Department for Communities")]
    H = patched(G, {"dluhc"}, new, [])
    want = find_gaps(build_graph([*nodes, *new], []))
    assert want != findings
    assert update_findings(G, findings, H, {"dluhc"}) == want
    assert scopes_of(G, H, {"dluhc"})["vertical.no_national_link"].countries == {"GB"}


def test_an_evaluator_in_a_program_runner_s_city_is_three_hops_away() -> None:
    """An actor registered in Germany but located in Lyon starts evaluating something
    else: the unevaluated French program of a Lyon CSO is told about it, three hops
    away (evaluator, Lyon, the CSO, the program)."""
    nodes = [
        city("lyon", "FR"),
        cso("runner", "FR"),
        initiative("prog", country="FR", themes=["m_and_e"]),
        actor("uni", "research", "DE", city="lyon"),
        initiative("other", country="DE"),
        {"id": "other_ev", "kind": "evaluation", "name": "EV", "country": "DE"},
    ]
    edges = [rel("runner", "lyon", "LOCATED_IN"), rel("runner", "prog", "RUNS")]
    evaluating = [*edges, rel("uni", "other", "EVALUATES")]
    scopes = _update_equals_full(nodes, edges, nodes, evaluating, {"uni", "other"})
    assert "prog" in scopes["me.program_unevaluated"].subjects


def test_an_unpublished_evaluation_s_program_runner_is_two_hops_away() -> None:
    """The CSO running the evaluated program is renamed: the German evaluation of the
    French program names it as the one to ask, two hops away through the program."""
    nodes = [
        cso("runner", "FR"),
        initiative("prog", country="FR"),
        {"id": "ev", "kind": "evaluation", "name": "EV", "country": "DE", "published": False},
    ]
    edges = [rel("runner", "prog", "RUNS"), rel("ev", "prog", "EVALUATES")]
    renamed = [cso("runner", "FR", name="Renamed"), *nodes[1:]]
    scopes = _update_equals_full(nodes, edges, renamed, edges, {"runner"})
    assert "ev" in scopes["me.evaluation_unpublished"].subjects


def test_a_capacity_provider_in_a_program_running_cso_s_city_is_two_hops_away() -> None:
    """A German company located in Lyon starts supporting another actor's capacity:
    the French CSO of Lyon running a program without support is told about it, two hops
    away through the city."""
    nodes = [
        city("lyon", "FR"),
        cso("runner", "FR"),
        initiative("prog", country="FR"),
        actor("fund", "private_sector", "DE", city="lyon"),
        cso("helped", "DE"),
    ]
    edges = [rel("runner", "lyon", "LOCATED_IN"), rel("runner", "prog", "RUNS")]
    supporting = [*edges, rel("fund", "helped", "SUPPORTS_CAPACITY")]
    scopes = _update_equals_full(nodes, edges, nodes, supporting, {"fund", "helped"})
    assert "runner" in scopes["me.no_capacity_support"].subjects


def _countries_pair_case(links: list[dict]) -> None:
    """Paris (France) and Munich (Germany) share a network; France and Germany are
    linked, or nearly, only through Toulouse. Paris renamed makes France's pairs
    targets (Germany is out of reach): the pair must still be read through Toulouse."""
    nodes = [
        city("paris", "FR"),
        city("toulouse", "FR"),
        city("munich", "DE"),
        actor("net", "international_org", country="NL"),
        initiative("ev", "event", country="DE", status="active"),
    ]
    edges = [rel("paris", "net", "MEMBER_OF"), rel("munich", "net", "MEMBER_OF"), *links]
    renamed = [city("paris", "FR", name="Lutetia"), *nodes[1:]]
    scopes = _update_equals_full(nodes, edges, renamed, edges, {"paris"})
    assert "DE" not in scopes["horizontal.unlinked_countries"].countries


def test_countries_linked_by_a_city_out_of_reach_stay_linked() -> None:
    _countries_pair_case([rel("toulouse", "munich", "TWINNED_WITH")])


def test_countries_linked_by_an_initiative_out_of_reach_stay_linked() -> None:
    _countries_pair_case(
        [rel("toulouse", "ev", "PARTICIPATES_IN"), rel("munich", "ev", "PARTICIPATES_IN")]
    )


def test_a_pending_participation_out_of_reach_still_mitigates_the_pair() -> None:
    _countries_pair_case(
        [
            rel("toulouse", "ev", "PARTICIPATES_IN", "planned"),
            rel("munich", "ev", "PARTICIPATES_IN"),
        ]
    )


def test_a_pending_city_link_out_of_reach_still_mitigates_the_pair() -> None:
    _countries_pair_case([rel("toulouse", "munich", "TWINNED_WITH", "planned")])


def test_a_network_renamed_reaches_the_pairs_of_its_member_cities_countries() -> None:
    """The pair France–Germany names the network its cities share: renaming it (no
    city, no country touched) targets the countries of its member cities."""
    nodes = [city("paris", "FR"), city("munich", "DE"), actor("net", "international_org", "NL")]
    edges = [rel("paris", "net", "MEMBER_OF"), rel("munich", "net", "MEMBER_OF")]
    renamed = [*nodes[:2], actor("net", "international_org", "NL", name="Strong Cities")]
    scopes = _update_equals_full(nodes, edges, renamed, edges, {"net"})
    assert scopes["horizontal.unlinked_countries"].countries == {"DE", "FR"}
