"""Drawn nodes and links as vis-network data: group, colour, shape, size, label, dashes.

Colours and shapes come from `viz.style` (the same table as the legend);
tooltip text from `viz.tooltips`. The dicts returned here are what pyvis
puts in the page's vis DataSets, plus a few short keys `network.js` reads
for filters, details and link tooltips (`kind`, `country`, `gaps`, `more`: the
part of a node's text only the details panel shows, `rel`,
`ax`, `cb`, `cs`, `st`, `conf`, `ini`, `rels`, `weight`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import networkx as nx

from graph import schema
from viz import style
from viz.aggregate import CountryLink, group_of
from viz.tooltips import country_link_title, node_title

#: Longest node label drawn; longer names are cut with "…" (the tooltip has the name).
LABEL_MAX = 32
#: A longer label is drawn on two lines, broken at the space nearest its middle: half as
#: wide, it collides with fewer neighbours, so more labels show at the fitted zoom.
LABEL_LINE = 18


def wrap_label(text: str) -> str:
    """`text` on two lines when longer than `LABEL_LINE` and it has a space to break at."""
    if len(text) <= LABEL_LINE or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1 :]


def group_name(kind: str | None, *, gap: bool = False, abroad: bool = False) -> str:
    """The vis-network group of a node: its kind, plus `.abroad` / `.gap` variants."""
    return (
        str(kind if kind in style.KIND_STYLES else "unknown")
        + (".abroad" if abroad else "")
        + (".gap" if gap else "")
    )


def vis_groups() -> dict[str, Any]:
    """Colour, shape and border of every group: the same table the legend is drawn from."""
    groups: dict[str, Any] = {}
    for kind, st in [*style.KIND_STYLES.items(), ("unknown", style.UNKNOWN_KIND)]:
        for abroad in (False, True):
            for gap in (False, True):
                bg = style.lighter(st.colour, style.ABROAD_OPACITY) if abroad else st.colour
                border = style.GAP_COLOUR if gap else style.darker(st.colour)
                groups[group_name(kind, gap=gap, abroad=abroad)] = {
                    "shape": st.shape,
                    "borderWidth": 3 if gap else 1,
                    "color": _colours(bg, border),
                    **({"font": {"color": "#777777"}} if abroad else {}),
                }
    return groups


def _colours(fill: str, border: str) -> dict[str, Any]:
    """A vis-network node colour: `fill` and `border`, black border when hovered or selected."""
    return {
        "background": fill,
        "border": border,
        "highlight": {"background": fill, "border": "#000000"},
        "hover": {"background": fill, "border": "#000000"},
    }


def vis_node(
    i: Hashable,
    d: Mapping[str, Any],
    *,
    size: float,
    pos: tuple[float, float] | None,
    metric_line: str,
    found: list[Any],
    with_text: bool,
    abroad: bool,
    focus: bool,
) -> dict[str, Any]:
    """Node `i` (properties `d`) with its findings `found`; `focus` for an actor view's actor."""
    kind = d.get("kind")
    name = str(d.get("name") or i)
    label = name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…"
    if found:
        label += f" {style.GAP_MARK}"
    title, more = node_title(i, d, metric_line, found, with_text=with_text, abroad=abroad)
    node: dict[str, Any] = {
        "id": str(i),
        "label": label,
        "title": title,
        "group": group_name(kind, gap=bool(found), abroad=abroad),
        "size": round(size * (1.25 if focus else 1.0), 1),
        "kind": str(kind or "unknown"),
        "country": group_of(d),
        "name": name,
    }
    if found:
        node["gaps"] = len(found)
    if more:
        node["more"] = more
    if d.get("family") == schema.INITIATIVE and d.get("status") not in (None, "active"):
        node["shapeProperties"] = {"borderDashes": style.INACTIVE_BORDER_DASHES}
        node["label"] = f"{label} ({d['status']})"
    if abroad:
        node["abroad"] = True
    if focus:
        node["font"] = {"size": 18, "bold": True}
        node["borderWidth"] = 4
        node["color"] = _colours(style.kind_style(kind).colour, style.FOCUS_COLOUR)
    node["label"] = wrap_label(node["label"])
    if pos is not None:
        node["x"], node["y"] = pos
    return node


def vis_edges(H: nx.MultiDiGraph, *, curved: bool) -> tuple[list[dict], Counter[str], int]:
    """Edges with their style and the facts their tooltip is written from (in network.js),
    with the count of each type and of confidential edges. `curved` bends parallel links
    apart (small views only)."""
    edges = []
    types: Counter[str] = Counter()
    pair_seen: Counter[tuple[str, str]] = Counter()
    for idx, (u, v, k, d) in enumerate(H.edges(keys=True, data=True)):
        e = _vis_edge(f"e{idx}", u, v, str(d.get("type") or k), d)
        types[e["rel"]] += 1
        if curved:
            key = (str(u), str(v)) if str(u) < str(v) else (str(v), str(u))
            nth = pair_seen[key]
            pair_seen[key] += 1
            if nth:
                e["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.18 * nth}
        edges.append(e)
    return edges, types, sum(1 for e in edges if e.get("conf"))


def _vis_edge(eid: str, u: Hashable, v: Hashable, t: str, d: Mapping[str, Any]) -> dict[str, Any]:
    status = d.get("status") or "active"
    look = style.edge_look(
        d.get("axis"),
        status=status,
        cross_border=bool(d.get("cross_border")),
        confidential=bool(d.get("confidential")),
    )
    e: dict[str, Any] = {"id": eid, "from": str(u), "to": str(v), "rel": t}
    e["color"] = look.colour
    if look.axis == "initiative":
        e["width"] = look.width
    else:
        e["ax"] = look.axis
    if look.dashes:
        e["dashes"] = look.dashes
        e["cb"] = 1
    if d.get("cross_sector"):
        e["cs"] = 1
    if not d.get("symmetric") and t != style.SHARED_INITIATIVE:
        e["arrows"] = "to"
    if status != "active":
        e["st"] = status
    if d.get("confidential"):
        e["conf"] = 1
    for key in ("since", "note"):
        if d.get(key):
            e[key] = str(d[key])
    if d.get("initiatives"):
        e["ini"] = list(d["initiatives"])
    return e


def country_node(
    code: str,
    name: str,
    nodes: int,
    *,
    title: str,
    size: float,
    gaps: int,
    pos: tuple[float, float] | None,
) -> dict[str, Any]:
    """The node of an aggregated view that stands for country `code` (`nodes` of its nodes)."""
    node: dict[str, Any] = {
        "id": f"country:{code}",
        "label": f"{name} ({nodes:,})",
        "title": title,
        "group": group_name(style.COUNTRY_KIND.kind, gap=bool(gaps)),
        "size": round(size, 1),
        "kind": style.COUNTRY_KIND.kind,
        "country": code,
        "name": name,
        "gaps": gaps,
    }
    if pos is not None:
        node["x"], node["y"] = pos
    return node


def country_edges(links: Sequence[CountryLink]) -> list[dict[str, Any]]:
    """The links between aggregated countries, as wide as the square root of their weight."""
    colour = style.AXIS_STYLES["aggregate"].colour
    top_w = max((lk.weight for lk in links), default=1)
    return [
        {
            "id": f"e{idx}",
            "from": f"country:{lk.a}",
            "to": f"country:{lk.b}",
            "title": country_link_title(lk),
            "width": round(1 + 7 * (lk.weight / top_w) ** 0.5, 2),
            "color": style.rgba(colour, 0.55),
            "rels": sorted(lk.types),
            "weight": lk.weight,
        }
        for idx, lk in enumerate(links)
    ]
