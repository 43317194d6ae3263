"""The map: the `map` view's pages and the report's SVG coverage maps, from a real store.

The seed (47 nodes, none with coordinates: every node is at its country's centroid or in
the "Not on the map" panel), the invented sample (cities with coordinates, a confidential
link) and the full twin-cities network (17,127 cities with coordinates). Pages load in
headless Chromium (tests/support/browser.py) with no console error and no request
leaving the machine; screenshots land in test-artifacts/viz/.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.analysis.coverage import coverage
from graph.projection import project
from tests.support.pages import SAMPLE
from tests.support.paths import ROOT
from tests.support.store import load
from viz.geo.measures import MEASURES, fill
from viz.service import report_page

ARTIFACTS = ROOT / "test-artifacts" / "viz"


def _store(server_dir: Path, data: dict[str, Any] | None) -> Iterator[Any]:
    from graph.store import open_store

    s = open_store(f"embedded:{server_dir}?graph=m{uuid.uuid4().hex[:12]}")
    if data is None:
        from ingest.load import load_dataset
        from ingest.readers import read_input

        load_dataset(s, read_input(ROOT / "ingest" / "data" / "workshop.yaml"))
    else:
        load(s, data)
    yield s
    s.drop()  # type: ignore[attr-defined]
    s.close()


@pytest.fixture(scope="module")
def seed_store(server_dir: Path) -> Iterator[Any]:
    yield from _store(server_dir, None)


@pytest.fixture(scope="module")
def sample_store(server_dir: Path) -> Iterator[Any]:
    yield from _store(server_dir, SAMPLE)


def coverage_maps(html: str) -> dict[str, str]:
    """The report's coverage maps by measure, in page order."""
    pattern = re.compile(r'<svg class="coverage-map"[^>]*data-measure="(\w+)".*?</svg>', re.S)
    return {m.group(1): m.group(0) for m in pattern.finditer(html)}


@pytest.mark.parametrize("which", ["seed", "sample"])
def test_the_report_has_a_coverage_map_per_measure(request: Any, which: str) -> None:
    store = request.getfixturevalue(f"{which}_store")
    G = project(store, include_confidential=False)
    cov = coverage(G)
    html = report_page(store).html
    maps = coverage_maps(html)
    assert list(maps) == list(MEASURES)
    for name, svg in maps.items():
        assert "<script" not in svg
        for code, row in cov.items():
            share = row[MEASURES[name].key]
            assert re.search(rf'fill="{fill(share)}"[^>]*data-country="{code}"', svg), (name, code)
    assert "data-findings" in maps["national"] and "data-findings" not in maps["cso"]
