"""WebGL pages: tens of thousands of nodes and links drawn whole, as one offline file.

`webgl_page(payload, ...)` turns a JSON-able *payload* into a self-contained
HTML page drawn by sigma.js on graphology (vendored in `viz/static/vendor`,
inlined into the page; see its README), with pan and zoom, a search box, a
details panel, filters by kind and link type, a legend, gap markers for the
findings the user picks, and (optionally) a background layer of polygons such
as country outlines. `viz.webgl_view.view_payload` builds the payload of a
view of the graph: a view registered with `renderer="webgl"` (`viz.views`)
is drawn through it, with its own node positions, background layer and notes
when its builder sets `ViewGraph.positions` (same units as the background,
y upwards), `.background` (the payload's "background" below) and `.notes` —
the hook a map view uses; without positions the force layout places the nodes.

The payload (every key is required unless marked optional; it is built for
pages of 20,000 nodes and 25,000 links, so what many records share is said once)::

    {
      "nodes": [{
          "id": "se-malmo", "label": "Malmö",
          "x": 12.3, "y": -4.5,          # any units; x to the right, y upwards (north)
          "size": 6.0,                   # radius in pixels at the first zoom level
          "colour": "#1f77b4",
          "importance": 0.82,            # 0..1: among overlapping labels, the larger node wins
          "kind": "city",                # a key of legend.kinds (the kind filter)
          "country": "SE",               # optional: a key of "countries"
          "details": [["Placed", "at its country's capital"]],  # optional, for the panel
          "gaps": [["isolated_city", "high"]],  # optional: (gap type, severity) pairs
          "faded": true                  # optional: drawn pale (e.g. a partner abroad)
      }],
      "edges": [{
          "source": "se-malmo", "target": "dk-aarhus",
          "type": "TWINNED_WITH",        # a key of legend.types (the type filter)
          "look": 0,                     # index into legend.links: its colour
          "details": [["Since", "1990"]]  # optional, for the panel's list of links
      }],
      "legend": {
          "kinds": [{"kind": "city", "label": "City", "colour": "#1f77b4", "count": 2}],
          "types": [{"type": "TWINNED_WITH", "meaning": "...", "count": 1}],
          "links": [{"label": "Horizontal ..., cross-border (darker)",
                     "colour": "rgba(28,65,108,0.85)",  # viz.style.edge_look, webgl_colour
                     "faintColour": "rgba(28,65,108,0.255)",  # optional: dense maps
                     "crossBorder": true, "confidential": false}]
      },
      "countries": {"SE": "Sweden"},     # names of the nodes' countries, for the panel
      "gapTypes": {"isolated_city": "Isolated city"},  # titles of the gap types present
      "background": {                    # optional: drawn under the network
          "title": "Share of cities with a national link",
          "polygons": [{
              "id": "SE", "name": "Sweden",
              "rings": [[[x, y], [x, y], ...], ...],  # same units as the nodes; even-odd
              "fill": "#c6dbef", "stroke": "#8a8a8a",
              "fills": {"national": "#c6dbef"},  # optional: its fill under each measure
              "details": [["Cities", "42"]],           # optional: shown on click
              "open": false                  # optional: not a country to open on double-click
          }],
          "legend": [{"label": "0–25%", "colour": "#eff3ff"}],
          "measure": "national",         # optional, with "measures": the page's select
          "measures": [{"name": "national", "title": "...", "label": "national link"}],
          "focus": [x0, y0, x1, y1]      # optional: the box the page opens on
      }
    }

The details panel of a node shows its kind (legend label), country (name),
id, number of links, its `details`, its gap findings (titles from
`gapTypes`) and its links (type, direction, the other node, the look's
cross-border / confidential flags and the link's `details`). A link between
nodes not in the payload, or a look that is not in the legend, is refused
(ValueError), so a drawn count always equals the data. Every page carries
`viz.offline.CSP`, and `webgl_page` refuses to return a page that would load
anything remote (`viz.offline.external_refs`).

`WebglFrame.extra["links"]` (`viz.webgl_view.link_rule`; the map view sets it, other
views draw plain lines at full colour) says how links are drawn: `arcs` "always"
(sigma's `EdgeCurveProgram`, in the vendored build) or "never" (plain lines), and
`faint`: each link in its look's `faintColour` until the camera's ratio is at most
`closeRatio`. With `background.measures`, a select beside the legend switches the
polygons to `fills[measure]` without a reload. The outlines are drawn from one
`Path2D` per polygon, built once in graph units and transformed.

While the camera moves (`viz/static/webgl_motion.js`), a page of at least 2,000
lines (an arc counts ten) moves its links' last crisp picture, and its nodes' while
the camera only pans; the country layer is drawn from cached bitmaps; sigma's
picking pass waits; everything is drawn crisp `extra["restMs"]` (default 160 ms)
after the camera stops. See-through link colours reach WebGL premultiplied by
their alpha, as sigma blends them. Nodes are found under the mouse over their whole
dot and at least 10 pixels across, the nearest centre where they overlap
(`viz/static/webgl_pick.js`), so a real click selects even a small city.

In the page, for tests and the benchmark: `document.body.dataset` has
`drawn` ("true" after the first complete frame), `nodeCount`, `edgeCount`,
`visibleNodes`, `view`, `renderer` ("webgl"), `arcs` and `faintLinks` ("true"/"false"),
`measure` (a map's shading), `moving` ("true" while the camera moves, until it
rests), `linksAsPicture` ("true" when links move as their picture), `selected` and
`hovered` (the selected node and the node under the mouse, "" when none); the globals
`nodes` and `edges` are the payload's lists, `graph` the graphology graph,
`renderer` the Sigma instance, `selectNode(id)` selects and centres a node,
`scnSettle()` ends a motion now, and `drawTimings` says when each part of the
first draw ended (ms since navigation: `html`, `payload`, `graph`, `renderer`,
`layer`, `script`, `frame`, `drawn`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from viz import style
from viz.offline import CSP, external_refs, json_for_script
from viz.templates import environment, static_text

#: The vendored renderer, inlined in this order (graphology first: sigma draws its graphs).
VENDOR_SCRIPTS = ("vendor/graphology.umd.min.js", "vendor/sigma.min.js")
#: The page's own scripts, inlined after the renderer in this order: the node points a
#: click finds (`scnPickablePoints`), the frames while the camera moves (`scnMotion`),
#: then the page.
PAGE_SCRIPTS = ("webgl_pick.js", "webgl_motion.js", "webgl.js")
#: What every node and every link of a payload must have.
NODE_KEYS = ("id", "label", "x", "y", "size", "colour", "importance", "kind")
EDGE_KEYS = ("source", "target", "type", "look")
#: Severities offered by the gap-marker select, most severe first.
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class WebglFrame:
    """What the page says around the drawing, and where a double-click goes."""

    title: str
    view: str
    description: str = ""
    notes: Sequence[str] = ()
    credits: Sequence[str] = ()
    #: e.g. "/viz/actors/{id}": a double-click opens the node's neighbourhood page
    #: (served pages only; None on files).
    actor_url: str | None = None
    #: e.g. "/viz/countries/{code}": a double-click on a background polygon opens it.
    country_url: str | None = None
    size_note: str = ""
    confidential: int = 0  # confidential links on the page (the legend says so)
    extra: Mapping[str, Any] = field(default_factory=dict)  # more settings for webgl.js


def check_payload(payload: Mapping[str, Any]) -> None:
    """Refuse a payload that would draw something other than its data."""
    ids: set[str] = set()
    for n in payload["nodes"]:
        missing = [k for k in NODE_KEYS if k not in n]
        if missing:
            raise ValueError(f"node {n.get('id')!r} lacks {', '.join(missing)}")
        if n["id"] in ids:
            raise ValueError(f"node {n['id']!r} is given twice")
        ids.add(n["id"])
    looks = len(payload["legend"]["links"])
    for e in payload["edges"]:
        missing = [k for k in EDGE_KEYS if k not in e]
        if missing:
            raise ValueError(f"link {e.get('source')}->{e.get('target')} lacks {missing}")
        for end in (e["source"], e["target"]):
            if end not in ids:
                raise ValueError(f"link {e['source']}->{e['target']}: no node {end!r}")
        if not (isinstance(e["look"], int) and 0 <= e["look"] < looks):
            raise ValueError(f"link {e['source']}->{e['target']}: no look {e['look']!r}")


def webgl_page(payload: Mapping[str, Any], frame: WebglFrame) -> str:
    """The whole page for `payload` (see the module docstring), checked to load nothing
    remote."""
    check_payload(payload)
    nodes, edges = payload["nodes"], payload["edges"]
    legend = payload["legend"]
    settings = {
        "view": frame.view,
        "actorUrl": frame.actor_url,
        "countryUrl": frame.country_url,
        "gapColour": style.GAP_COLOUR,
        "focusColour": style.FOCUS_COLOUR,
        "severities": list(SEVERITIES),
        **frame.extra,
    }
    html = (
        environment()
        .get_template("webgl.html.j2")
        .render(
            csp=CSP,
            title=frame.title,
            view=frame.view,
            description=frame.description,
            notes=list(frame.notes),
            credits=list(frame.credits),
            size_note=frame.size_note,
            confidential=frame.confidential,
            node_count=len(nodes),
            edge_count=len(edges),
            kinds=legend.get("kinds", []),
            types=legend.get("types", []),
            links=legend.get("links", []),
            background=payload.get("background"),
            gap_types=sorted((payload.get("gapTypes") or {}).items(), key=lambda kv: kv[1]),
            severities=SEVERITIES,
            gap_colour=style.GAP_COLOUR,
            css=static_text("page.css") + static_text("webgl.css"),
            vendor=[static_text(name) for name in VENDOR_SCRIPTS],
            js="\n".join(static_text(name) for name in PAGE_SCRIPTS),
            payload_json=json_for_script(
                json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            ),
            settings_json=json_for_script(json.dumps(settings, ensure_ascii=False)),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            served=bool(frame.actor_url or frame.country_url),
        )
    )
    bad = external_refs(html)
    if bad:  # a bug, never a user error: refuse to hand out a page that goes online
        raise RuntimeError(f"page would load remote resources: {bad[:5]}")
    return html
