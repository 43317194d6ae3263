# Two commands do all set-up on a fresh machine:
#   make run   - install, load the workshop seed dataset into the embedded database,
#                print its stats and gaps, and serve the API, network and report
#   make test  - install (incl. headless Chromium) and run the linter and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install browser lint bench clean

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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install browser lint
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_analysis.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_viz.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
