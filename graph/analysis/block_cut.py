"""The block–cut tree: which cities a single actor or link holds on to.

Removing an articulation point splits its component into the pieces hanging
off it in the block–cut tree; removing a bridge (a two-actor block) splits it
in two. `BlockCutTree` is built once from the biconnected components and
answers, for every cut, how many cities and actors each piece holds, in O(1)
per piece from subtree sums: no vertex is removed and nothing recomputed, so
all cuts together cost linear time. The piece with the most actors (ties:
the one with more cities) is "the rest"; the cities in the other pieces are
*cut off*. `graph.analysis.cut_points` turns the cuts into the report.

Example: the path a – b – c (all cities). Its blocks are {a, b} and {b, c};
b is the one articulation point and cuts off one city (either end: both
pieces are the same size, so the first kept piece is "the rest").

>>> tree = BlockCutTree(3, [[0, 1], [1, 2]], [True, True, True])
>>> [(v, cut) for v, cut, _pieces in tree.articulation_cuts()]
[(1, 1)]
>>> sorted((u, v, cut) for u, v, cut, _pieces in tree.bridge_cuts())
[(0, 1, 1), (1, 2, 1)]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

__all__ = ["BlockCutTree"]


class BlockCutTree:
    """Block–cut tree of an undirected graph given its biconnected components.

    Tree vertices 0..B-1 are blocks, B.. are articulation points. Each graph
    vertex is counted once: an articulation point at its own tree vertex, any
    other vertex in its only block. Subtree sums of cities and of vertices
    give, for every cut, the size of each piece in O(1).
    """

    def __init__(self, n: int, blocks: list[list[int]], is_city: Sequence[bool]):
        self.blocks = blocks
        self.is_city = is_city
        membership = [0] * n
        for b in blocks:
            for v in b:
                membership[v] += 1
        self.aps = [v for v in range(n) if membership[v] >= 2]
        nb = len(blocks)
        self.ap_node = {v: nb + i for i, v in enumerate(self.aps)}
        size = nb + len(self.aps)
        self.adj: list[list[int]] = [[] for _ in range(size)]
        own_c = [0] * size
        own_n = [0] * size
        for bi, b in enumerate(blocks):
            for v in b:
                t = self.ap_node.get(v)
                if t is None:
                    own_n[bi] += 1
                    own_c[bi] += 1 if is_city[v] else 0
                else:
                    self.adj[bi].append(t)
                    self.adj[t].append(bi)
        for v, t in self.ap_node.items():
            own_n[t] = 1
            own_c[t] = 1 if is_city[v] else 0
        self.own_c, self.own_n = own_c, own_n
        self.parent = [-1] * size
        self.root = [-1] * size
        sub_c, sub_n = own_c[:], own_n[:]
        seen = [False] * size
        for r in range(size):
            if seen[r]:
                continue
            order = [r]
            seen[r] = True
            self.root[r] = r
            i = 0
            while i < len(order):
                x = order[i]
                i += 1
                for y in self.adj[x]:
                    if not seen[y]:
                        seen[y] = True
                        self.parent[y] = x
                        self.root[y] = r
                        order.append(y)
            for x in reversed(order):
                p = self.parent[x]
                if p >= 0:
                    sub_c[p] += sub_c[x]
                    sub_n[p] += sub_n[x]
        self.sub_c, self.sub_n = sub_c, sub_n

    def _outside(self, t: int) -> tuple[int, int]:
        """Cities and vertices of t's component outside t's subtree."""
        r = self.root[t]
        return self.sub_c[r] - self.sub_c[t], self.sub_n[r] - self.sub_n[t]

    def articulation_cuts(self) -> Iterable[tuple[int, int, list[tuple[int, int]]]]:
        """(vertex, cities cut off, [(start, blocked) of each cut-off piece])."""
        for v, t in self.ap_node.items():
            pieces = [
                ((self.sub_c[c], self.sub_n[c]), (c, t)) for c in self.adj[t] if c != self.parent[t]
            ]
            if self.parent[t] >= 0:
                pieces.append((self._outside(t), (self.parent[t], t)))
            # "the rest" is the piece with most actors (ties: the one with more cities)
            rest = max(range(len(pieces)), key=lambda i: (pieces[i][0][1], pieces[i][0][0]))
            cut = [p for i, p in enumerate(pieces) if i != rest and p[0][0] > 0]
            yield v, sum(p[0][0] for p in cut), [p[1] for p in cut]

    def bridge_cuts(self) -> Iterable[tuple[int, int, int, list[tuple[int, int]]]]:
        """(u, v, cities cut off, [(start, blocked)] or [(-1, vertex)] for a lone vertex)."""
        for bi, b in enumerate(self.blocks):
            if len(b) != 2:
                continue
            sides = []
            for x in b:
                t = self.ap_node.get(x)
                if t is None:
                    sides.append(((1 if self.is_city[x] else 0, 1), (-1, x)))
                elif t == self.parent[bi]:
                    sides.append((self._outside(bi), (t, bi)))
                else:
                    sides.append(((self.sub_c[t], self.sub_n[t]), (t, bi)))
            key0, key1 = (sides[0][0][1], sides[0][0][0]), (sides[1][0][1], sides[1][0][0])
            cut = sides[0] if key0 < key1 else sides[1]
            yield b[0], b[1], cut[0][0], [cut[1]]

    def example_cities(self, pieces: list[tuple[int, int]], limit: int) -> list[int]:
        """Up to `limit` cities in the given pieces (walked from start, never through blocked)."""
        found: list[int] = []
        for start, blocked in pieces:
            if start == -1:
                if self.is_city[blocked]:
                    found.append(blocked)
                continue
            queue, seen = deque([start]), {start, blocked}
            while queue and len(found) < limit:
                x = queue.popleft()
                if x < len(self.blocks):
                    found.extend(
                        v for v in self.blocks[x] if v not in self.ap_node and self.is_city[v]
                    )
                else:
                    v = self.aps[x - len(self.blocks)]
                    if self.is_city[v]:
                        found.append(v)
                for y in self.adj[x]:
                    if y not in seen:
                        seen.add(y)
                        queue.append(y)
            if len(found) >= limit:
                break
        return sorted(set(found[:limit]))
