"""pyvis emits the vis-network library and the drawing script, with our options.

The nodes and links are already encoded (`viz.encode`) and placed
(`viz.layout`); pyvis is only asked to inline vis-network and write the
script that builds the DataSets, which `viz.offline.pyvis_parts` then takes
apart for our own page template.
"""

from __future__ import annotations

from typing import Any

from viz import layout
from viz.encode import vis_groups
from viz.offline import PyvisParts, pyvis_parts

#: Node labels: font size and face (canvas pixels at zoom 1), the white halo around them.
LABEL_SIZE = 13
LABEL_FACE = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
LABEL_STROKE = 3
#: A label's text stops growing at this many screen pixels when zooming in, so labels that
#: overlap at the fitted zoom come apart as one zooms in (network.js hides each label
#: until the zoom at which it overlaps nothing more important).
LABEL_MAX_VISIBLE = 15
#: Labels smaller than this on screen are not drawn.
LABEL_MIN_PX = 6
#: Above this many shown nodes the page does not place labels, and vis-network draws
#: every label big enough on screen: placing takes about 0.1 s for 300 nodes but over a
#: second for 1,000 on a loaded 2-core machine, and such a view shows no label at the
#: fitted zoom anyway.
LABEL_PLACING_MAX_NODES = 500


def label_settings() -> dict[str, Any]:
    """What `network.js` needs to place labels: the same numbers vis-network draws with."""
    return {
        "size": LABEL_SIZE,
        "face": LABEL_FACE,
        "stroke": LABEL_STROKE,
        "maxVisible": LABEL_MAX_VISIBLE,
        "minPx": LABEL_MIN_PX,
        "maxNodes": LABEL_PLACING_MAX_NODES,
    }


def vis_options(large_graph: bool) -> dict[str, Any]:
    """vis-network's options; `large_graph` (physics never on) trades looks for speed."""
    return {
        "autoResize": True,
        "nodes": {
            "font": {
                "size": LABEL_SIZE,
                "face": LABEL_FACE,
                "strokeWidth": LABEL_STROKE,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": LABEL_MIN_PX, "maxVisible": LABEL_MAX_VISIBLE}},
        },
        "edges": {
            "width": 1.8,
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
            "smooth": False if large_graph else {"enabled": True, "type": "continuous"},
            "selectionWidth": 2,
            "hoverWidth": 0.6,
        },
        "physics": {
            "enabled": False,  # turned on briefly by network.js for small views
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 110,
                "springConstant": 0.06,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"enabled": False},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "multiselect": True,
            "hideEdgesOnDrag": large_graph,
            "hideEdgesOnZoom": large_graph,
        },
        "layout": {"improvedLayout": False, "randomSeed": layout.SEED},
        "groups": vis_groups(),
    }


def emit(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *, large_graph: bool
) -> PyvisParts:
    """The inline vis-network assets and drawing script for these nodes and edges."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    # Assigning the lists directly: add_node/add_edge check duplicates in O(n) each.
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.options = vis_options(large_graph)
    return pyvis_parts(net.generate_html(notebook=False))
