"""Node metrics that size the nodes (and choose the top-N when a view is capped).

Both are computed on the drawn view, read as a simple undirected graph (two
nodes are neighbours when any shown relationship joins them):

* ``degree`` — how many distinct neighbours a node has in the view (for an
  aggregated country node: how many links its actors have).
* ``betweenness`` — normalised betweenness centrality, computed by igraph
  (C). Exact up to `EXACT_BETWEENNESS_MAX_NODES` nodes; above, estimated
  from `BETWEENNESS_SAMPLE` source nodes chosen with a fixed seed and scaled
  up, so the same data always gives the same picture. The page says which.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

SIZE_METRICS = ("degree", "betweenness")
EXACT_BETWEENNESS_MAX_NODES = 5000
BETWEENNESS_SAMPLE = 300
SEED = 42


@dataclass
class SimpleGraph:
    """An undirected simple graph on integer vertices, with the original ids."""

    ids: list[Hashable]
    edges: list[tuple[int, int]]
    weights: list[float] | None = None

    @classmethod
    def from_pairs(
        cls,
        ids: Iterable[Hashable],
        pairs: Iterable[tuple[Hashable, Hashable]],
        weights: Iterable[float] | None = None,
    ) -> SimpleGraph:
        ids = list(ids)
        index = {n: i for i, n in enumerate(ids)}
        seen: dict[tuple[int, int], float] = {}
        ws = list(weights) if weights is not None else None
        for pos, (u, v) in enumerate(pairs):
            i, j = index.get(u), index.get(v)
            if i is None or j is None or i == j:
                continue
            key = (i, j) if i < j else (j, i)
            w = ws[pos] if ws is not None else 1.0
            seen[key] = seen.get(key, 0.0) + w
        return cls(ids, list(seen), list(seen.values()) if ws is not None else None)

    def degree(self) -> list[float]:
        deg = [0.0] * len(self.ids)
        for pos, (i, j) in enumerate(self.edges):
            w = self.weights[pos] if self.weights is not None else 1.0
            deg[i] += w
            deg[j] += w
        return deg

    def to_igraph(self):  # type: ignore[no-untyped-def]
        import igraph as ig

        return ig.Graph(n=len(self.ids), edges=self.edges, directed=False)


@dataclass
class Metric:
    name: str
    values: dict[Hashable, float]
    method: str  # a phrase for the page, e.g. "exact" or "estimated from 300 sampled nodes"


def compute(sg: SimpleGraph, by: str) -> Metric:
    if by not in SIZE_METRICS:
        raise ValueError(f"size metric must be one of {', '.join(SIZE_METRICS)}, not {by!r}")
    n = len(sg.ids)
    if by == "degree":
        deg = sg.degree()
        method = "links" if sg.weights is not None else "distinct neighbours"
        return Metric("degree", dict(zip(sg.ids, deg, strict=True)), method)
    if n < 3 or not sg.edges:
        return Metric("betweenness", dict.fromkeys(sg.ids, 0.0), "exact")
    g = sg.to_igraph()
    norm = (n - 1) * (n - 2) / 2
    if n <= EXACT_BETWEENNESS_MAX_NODES:
        raw = g.betweenness(directed=False)
        method = "exact"
    else:
        k = min(BETWEENNESS_SAMPLE, n)
        sources = sorted(random.Random(SEED).sample(range(n), k))
        raw = [b * n / k for b in g.betweenness(directed=False, sources=sources)]
        method = f"estimated from {k} sampled source nodes (seed {SEED})"
    return Metric("betweenness", {sg.ids[i]: raw[i] / norm for i in range(n)}, method)


def scale_sizes(values: dict[Hashable, float], lo: float, hi: float) -> dict[Hashable, float]:
    """Map metric values to node sizes by square root (area follows the metric)."""
    if not values:
        return {}
    top = max(values.values())
    if top <= 0:
        return dict.fromkeys(values, lo)
    return {n: lo + (hi - lo) * (max(v, 0.0) / top) ** 0.5 for n, v in values.items()}
