"""Country metrics are the same in every process: nothing may depend on hash order.

`metrics(G, country=...)` numbers the actors of the country's subgraph; a
networkx subgraph view of a large graph iterates its kept-node set, whose order
changes with PYTHONHASHSEED, so two API workers once named different example
cities for the same request. Each run here is a fresh interpreter with its own
hash seed (a subprocess is the only way to change it).
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.paths import ROOT

SCRIPT = """
import json
from graph.analysis.structure import metrics
from graph.projection import build_graph
nodes = [{"id": f"a{i}", "kind": "city", "name": f"A{i}", "country": "AA"} for i in range(30)]
nodes += [{"id": f"b{i}", "kind": "city", "name": f"B{i}", "country": "BB"} for i in range(200)]
edges = [{"source": f"a{i}", "target": f"a{(i * 7 + 3) % 30}", "type": "PARTNERS_WITH"}
         for i in range(30)]
edges += [{"source": f"b{i}", "target": f"b{i + 1}", "type": "PARTNERS_WITH"} for i in range(199)]
print(json.dumps(metrics(build_graph(nodes, edges), country="AA"), sort_keys=True, default=str))
"""


def _metrics_with_hash_seed(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_country_metrics_do_not_depend_on_the_hash_seed() -> None:
    answers = {_metrics_with_hash_seed(seed) for seed in (1, 2, 3, 4)}
    assert len(answers) == 1
