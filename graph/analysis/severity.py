"""The one severity rule every gap type applies, and the facts about a city it reads.

A finding's severity says how urgent the gap is, the same way for every type
(docs/gaps.md, "Severity rules"):

* **low** — a planned or proposed link would already close the gap, or the graph
  holds no candidate to close it with (which may be a gap in the data as much as
  in the network);
* **high** — the subject lacks a whole axis of cooperation (a city with neither a
  national nor a city-to-city link; a national framework no local actor takes
  any part in), and a candidate exists;
* **medium** — otherwise: one partner of one kind is missing and the graph holds
  candidates for it.

Each type says in its `severity_rule` what "candidate" and "whole axis" mean for
it; `grade` turns those two facts and the mitigation into the severity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.schema import Severity

if TYPE_CHECKING:
    from graph.analysis.gaps_index import GapIndex

HIGH = Severity.HIGH.value
MEDIUM = Severity.MEDIUM.value
LOW = Severity.LOW.value


def grade(*, candidates: bool, mitigated: bool, whole_axis: bool = False) -> str:
    """The severity of a finding from the shared rule (see the module docstring)."""
    if mitigated or not candidates:
        return LOW
    return HIGH if whole_axis else MEDIUM


def has_national_link(idx: GapIndex, c: str) -> bool:
    """Has city `c` an active relationship with a national body of its country, or an
    active CONTRIBUTES_TO / IMPLEMENTS towards a national framework of its country?
    A city without a country has none (there is no "its country")."""
    cc = idx.country(c)
    if cc is None:
        return False
    if any(idx.kind(b) == "national_body" and idx.country(b) == cc for b in idx.rel.get(c, ())):
        return True
    return any(
        idx.is_national_framework(f) and idx.country(f) == cc
        for f in (*idx.contrib_out.get(c, ()), *idx.impl_out.get(c, ()))
    )


def lacks_both_axes(idx: GapIndex, c: str) -> bool:
    """A city with neither a national (vertical) link nor a city-to-city (horizontal) one."""
    return not idx.has_city_link(c) and not has_national_link(idx, c)
