"""The report's "Since revision N (date)" section: the gaps closed, new and persisting
since a past revision, and a chart of the findings as of each revision since.

`viz.service.report_page` gathers the data (`graph.history.service`) into a
`SinceSection`; `viz.report.render_report` turns it into the template's context,
its rows made the way the findings table makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from graph.analysis.findings import Finding
from graph.history.compare import GROUPS, GapChanges
from graph.history.service import RevisionFindings
from viz import charts

#: Each list shows at most this many findings (the page says how many there are).
MAX_SINCE_ROWS = 500
#: What each list is called on the page.
GROUP_TITLES = {"closed": "Closed", "new": "New", "persisting": "Persisting"}


@dataclass(frozen=True)
class SinceSection:
    """What the section shows: since revision `revision` (made at `time`, "" for 0)."""

    revision: int
    time: str
    changes: GapChanges
    per_revision: list[RevisionFindings]


def _label(r: RevisionFindings) -> str:
    day = r.revision.time[:10]
    return f"Revision {r.revision.id}" + (f" ({day})" if day else " (start)")


def findings_chart(per_revision: list[RevisionFindings]) -> Markup:
    """One bar per revision: how many findings the graph had then (by severity in the tip)."""
    bars = [
        charts.Bar(
            _label(r),
            r.total,
            "#5b84b1",
            ", ".join(f"{k} {sev}" for sev, k in r.by_severity.items()),
        )
        for r in per_revision
    ]
    return charts.bar_chart(bars, title="Findings per revision", label_width=200)


def section_context(
    section: SinceSection, row_of: Callable[[Finding], dict[str, Any]]
) -> dict[str, Any]:
    """The template's `since`: title, chart, and for each group its count and rows."""
    day = section.time[:10]
    title = f"Since revision {section.revision}" + (f" ({day})" if day else " (the start)")
    groups = []
    for g in GROUPS:
        found = getattr(section.changes, g)
        groups.append(
            {
                "key": g,
                "title": GROUP_TITLES[g],
                "total": len(found),
                "rows": [row_of(f) for f in found[:MAX_SINCE_ROWS]],
            }
        )
    return {
        "revision": section.revision,
        "title": title,
        "chart": findings_chart(section.per_revision),
        "groups": groups,
    }
