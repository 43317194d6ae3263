"""Monitoring-and-evaluation gaps (workshop key takeaway 5, next step 4)."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analysis.example_cast import (
    IREPORTIT,
    LONDON,
    MANCHESTER,
    RUSI,
    YOUTH_VOICES,
    YOUTH_VOICES_NATIONAL,
)
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import (
    GapIndex,
    ProviderPools,
    capacity_providers,
    evaluating_actors,
    research_bodies,
)
from graph.analysis.reach import Reach
from graph.analysis.registry import Example, gap_type, node
from graph.analysis.resources import resources_on
from graph.analysis.severity import grade
from graph.analysis.wording import guidance_text, possessive

#: The theme of the guidance and repositories an M&E suggestion may point to.
M_AND_E = "m_and_e"

_TRUE = frozenset({"true", "yes", "1", "y"})


def _published(value: object) -> bool:
    """`published` as a bool; missing means unpublished (the ingest default)."""
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def _evaluators(idx: GapIndex) -> ProviderPools:
    return idx.provider_pools(evaluating_actors)


def _research(idx: GapIndex) -> ProviderPools:
    return idx.provider_pools(research_bodies)


@gap_type(
    type="me.program_unevaluated",
    title="Program without evaluation",
    why=(
        "An active program has no ongoing or completed evaluation (EVALUATES); few "
        "'locally-led prevention programs … have been properly evaluated'."
    ),
    severity_rule=(
        "low when a planned or proposed evaluation would close it, or when the graph "
        "holds no evaluator or research body to suggest; medium otherwise. Never high: "
        "no whole axis is missing."
    ),
    needs=("program",),
    # its evaluators and runners (1 hop), the runners' home cities (2), the evaluators
    # and research bodies located there (3): beyond the first hop only through actors
    reach=Reach(radius=3, through=frozenset({"actor"})),
    example=Example(
        nodes=(
            MANCHESTER,
            RUSI,
            node("exchange", "program", "Peer Exchange", country="GB", themes=["polarisation"]),
        ),
        edges=(("manchester", "RUNS", "exchange"),),
        subjects=("exchange",),
    ),
)
def program_unevaluated(idx: GapIndex) -> Iterator[Finding]:
    """An active program that nothing evaluates: no active or ended EVALUATES from an
    actor or from an active or ended evaluation (proposed or planned ones are the
    mitigation)."""
    evaluators, research = _evaluators(idx), _research(idx)
    for p in idx.initiatives_by_kind.get("program", ()):
        if idx.evaluated_by.get(p):
            continue
        cc = idx.initiative_country(p)
        if not idx.wants(cc, p):
            continue
        runners = sorted(idx.runners.get(p, ()), key=lambda r: (idx.name(r), r))
        homes = {c for r in runners for c in idx.home_cities.get(r, ())}
        ev, rs = evaluators.pools_for(cc, homes), research.pools_for(cc, homes)
        # evaluators near the program, then research bodies near it, then further afield
        cand = idx.pick(
            [ev[0], ev[1], rs[0], rs[1], ev[2], rs[2]], themes=idx.themes[p], exclude=runners
        )
        name = idx.name(p)
        run_by = f" run by {idx.names(runners)}" if runners else ""
        if cand:
            suggestion = (
                f"Commission an evaluation of {name} from {idx.names(cand)}, with M&E budgeted "
                f"into the program, and publish the results"
            )
        else:
            suggestion = (
                f"Budget for an evaluation of {name} (e.g. with a university or think tank), "
                f"publish it, and add the evaluation to the graph"
            )
        see = resources_on(idx, [M_AND_E], cc, exclude=[p])
        if see:
            suggestion += f"; {guidance_text(idx.names(see), [M_AND_E])}"
        mitigation = idx.mitigation(idx.evaluated_planned.get(p, ()))
        yield Finding(
            type="me.program_unevaluated",
            severity=grade(candidates=bool(cand), mitigated=mitigation is not None),
            subjects=(p,),
            country=cc,
            explanation=f"The active program {name}{run_by} has no evaluation.",
            suggestion=f"{suggestion}.",
            mitigation=mitigation,
        )


@gap_type(
    type="me.evaluation_unpublished",
    title="Unpublished evaluation",
    why=(
        "An active or completed evaluation has `published: false` (a missing value "
        "counts as false); 'funders should insist that program implementers publish "
        "their evaluations'."
    ),
    severity_rule=(
        "low when nobody in the graph runs or funds the evaluation or the program it "
        "evaluates (there is no one to ask); medium otherwise. Never high: no whole axis "
        "is missing."
    ),
    needs=("evaluation",),
    # its programs, runners and funders (1 hop), the programs' runners and funders (2)
    reach=Reach(radius=2, through=frozenset({"initiative"})),
    example=Example(
        nodes=(
            LONDON,
            YOUTH_VOICES,
            IREPORTIT,
            node("eval1", "evaluation", "Youth Voices evaluation", published=False),
        ),
        edges=(
            ("youth", "RUNS", "ireportit"),
            ("eval1", "EVALUATES", "ireportit"),
            ("london", "FUNDS", "ireportit"),
        ),
        subjects=("eval1",),
    ),
)
def evaluation_unpublished(idx: GapIndex) -> Iterator[Finding]:
    """An active or ended evaluation whose `published` is false (or missing); a proposed
    or planned one has nothing to publish yet."""
    for e in idx.evaluations:
        if _published(idx.nodes[e].get("published")):
            continue
        programs = sorted(idx.evaluates.get(e, ()), key=lambda p: (idx.name(p), p))
        cc = idx.initiative_country(e)
        if cc is None:
            found = {idx.initiative_country(p) for p in programs} - {None}
            cc = found.pop() if len(found) == 1 else None
        if not idx.wants(cc, e):
            continue
        # a completed evaluation's links are history, but its funders and authors stand
        funders = idx.funds_in.get(e, set()) | idx.past("FUNDS", e, incoming=True)
        owners = idx.runners.get(e, set()) | idx.past("RUNS", e, incoming=True)
        for p in programs:
            funders |= idx.funds_in.get(p, set())
            owners |= idx.runners.get(p, set())
        funders_s = sorted(funders, key=lambda a: (idx.name(a), a))
        owners_s = sorted(owners - funders, key=lambda a: (idx.name(a), a))
        name = idx.name(e)
        of = f" of {idx.names(programs)}" if programs else ""
        who = idx.names(owners_s) if owners_s else "its authors"
        backing = (
            f", which {idx.names(funders_s)} as funder{'s' if len(funders_s) > 1 else ''} "
            f"can insist on"
            if funders_s
            else ""
        )
        shelf = resources_on(idx, [M_AND_E], cc, kinds=("resource",), exclude=[e], limit=1)
        where = idx.names(shelf) if shelf else "an M&E resource repository others in the field use"
        yield Finding(
            type="me.evaluation_unpublished",
            severity=grade(candidates=bool(funders_s or owners_s), mitigated=False),
            subjects=(e,),
            country=cc,
            explanation=(
                f"The evaluation {name}{of} is not published, so others cannot learn from it."
            ),
            suggestion=f"Ask {who} to publish {name}{backing}, and share it in {where}.",
            mitigation=None,
        )


@gap_type(
    type="me.no_capacity_support",
    title="Program-running CSO without capacity support",
    why=(
        "A CSO runs an active program but receives no SUPPORTS_CAPACITY; CSOs lack "
        "'resource and in-house technical M&E capacity'."
    ),
    severity_rule=(
        "low when planned or proposed capacity support would close it, or when the graph "
        "holds no capacity provider or M&E expert to suggest; medium otherwise. Never "
        "high: no whole axis is missing."
    ),
    needs=("cso", "program"),
    # its programs and capacity support (1 hop), its city (1), the providers, evaluators
    # and research bodies located there (2)
    reach=Reach(radius=2, through=frozenset({"city"})),
    example=Example(
        nodes=(RUSI, YOUTH_VOICES_NATIONAL, IREPORTIT),
        edges=(("youth", "RUNS", "ireportit"),),
        subjects=("youth",),
    ),
)
def no_capacity_support(idx: GapIndex) -> Iterator[Finding]:
    """A CSO that runs an active program but receives no SUPPORTS_CAPACITY."""
    providers = idx.provider_pools(capacity_providers)
    evaluators, research = _evaluators(idx), _research(idx)
    for a in idx.wanted_actors("cso"):
        if not idx.wants(idx.country(a), a):
            continue
        programs = sorted(
            (i for i in idx.runs.get(a, ()) if idx.kind(i) == "program"),
            key=lambda i: (idx.name(i), i),
        )
        if not programs or idx.capacity_in.get(a):
            continue
        cp, ev, rs = providers.pools(a), evaluators.pools(a), research.pools(a)
        # capacity builders near the CSO, then M&E experts (evaluators, research bodies)
        pools = [cp[0], cp[1], ev[0], ev[1], rs[0], rs[1], cp[2], ev[2], rs[2]]
        cand = idx.pick(pools, themes=idx.themes[a], exclude=[a])
        name = idx.name(a)
        if cand:
            suggestion = (
                f"Ask {idx.names(cand)} to support {possessive(name)} capacity, M&E above "
                f"all, e.g. training funded as part of the project budget."
            )
        else:
            suggestion = (
                f"Include M&E and organisational capacity-building in the budget of "
                f"{idx.names(programs)}, or connect {name} with M&E experts."
            )
        mitigation = idx.mitigation(idx.capacity_planned_in.get(a, ()))
        yield Finding(
            type="me.no_capacity_support",
            severity=grade(candidates=bool(cand), mitigated=mitigation is not None),
            subjects=(a,),
            country=idx.country(a),
            explanation=(
                f"{name} runs {idx.names(programs)} but receives no capacity support "
                f"(training, M&E or institutional support)."
            ),
            suggestion=suggestion,
            mitigation=mitigation,
        )
