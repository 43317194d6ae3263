"""Civil-society and private-sector gaps (workshop key takeaways 2 and 3, next step 3).

The private-sector type is defined last: the catalogue lists it after the CSO types.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.analysis.example_cast import (
    CST,
    IREPORTIT,
    LONDON,
    MANCHESTER,
    MOTHERS_TOGETHER,
    YOUTH_VOICES,
    YOUTH_VOICES_NATIONAL,
)
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import (
    GapIndex,
    funders_or_capacity_providers,
    grassroots_csos,
    non_government_funders,
)
from graph.analysis.reach import Reach
from graph.analysis.registry import Example, gap_type, node
from graph.analysis.resources import resources_on
from graph.analysis.severity import grade
from graph.analysis.wording import country_name, guidance_text, possessive

#: Themes of the guidance a city with no private-sector partner is pointed to.
PRIVATE_GUIDANCE = ("media_representation", "public_private_partnership")


def _kind_words(kind: str | None) -> str:
    return (kind or "actor").replace("_", " ")


def _partner_gap(
    idx: GapIndex,
    *,
    gap: str,
    kind: str,
    what: str,
    explain: str,
    advice: str,
    fallback: str,
    guidance: tuple[str, ...] = (),
) -> Iterator[Finding]:
    """Cities with no relationship with any actor of `kind` (cso / private_sector).

    `advice` (with candidates) and `fallback` (without) are templates without their
    final full stop; guidance of the graph on the `guidance` themes is added to them."""
    for c in idx.wanted_cities():
        cc = idx.country(c)
        if not idx.wants(cc, c) or any(idx.kind(b) == kind for b in idx.rel.get(c, ())):
            continue
        here = idx.by_name(a for a in idx.local_actors.get(c, ()) if idx.kind(a) == kind)
        national = idx.by_kind_country.get((kind, cc), []) if cc else []
        cand = idx.pick([here, national], themes=idx.themes[c], exclude=[c])
        planned = [
            link
            for b, ls in idx.rel_planned.get(c, {}).items()
            if idx.kind(b) == kind
            for link in ls
        ]
        name, country = idx.name(c), country_name(cc) if cc else "its country"
        suggestion = (
            advice.format(city=name, names=idx.names(cand))
            if cand
            else fallback.format(city=name, city_s=possessive(name), country=country, what=what)
        )
        see = resources_on(idx, guidance, cc) if guidance else []
        if see:
            suggestion += f"; {guidance_text(idx.names(see), list(guidance))}"
        mitigation = idx.mitigation(planned)
        yield Finding(
            type=gap,
            severity=grade(candidates=bool(cand), mitigated=mitigation is not None),
            subjects=(c,),
            country=cc,
            explanation=explain.format(city=name),
            suggestion=f"{suggestion}.",
            mitigation=mitigation,
        )


@gap_type(
    type="cso.no_cso_partner",
    reach=Reach(radius=1),
    title="City with no CSO partner",
    why=(
        "A city has no relationship with any civil-society organisation, although CSOs "
        "are 'an essential partner in local prevention'."
    ),
    severity_rule=(
        "low when a planned or proposed link with a CSO would close it, or when no CSO "
        "of the city or its country is in the graph (possibly a gap in the data); "
        "medium otherwise. Never high: no whole axis is missing."
    ),
    needs=("city", "cso"),
    example=Example(
        nodes=(
            MANCHESTER,
            node("cst", "cso", "Community Security Trust", country="GB", themes=["hate"]),
            YOUTH_VOICES_NATIONAL,
            MOTHERS_TOGETHER,
        ),
        edges=(),
        subjects=("manchester",),
    ),
)
def no_cso_partner(idx: GapIndex) -> Iterator[Finding]:
    """A city with no relationship with any CSO."""
    return _partner_gap(
        idx,
        gap="cso.no_cso_partner",
        kind="cso",
        what="civil-society organisations",
        explain="{city} has no active relationship with any civil-society organisation.",
        advice=(
            "{city} could partner with {names}: CSOs give access to, and build trust with, "
            "communities the city struggles to reach"
        ),
        fallback=(
            "{city} could map the {what} working locally (grassroots ones especially), add them "
            "to the graph and agree a first joint activity with them"
        ),
    )


@gap_type(
    type="cso.no_grassroots_partner",
    reach=Reach(radius=1),
    title="City with no grassroots CSO partner",
    why=(
        "A city works with CSOs but with no grassroots CSO; support 'should go beyond "
        "well-established organisations' to smaller grassroots ones."
    ),
    severity_rule=(
        "low when a planned or proposed link with a grassroots CSO would close it, or "
        "when no grassroots CSO of the city or its country is in the graph; medium "
        "otherwise. Never high: no whole axis is missing."
    ),
    needs=("city", "cso"),
    example=Example(
        nodes=(LONDON, CST, YOUTH_VOICES, MOTHERS_TOGETHER),
        edges=(
            ("london", "FUNDS", "cst"),
            ("mums", "LOCATED_IN", "london"),
        ),
        subjects=("london",),
    ),
)
def no_grassroots_partner(idx: GapIndex) -> Iterator[Finding]:
    """A city that works with CSOs, none of them grassroots."""
    by_country = idx.provider_pools(grassroots_csos).by_country
    for c in idx.wanted_cities():
        if not idx.wants(idx.country(c), c):
            continue
        csos = sorted(
            (b for b in idx.rel.get(c, ()) if idx.kind(b) == "cso"), key=lambda b: (idx.name(b), b)
        )
        if not csos or any(idx.is_grassroots(b) for b in csos):
            continue
        cc = idx.country(c)
        here = idx.by_name(a for a in idx.local_actors.get(c, ()) if idx.is_grassroots(a))
        national = by_country.get(cc, []) if cc else []
        cand = idx.pick([here, national], themes=idx.themes[c])
        planned = [
            link
            for b, ls in idx.rel_planned.get(c, {}).items()
            if idx.is_grassroots(b)
            for link in ls
        ]
        name = idx.name(c)
        if cand:
            suggestion = (
                f"{name} could work with the grassroots CSOs {idx.names(cand)}, perhaps "
                f"introduced by {idx.names(csos)}, keeping enough distance to protect their "
                f"credibility with the communities they serve."
            )
        else:
            where = country_name(cc) if cc else "the city"
            suggestion = (
                f"Ask {idx.names(csos)} to introduce {name} to smaller grassroots "
                f"organisations in {where}, and add them to the graph."
            )
        mitigation = idx.mitigation(planned)
        yield Finding(
            type="cso.no_grassroots_partner",
            severity=grade(candidates=bool(cand), mitigated=mitigation is not None),
            subjects=(c,),
            country=cc,
            explanation=(
                f"{name} works with civil-society organisations ({idx.names(csos)}) "
                f"but with no grassroots one."
            ),
            suggestion=suggestion,
            mitigation=mitigation,
        )


def _funders_of(idx: GapIndex, a: str) -> set[str]:
    """Who funds the CSO itself or an active initiative it runs."""
    found = set(idx.funds_in.get(a, ()))
    for i in idx.runs.get(a, ()):
        found |= idx.funds_in.get(i, set())
    found.discard(a)
    return found


def _planned_funding(idx: GapIndex, a: str) -> list:
    links = list(idx.funds_planned_in.get(a, ()))
    for i in idx.runs.get(a, ()):
        links += idx.funds_planned_in.get(i, ())
    return links


@gap_type(
    type="cso.unsupported_grassroots",
    reach=Reach(radius=2, through=frozenset({"initiative", "city"})),
    title="Unsupported grassroots CSO",
    why=(
        "A grassroots CSO receives neither FUNDS nor SUPPORTS_CAPACITY (funding of an "
        "initiative it runs counts as funding it); governments 'should invest in the "
        "institutional development of these CSOs'."
    ),
    severity_rule=(
        "low when planned or proposed funding or capacity support would close it, or "
        "when the graph holds no funder or capacity provider to suggest; medium otherwise. "
        "Never high: no whole axis is missing."
    ),
    needs=("cso",),
    example=Example(
        nodes=(LONDON, MOTHERS_TOGETHER, IREPORTIT),
        edges=(("london", "FUNDS", "ireportit"),),
        subjects=("mums",),
    ),
)
def unsupported_grassroots(idx: GapIndex) -> Iterator[Finding]:
    """A grassroots CSO that receives neither FUNDS nor SUPPORTS_CAPACITY.

    Funding of an active initiative the CSO RUNS counts as funding the CSO.
    """
    providers = idx.provider_pools(funders_or_capacity_providers)
    for a in idx.wanted_actors("cso"):
        if not idx.is_grassroots(a) or not idx.wants(idx.country(a), a):
            continue
        if _funders_of(idx, a) or idx.capacity_in.get(a):
            continue
        cand = idx.pick(providers.pools(a), themes=idx.themes[a], exclude=[a])
        name = idx.name(a)
        if cand:
            suggestion = (
                f"Ask {idx.names(cand)} to fund {name} or support its capacity (M&E, project "
                f"management, core costs), without tying it so closely to government that it "
                f"loses credibility."
            )
        else:
            where = country_name(idx.country(a)) if idx.country(a) else "its country"
            suggestion = (
                f"Find a funder or capacity-building partner for {name} in {where} (the city, "
                f"a national fund or an international fund) and record it in the graph."
            )
        planned = _planned_funding(idx, a) + list(idx.capacity_planned_in.get(a, ()))
        mitigation = idx.mitigation(planned)
        yield Finding(
            type="cso.unsupported_grassroots",
            severity=grade(candidates=bool(cand), mitigated=mitigation is not None),
            subjects=(a,),
            country=idx.country(a),
            explanation=(
                f"The grassroots CSO {name} receives neither funding (for itself or the "
                f"initiatives it runs) nor capacity support from anyone in the graph."
            ),
            suggestion=suggestion,
            mitigation=mitigation,
        )


@gap_type(
    type="cso.single_government_funder",
    reach=Reach(radius=2, through=frozenset({"initiative", "city"})),
    title="CSO funded by a single government body",
    why=(
        "A CSO's only funder (of itself or of initiatives it runs) is a government body "
        "(city, national body or statutory service): 'too close an association with "
        "local authorities' can undermine its credibility."
    ),
    severity_rule=(
        "low when planned or proposed funding from another funder would close it, or "
        "when the graph holds no other, non-government funder to suggest; medium otherwise. "
        "Never high: no whole axis is missing."
    ),
    needs=("cso",),
    example=Example(
        nodes=(LONDON, YOUTH_VOICES, IREPORTIT),
        edges=(
            ("youth", "RUNS", "ireportit"),
            ("london", "FUNDS", "ireportit"),
        ),
        subjects=("youth",),
    ),
)
def single_government_funder(idx: GapIndex) -> Iterator[Finding]:
    """A CSO whose only funder (of itself or its initiatives) is a government body."""
    others = idx.provider_pools(non_government_funders)
    for a in idx.wanted_actors("cso"):
        if not idx.wants(idx.country(a), a):
            continue
        funders = _funders_of(idx, a)
        if len(funders) != 1:
            continue
        (g,) = funders
        if not idx.is_government_body(g):
            continue
        cand = idx.pick(others.pools(a), themes=idx.themes[a], exclude=[a, g])
        name = idx.name(a)
        alt = (
            idx.names(cand)
            if cand
            else "a foundation, a private-sector partner or an international fund"
        )
        planned = [x for x in _planned_funding(idx, a) if x.source != g]
        mitigation = idx.mitigation(planned)
        yield Finding(
            type="cso.single_government_funder",
            severity=grade(candidates=bool(cand), mitigated=mitigation is not None),
            subjects=(a,),
            country=idx.country(a),
            explanation=(
                f"The only funder of {name} is {idx.name(g)}, a {_kind_words(idx.kind(g))}, "
                f"which risks too close an association with government for its credibility."
            ),
            suggestion=f"Diversify {possessive(name)} funding with {alt}.",
            mitigation=mitigation,
        )


@gap_type(
    type="private.no_private_partner",
    reach=Reach(radius=1),
    title="City with no private-sector partner",
    why=(
        "A city has no relationship with any private-sector actor; the private sector "
        "'remains an untapped resource in local prevention'."
    ),
    severity_rule=(
        "low when a planned or proposed link with a private-sector actor would close it, "
        "or when no private-sector actor of the city or its country is in the graph; "
        "medium otherwise. Never high: no whole axis is missing."
    ),
    needs=("city", "private_sector"),
    example=Example(
        nodes=(
            LONDON,
            node("techco", "private_sector", "Tech Company Ltd", country="GB"),
        ),
        edges=(),
        subjects=("london",),
    ),
)
def no_private_partner(idx: GapIndex) -> Iterator[Finding]:
    """A city with no relationship with any private_sector actor."""
    return _partner_gap(
        idx,
        gap="private.no_private_partner",
        kind="private_sector",
        what="tech and media companies",
        explain="{city} has no active relationship with any private-sector actor.",
        advice=(
            "{city} could explore a public-private partnership with {names}, e.g. a tool for "
            "reporting harmful content or advice on responsible media representation"
        ),
        fallback=(
            "Map the {what} in {country} that could support {city_s} prevention work, framing "
            "the ask around community safety rather than security, and add them to the graph"
        ),
        guidance=PRIVATE_GUIDANCE,
    )
