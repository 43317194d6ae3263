# Two commands do all set-up on a fresh machine:
#   make run   - install, load the workshop seed dataset into the embedded database,
#                print its stats and gaps, and serve the API, network and report
#   make test  - install (incl. headless Chromium and the Neo4j Cypher front end) and run
#                the linter and the whole test suite
# While working: make test-fast (the unit layer, tests/unit, no database or browser;
# `make lint test-fast` lints first) and make docs (docs/cli.md from the commands' --help).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast docs docs-assets viz-assets geo-assets install browser compose neo4j-lint lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/scn-graph up

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the page tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Docker Compose reads docker-compose.yml offline (`config -q`) in tests/integration/test_compose.py:
# the Docker CLI's plugin where it is installed, else Debian's docker-compose.
compose:
	@docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || { \
	  echo "installing Debian docker-compose for the compose-file check"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }

# Neo4j's Cypher front end (npm), exactly as package-lock.json pins it, in a git-ignored
# node_modules inside tools/neo4j-lint: tests/test_neo4j_lint.py lints every statement of
# the Neo4j path with it. Without npm the tests say so (and fail in CI).
NEO4J_LINT       := tools/neo4j-lint
NEO4J_LINT_STAMP := $(NEO4J_LINT)/node_modules/.installed

$(NEO4J_LINT_STAMP): $(NEO4J_LINT)/package.json $(NEO4J_LINT)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd $(NEO4J_LINT) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the Neo4j Cypher front-end tests cannot run"; fi

neo4j-lint: $(NEO4J_LINT_STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install browser compose neo4j-lint lint
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest tests/unit

docs: install
	$(BIN)/python -m cli.reference > docs/cli.md.new && mv docs/cli.md.new docs/cli.md

# Swagger UI and ReDoc for the API's /docs and /redoc, vendored into api/static/docs at the
# exact versions and sha512 integrities pinned in the script (npm pack); committed, so only
# needed to update them (see api/static/docs/README.md).
docs-assets:
	sh tools/docs-assets/update.sh

# Natural Earth country outlines for the map pages and the report's map, into viz/static/geo
# (committed, so only needed to change them; see viz/static/geo/README.md): world-atlas as
# tools/geo/package-lock.json pins it, converted by tools/geo/convert.py.
geo-assets: install
	cd tools/geo && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/geo/convert.py

# sigma.js and graphology for the WebGL pages, vendored into viz/static/vendor at the
# versions and integrities pinned by tools/viz-vendor/package-lock.json (npm ci);
# committed, so only needed to update them (see viz/static/vendor/README.md).
viz-assets:
	sh tools/viz-vendor/update.sh

bench: install
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_analysis.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_viz.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts $(NEO4J_LINT)/node_modules tools/geo/node_modules
