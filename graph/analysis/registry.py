"""The gap-type registry: each detector registers itself, once, where it is written.

A detector module (one family of gap types per module, listed in
`DETECTOR_MODULES` in catalogue order) decorates each detector with
`@gap_type(...)`, giving its type string, title, why it matters, its severity
rule, the kinds it needs and its worked example. `catalogue()` imports the
modules and returns the registered types in catalogue order (module order,
then order of definition), which is the order of the design brief's table and
of `docs/gaps.md`. `reach` says how far a write can change the type's findings
(`graph.analysis.reach`, for incremental analysis). Adding a gap type to a family
touches that family's module only; a new family is a new module named in
`DETECTOR_MODULES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.analysis.reach import WHOLE, Reach

if TYPE_CHECKING:
    from graph.analysis.findings import Finding
    from graph.analysis.gaps_index import GapIndex

#: The detector modules of `graph.analysis`, in catalogue order.
DETECTOR_MODULES = ("gaps_vertical", "gaps_horizontal", "gaps_cso", "gaps_me", "gaps_local")

Detector = Callable[["GapIndex"], Iterable["Finding"]]


@dataclass(frozen=True)
class Example:
    """A small hand-built graph on which the type fires, and the subjects of the
    finding `docs/gaps.md` shows for it.

    `nodes` are property maps as `graph.projection.build_graph` takes them;
    `edges` are (source, type, target) or (source, type, target, status).
    """

    nodes: tuple[Mapping[str, Any], ...]
    edges: tuple[tuple[str, ...], ...]
    subjects: tuple[str, ...]

    def edge_maps(self) -> list[dict[str, str]]:
        """The edges as `build_graph` takes them (status active unless given)."""
        return [
            {
                "source": e[0],
                "type": e[1],
                "target": e[2],
                "status": e[3] if len(e) > 3 else "active",
            }
            for e in self.edges
        ]


#: A requirement of `needs`: one kind, or a tuple of kinds of which any will do.
Need = str | tuple[str, ...]

#: Requirements that are not a node kind: a framework with level national (or a country).
PSEUDO_KINDS = ("national_framework",)


def need_kinds(need: Need) -> tuple[str, ...]:
    """The kinds of which one satisfies a requirement."""
    return (need,) if isinstance(need, str) else tuple(need)


def _check_needs(type: str, needs: Iterable[Need]) -> tuple[Need, ...]:
    from graph import schema

    known = set(schema.KIND_NAMES) | set(PSEUDO_KINDS)
    out = tuple(needs)
    for need in out:
        for kind in need_kinds(need):
            if kind not in known:
                raise ValueError(f"gap type {type!r} needs unknown kind {kind!r}")
    return out


@dataclass(frozen=True)
class GapType:
    """Documentation of one gap type, shown by the API and the report.

    `needs` lists what the whole graph must hold for the type to be assessed:
    each requirement a node kind (or "national_framework"), or a tuple of them
    of which any will do. A graph that lacks one gets no finding of the type
    and is told it was not assessed (`graph.analysis.applicability`).
    """

    type: str
    title: str
    why: str
    severity_rule: str
    needs: tuple[Need, ...] = ()
    example: Example | None = field(default=None, compare=False, repr=False)
    #: The subjects are country codes, not nodes (a finding about two countries).
    country_subjects: bool = field(default=False, compare=False, repr=False)
    #: What a finding depends on, so a write recomputes only the findings it can change
    #: (`graph.analysis.reach`); undeclared, every write recomputes the type.
    reach: Reach = field(default=WHOLE, compare=False, repr=False)


@dataclass(frozen=True)
class Registered:
    gap: GapType
    detect: Detector
    module: str
    position: int


_REGISTERED: dict[str, Registered] = {}


def gap_type(
    *,
    type: str,
    title: str,
    why: str,
    severity_rule: str,
    needs: tuple[Need, ...],
    example: Example,
    country_subjects: bool = False,
    reach: Reach = WHOLE,
) -> Callable[[Detector], Detector]:
    """Register the decorated function as the detector of gap type `type`."""

    def register(detect: Detector) -> Detector:
        if type in _REGISTERED:
            raise ValueError(f"gap type {type!r} is registered twice")
        gap = GapType(
            type,
            title,
            why,
            severity_rule,
            _check_needs(type, needs),
            example,
            country_subjects,
            reach,
        )
        module = detect.__module__.rsplit(".", 1)[-1]
        _REGISTERED[type] = Registered(gap, detect, module, len(_REGISTERED))
        return detect

    return register


def catalogue() -> list[Registered]:
    """Every registered gap type, in catalogue order (imports the detector modules)."""
    for name in DETECTOR_MODULES:
        importlib.import_module(f"graph.analysis.{name}")
    order = {m: n for n, m in enumerate(DETECTOR_MODULES)}
    return sorted(_REGISTERED.values(), key=lambda r: (order.get(r.module, len(order)), r.position))


def node(id: str, kind: str, name: str, **props: Any) -> dict[str, Any]:
    """A node of an example graph: its id, kind, name and other properties."""
    return {"id": id, "kind": kind, "name": name, **props}
