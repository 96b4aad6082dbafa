# Set-up and everyday commands. `make run` and `make test` each do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ASSETS := web/static/govuk/.copied
export LEDGER_DATABASE_URL ?= sqlite:///var/ledger.db

.PHONY: install run test lint bench mutation demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json $(STAMP) web/styles/application.scss web/assets.py
	$(BIN)/python -m web.assets
	touch $(ASSETS)

install: $(STAMP) $(ASSETS)

# The main job: the web app and the digest scheduler on the embedded SQLite store, demo loaded.
run: install
	$(BIN)/ledger init
	$(BIN)/ledger demo
	$(BIN)/ledger run

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ledger projections config notifier reports web entrypoints
	$(BIN)/lint-imports

# Mutation testing of the domain and the command handlers against the fast unit layer.
mutation: install
	rm -rf mutants
	mkdir -p var
	$(BIN)/mutmut run > var/mutation.log 2>&1 || true
	$(BIN)/mutmut results
	@tail -c 200 var/mutation.log | tr '\r' '\n' | tail -n 2

bench: install
	$(BIN)/python benchmarks/ledger_throughput.py --compare-chain
	$(BIN)/python benchmarks/digest_build.py
	$(BIN)/python benchmarks/web_pages.py
	$(BIN)/python benchmarks/overview_page.py
	$(BIN)/python benchmarks/plan_and_pack.py

clean:
	rm -rf $(VENV) node_modules web/static/govuk var mutants
