"""Engine-neutral reads: what the API serves and the pages and the CLI reuse.

One module per question: `actors`, `initiatives`, `relationships`,
`neighbourhood`, `paths` (shortest paths), `stats`, `export` (which part of
the store an export holds), `lookup` (the node a person names by id or exact
name, with a "did you mean"); `nodes` holds what actors and initiatives share,
and `shaping` how stored values become answers. The Cypher they run is in
`graph.queries`.

Every function takes the store and `include_confidential`. With
`include_confidential=False` no relationship marked `confidential` is
returned, counted, traversed (neighbourhoods, paths) or exported — the
filter is in the Cypher itself, not applied afterwards by the caller.

Results are plain JSON-ready dicts and lists (see `graph.read.shaping`).
Lists are paged (`limit`, `offset`) and say their `total`. Nothing here
starts a transaction; every query runs with `read_only=True`.
"""
