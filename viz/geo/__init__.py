"""The network on a map: country outlines, a projection, where each node goes, coverage.

Small modules, one job each:

* `viz.geo.shapes` — the Natural Earth country outlines shipped in `viz/static/geo/`
  (public domain; converted once by `make geo-assets`), read once;
* `viz.geo.projection` — the Natural Earth projection (longitude / latitude to map
  units) and bounding boxes;
* `viz.geo.centroids` — each country's centroid, from its outline;
* `viz.geo.placement` — where each node of the graph goes, and why (its coordinates,
  its city's, its country's centroid, or nowhere);
* `viz.geo.positions` — placements projected, nodes sharing a point spread around it,
  the nodes with no place in a panel under the map;
* `viz.geo.measures` — the coverage measures a map shades countries by (from
  `graph.analysis.coverage`), their colour classes and legend;
* `viz.geo.mapview` — the payload of the `map` view for the WebGL page;
* `viz.geo.figure` — the report's static SVG map of coverage and gaps.

No tiles and no network: everything a map needs is in the package.
"""
