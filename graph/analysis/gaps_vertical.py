"""Vertical gaps: national ↔ local (workshop key takeaway 4, next step 2)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graph.analysis.example_cast import COHESION, CST, LONDON, MANCHESTER, PREVENT
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import GapIndex
from graph.analysis.reach import Reach
from graph.analysis.registry import Example, gap_type, node
from graph.analysis.resources import resources_on
from graph.analysis.severity import grade, has_national_link
from graph.analysis.wording import country_name, guidance_text

#: The theme of guidance a city with no national link is pointed to, when the graph has any.
NATIONAL_LOCAL = "national_local_cooperation"


@gap_type(
    type="vertical.no_national_link",
    reach=Reach(radius=2, through=frozenset({"initiative"})),
    title="City with no national link",
    why=(
        "A city has no relationship with any national body of its country and neither "
        "contributes to nor implements any national framework of its country. The "
        "workshop found national-local channels 'either non-existent or ineffective'."
    ),
    severity_rule=(
        "low when a planned or proposed link would close it, or when no national body "
        "or national framework of the city's country is in the graph; otherwise high "
        "when the city has no city-to-city link either (it lacks both axes), medium "
        "when it has one. Cities without a country are not assessed."
    ),
    needs=("city", ("national_body", "national_framework")),
    example=Example(
        nodes=(
            LONDON,
            node("home_office", "national_body", "Home Office", country="GB", themes=["hate"]),
            PREVENT,
            COHESION,
            node(
                "handbook",
                "resource",
                "National-Local Cooperation Handbook",
                themes=[NATIONAL_LOCAL],
            ),
        ),
        edges=(),
        subjects=("london",),
    ),
)
def no_national_link(idx: GapIndex) -> Iterator[Finding]:
    """A city with no relationship with a national body of its country, and no
    CONTRIBUTES_TO / IMPLEMENTS towards a national framework of its country."""
    for c in idx.wanted_cities():
        cc = idx.country(c)
        if cc is None or not idx.wants(cc, c):
            continue  # None: "its country" is unknown, nothing to compare with
        if has_national_link(idx, c):
            continue
        planned = [
            link
            for b, links in idx.rel_planned.get(c, {}).items()
            if idx.kind(b) == "national_body" and idx.country(b) == cc
            for link in links
        ]
        planned += [
            link
            for link in (*idx.contrib_planned_out.get(c, ()), *idx.impl_planned_out.get(c, ()))
            if idx.is_national_framework(link.target) and idx.country(link.target) == cc
        ]
        themes = idx.themes[c]
        cand_bodies = idx.pick([idx.by_kind_country.get(("national_body", cc), ())], themes=themes)
        cand_fw = idx.pick([idx.national_frameworks.get(cc, ())], themes=themes)
        country = country_name(cc)
        guidance = resources_on(idx, [NATIONAL_LOCAL], cc, exclude=[*cand_bodies, *cand_fw])
        if cand_bodies or cand_fw:
            steps = []
            if cand_bodies:
                steps.append(f"open a working channel with {idx.names(cand_bodies)}")
            if cand_fw:
                steps.append(f"ask to contribute to or implement {idx.names(cand_fw)}")
            suggestion = f"{idx.name(c)} could {' and '.join(steps)}"
        else:
            suggestion = (
                f"Identify the national body responsible for prevention in {country} (e.g. the "
                f"interior ministry or a national hub), add it to the graph and agree a channel "
                f"for national-local coordination with {idx.name(c)}"
            )
        if guidance:
            suggestion += f"; {guidance_text(idx.names(guidance), [NATIONAL_LOCAL])}"
        mitigation = idx.mitigation(planned)
        yield Finding(
            type="vertical.no_national_link",
            severity=grade(
                candidates=bool(cand_bodies or cand_fw),
                mitigated=mitigation is not None,
                whole_axis=not idx.has_city_link(c),
            ),
            subjects=(c,),
            country=cc,
            explanation=(
                f"{idx.name(c)} has no active relationship with any national body of {country} "
                f"and neither contributes to nor implements any national framework there."
            ),
            suggestion=f"{suggestion}.",
            mitigation=mitigation,
        )


def _framework_example(framework: Mapping[str, Any], other_link: str) -> Example:
    """The framework types' example graph: Manchester has only the `other_link` to the
    framework (so the type's own link is the one missing), and London and the CST are
    local actors of its country that could be asked."""
    return Example(
        nodes=(LONDON, MANCHESTER, CST, framework),
        edges=(("manchester", other_link, framework["id"]),),
        subjects=(framework["id"],),
    )


def _framework_gap(idx: GapIndex, *, implements: bool) -> Iterator[Finding]:
    gap = (
        "vertical.framework_not_implemented"
        if implements
        else ("vertical.framework_without_local_input")
    )
    have_in = idx.impl_in if implements else idx.contrib_in
    other_in = idx.contrib_in if implements else idx.impl_in
    planned_in = idx.impl_planned_in if implements else idx.contrib_planned_in
    for cc in sorted(idx.national_frameworks, key=lambda x: x or ""):
        if cc is None:
            continue  # None: a national framework without a country, whose local actors?
        locals_ = idx.local_by_country.get(cc, [])
        for f in idx.national_frameworks[cc]:
            if not idx.wants(cc, f) or any(
                idx.is_local_actor_of(a, cc) for a in have_in.get(f, ())
            ):
                continue
            other = idx.by_name(a for a in other_in.get(f, ()) if idx.is_local_actor_of(a, cc))
            planned = [x for x in planned_in.get(f, ()) if idx.is_local_actor_of(x.source, cc)]
            cand = idx.pick(
                [other, idx.cities_by_country.get(cc, ()), locals_], themes=idx.themes[f]
            )
            country = country_name(cc)
            fname = idx.name(f)
            if implements:
                explanation = (
                    f"No local actor of {country} implements the national framework {fname}"
                )
                explanation += f", although {idx.names(other)} contributed to it." if other else "."
                if cand:
                    suggestion = (
                        f"Agree with {idx.names(cand)} how to put {fname} into practice "
                        f"locally (a local action plan or a pilot), with support from the "
                        f"national level."
                    )
                else:
                    suggestion = (
                        f"Add the cities and local services of {country} that should apply "
                        f"{fname} to the graph, and agree a local implementation plan with them."
                    )
            else:
                explanation = (
                    f"No local actor of {country} contributes to the national framework {fname}"
                )
                verb = "implements" if len(other) == 1 else "implement"
                explanation += f", although {idx.names(other)} {verb} it." if other else "."
                if cand:
                    suggestion = (
                        f"Invite {idx.names(cand)} to contribute to the next revision of "
                        f"{fname} (a consultation or a standing local advisory group)."
                    )
                else:
                    suggestion = (
                        f"Add the cities and local actors of {country} to the graph and open a "
                        f"consultation so they can feed into {fname}."
                    )
            mitigation = idx.mitigation(planned)
            yield Finding(
                type=gap,
                severity=grade(
                    candidates=bool(cand), mitigated=mitigation is not None, whole_axis=not other
                ),
                subjects=(f,),
                country=cc,
                explanation=explanation,
                suggestion=suggestion,
                mitigation=mitigation,
            )


@gap_type(
    type="vertical.framework_without_local_input",
    reach=Reach(radius=1, international=False),
    title="National framework without local input",
    why=(
        "A national framework has no CONTRIBUTES_TO from any local actor of its country. "
        "Local authorities 'should be invited to contribute to the development of such a "
        "framework'."
    ),
    severity_rule=(
        "low when a planned or proposed contribution would close it, or when no local "
        "actor of the framework's country is in the graph; otherwise high when no local "
        "actor of its country implements it either (no local actor takes any part in it), "
        "medium when some do."
    ),
    needs=("national_framework",),
    example=_framework_example(COHESION, "IMPLEMENTS"),
)
def framework_without_local_input(idx: GapIndex) -> Iterator[Finding]:
    """A national framework with no CONTRIBUTES_TO from a local actor of its country."""
    return _framework_gap(idx, implements=False)


@gap_type(
    type="vertical.framework_not_implemented",
    reach=Reach(radius=1, international=False),
    title="National framework not implemented locally",
    why=(
        "A national framework has no IMPLEMENTS from any local actor of its country: 'a "
        "comprehensive national prevention framework alone is insufficient'."
    ),
    severity_rule=(
        "low when a planned or proposed implementation would close it, or when no local "
        "actor of the framework's country is in the graph; otherwise high when no local "
        "actor of its country contributes to it either (no local actor takes any part in "
        "it), medium when some do."
    ),
    needs=("national_framework",),
    example=_framework_example(PREVENT, "CONTRIBUTES_TO"),
)
def framework_not_implemented(idx: GapIndex) -> Iterator[Finding]:
    """A national framework with no IMPLEMENTS from a local actor of its country."""
    return _framework_gap(idx, implements=True)
