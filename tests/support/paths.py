"""Where the repository, its docs and the shared real data are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
TWIN_CITIES = SHARED_DATA / "twin_cities.csv"
COMPOSE_FILE = ROOT / "docker-compose.yml"
#: The workbook-sized example of the findings tests: its YAML source of truth, the
#: workbook filled in from the template with it, and the script that writes one from
#: the other (tests/fixtures/workbook/README.md).
WORKBOOK_DIR = FIXTURES / "workbook"
WORKBOOK_YAML = WORKBOOK_DIR / "prevention_actors.yaml"
WORKBOOK_XLSX = WORKBOOK_DIR / "prevention_actors.xlsx"
WORKBOOK_BUILD = WORKBOOK_DIR / "build.py"
