"""Which gaps closed, which are new and which persist between two sets of findings.

A finding is the same gap in both when its type and subjects are the same (its
wording, severity or suggestion may have changed: it persists, as it reads now).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.analysis.findings import Finding

#: The JSON keys of `gaps --since`, in this order.
GROUPS = ("closed", "new", "persisting")


def finding_key(f: Finding) -> tuple[str, tuple[str, ...]]:
    """What makes two findings the same gap: its type and its subjects."""
    return (f.type, tuple(f.subjects))


@dataclass(frozen=True)
class GapChanges:
    """`closed`: findings then, not now (as they read then); `new`: now, not then;
    `persisting`: in both (as they read now). Each in the order its list had."""

    closed: tuple[Finding, ...]
    new: tuple[Finding, ...]
    persisting: tuple[Finding, ...]

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {g: [f.to_dict() for f in getattr(self, g)] for g in GROUPS}


def compare_findings(then: Iterable[Finding], now: Iterable[Finding]) -> GapChanges:
    """The gaps closed, new and persisting from `then` to `now`."""
    then, now = list(then), list(now)
    before = {finding_key(f) for f in then}
    after = {finding_key(f) for f in now}
    return GapChanges(
        closed=tuple(f for f in then if finding_key(f) not in after),
        new=tuple(f for f in now if finding_key(f) not in before),
        persisting=tuple(f for f in now if finding_key(f) in before),
    )
