"""The report's "Since revision N (date)" section: the three lists and the chart of
findings per revision (viz.since), drawn from hand-made revisions."""

from __future__ import annotations

import re

from graph.analysis.gaps import find_gaps
from graph.history.compare import compare_findings
from graph.history.service import RevisionFindings, spread
from graph.history.state import graph_as_of
from tests.support.history import ROUNDS, graph_of, replay
from viz.report import render_report
from viz.since import SinceSection


def _section() -> tuple[SinceSection, object]:
    maps, revs = replay(ROUNDS)
    now = graph_of(maps[-1])
    per = [RevisionFindings(r, {"high": 0, "medium": 0, "low": 0}) for r in revs[2:]]
    for row in per:
        for f in find_gaps(graph_as_of(now, [r for r in revs if r.id > row.revision.id])):
            row.by_severity[f.severity] += 1
    then = find_gaps(graph_of(maps[3]))
    changes = compare_findings(then, find_gaps(now))
    return SinceSection(3, revs[2].time, changes, per), now


def test_the_report_says_what_closed_what_is_new_and_what_persists() -> None:
    section, G = _section()
    html = render_report(G, since=section).html
    assert "Since revision 3 (2026-12-01)" in html
    since = html[html.index('<section class="report-section" id="since">') :]
    since = since[: since.index("</section>")]
    assert re.search(r'since-closed"><span class="big">3</span> closed', since)
    assert re.search(r'since-new"><span class="big">1</span> new', since)
    assert re.search(r'since-persisting"><span class="big">1</span> persisting', since)
    closed = since[since.index('id="since-closed"') : since.index('id="since-new"')]
    assert "HULL" in closed and "LEEDS" in closed  # subjects by name
    assert 'aria-label="Findings per revision"' in since
    # one bar per revision 3..5, each with its number of findings then
    assert re.findall(r'class="chart-label">Revision (\d)', since) == ["3", "4", "5"]
    assert re.findall(r'class="chart-value">(\d+)</text>', since) == ["4", "2", "2"]


def test_the_report_has_no_since_section_unless_asked() -> None:
    _, G = _section()
    assert 'id="since"' not in render_report(G).html


def test_the_chart_spreads_many_revisions_keeping_both_ends() -> None:
    assert spread(0, 5, 12) == [0, 1, 2, 3, 4, 5]
    picked = spread(3, 103, 12)
    assert len(picked) == 12 and picked[0] == 3 and picked[-1] == 103
