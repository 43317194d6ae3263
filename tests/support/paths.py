"""Where the repository, its docs and the shared real data are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
TWIN_CITIES = SHARED_DATA / "twin_cities.csv"
COMPOSE_FILE = ROOT / "docker-compose.yml"
