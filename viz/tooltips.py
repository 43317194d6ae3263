"""The text of node and link tooltips (plain text: vis-network shows it as text, never markup).

A node's hover tooltip names its kind, country, level, themes, its size metric
and the titles of its first gap findings; the details panel a click opens adds
every finding (with its explanation and suggestion while the page has few
enough findings); an aggregated country's tooltip counts its nodes by
kind, its links and its findings by type. The tooltips of ordinary links are
written in the browser (`viz/static/network.js`) from the facts on each edge.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import Any

from graph import schema
from graph.analysis.wording import counted, noun
from viz import style
from viz.aggregate import NO_COUNTRY, CountryGroup, CountryLink
from viz.findings import gap_title
from viz.measure import Metric
from viz.views import country_label

#: How many gap types an aggregated country's tooltip lists before "… and N more".
COUNTRY_GAP_TYPES_SHOWN = 8


def group_label(code: str) -> str:
    """A country group's name: the country's, or "No country" for `NO_COUNTRY`."""
    return country_label(code) if code != NO_COUNTRY else "No country"


def metric_words(size_by: str) -> str:
    """What the size metric measures, in words for notes and legends."""
    return {"degree": "number of links", "betweenness": "betweenness (brokerage)"}[size_by]


#: How a node's tooltip says its degree; `network.js` finds this line to update the count
#: after an expansion adds neighbours.
DEGREE_LINE = "Links in this view: "


def metric_text(metric: Metric, i: Hashable) -> str:
    """A node's size metric, as its tooltip line."""
    v = metric.values.get(i, 0.0)
    if metric.name == "degree":
        return f"{DEGREE_LINE}{v:,.0f}"
    return f"Betweenness: {v:.4f}"


#: How many gap titles a node's hover tooltip names; the details panel has them all.
HOVER_GAPS_SHOWN = 3


def node_title(
    i: Hashable,
    d: Mapping[str, Any],
    metric_line: str,
    found: list[Any],
    *,
    with_text: bool,
    abroad: bool,
) -> tuple[str, str]:
    """The texts of node `i` (properties `d`): (hover, more). The hover tooltip stays small
    (what it is, its metric, the titles of its first findings); the details panel a click
    opens shows both, `more` being every finding with its explanation and suggestion."""
    lines = [str(d.get("name") or i), " · ".join(_node_facts(d)), f"id: {i}"]
    if d.get("themes"):
        lines.append("Themes: " + ", ".join(str(t).replace("_", " ") for t in d["themes"]))
    if d.get("threats"):
        lines.append("Threats: " + ", ".join(str(t).replace("_", " ") for t in d["threats"]))
    lines.append(metric_line)
    if abroad:
        lines.append("Partner abroad (shown because it is linked to this country).")
    more: list[str] = []
    if found:
        shown = HOVER_GAPS_SHOWN
        lines.append(f"{style.GAP_MARK} {counted(len(found), 'gap finding')}:")
        lines += [f"• {gap_title(f.type)}" for f in found[:shown]]
        rest = f"… and {len(found) - shown} more; " if len(found) > shown else ""
        lines.append(f"({rest}click the node for the details)")
        more.append(f"{style.GAP_MARK} Gaps ({len(found)}):")
        for f in found:
            more += _finding_lines(f, with_text=with_text)
    return "\n".join(lines), "\n".join(more)


def _node_facts(d: Mapping[str, Any]) -> list[str]:
    kind = d.get("kind")
    bits = [style.kind_style(kind).label]
    cc = d.get("country")
    bits.append(f"{country_label(cc)} ({cc})" if cc else "no country")
    if d.get("family") == schema.ACTOR and d.get("level"):
        bits.append(f"{d['level']} level")
    if kind == "cso" and d.get("grassroots"):
        bits.append("grassroots")
    if d.get("family") == schema.INITIATIVE and d.get("status"):
        bits.append(str(d["status"]))
    return bits


def _finding_lines(f: Any, *, with_text: bool) -> list[str]:
    head = f"• [{f.severity}] {gap_title(f.type)}"
    if not with_text:
        return [head]
    lines = [f"{head}: {f.explanation}"]
    if f.suggestion:
        lines.append(f"  → {f.suggestion}")
    if f.mitigation:
        lines.append(f"  ({f.mitigation})")
    return lines


def country_title(
    g: CountryGroup,
    *,
    what: str,
    size: float,
    size_by: str,
    found: Counter[str] | None,
    high: int,
) -> str:
    """The tooltip of an aggregated country: its nodes by kind, links inside, size, findings."""
    c = g.code
    lines = [
        group_label(c) + (f" ({c})" if c != NO_COUNTRY else ""),
        f"{g.nodes:,} {what}: "
        + ", ".join(
            f"{k} {style.kind_style(kind).label.lower()}"
            for kind, k in style.kind_order(g.kinds.items())
        ),
        f"Links inside: {sum(g.internal.values()):,}",
        f"Size: {size:,.4g} ({metric_words(size_by)})",
    ]
    if found:
        shown = COUNTRY_GAP_TYPES_SHOWN
        lines.append(f"Gap findings: {sum(found.values()):,} ({high:,} high)")
        lines += [f"• {gap_title(t)}: {k:,}" for t, k in found.most_common(shown)]
        if len(found) > shown:
            lines.append(f"• … and {len(found) - shown} more {noun(len(found) - shown, 'type')}")
    return "\n".join(x for x in lines if x)


def country_link_title(lk: CountryLink) -> str:
    """The tooltip of a link between two aggregated countries: how many, by type."""
    desc = ", ".join(f"{t} {k:,}" for t, k in lk.types.most_common())
    extra = f"\n{lk.planned:,} planned" if lk.planned else ""
    joined = counted(lk.weight, "relationship")
    return f"{group_label(lk.a)} — {group_label(lk.b)}: {joined}\n{desc}{extra}"
