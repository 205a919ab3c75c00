# Intact — the two front-door commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# Settings: `intact` and scripts/serve default to intact.settings.dev; pytest uses
# intact.settings.test from pyproject.toml. Nothing is exported here, because an
# exported DJANGO_SETTINGS_MODULE would override pytest's setting.

.PHONY: run test test-sqlite test-postgres test-e2e bench assets messages lint venv venv-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

## make run: install, migrate, load the demo data, serve on http://127.0.0.1:$(PORT) with the task worker
run: venv
	$(BIN)/intact migrate --noinput -v0
	$(BIN)/intact demo
	PORT=$(PORT) scripts/serve

## make test: the whole suite on SQLite, on a throwaway PostgreSQL, and in headless Chromium
test: venv-dev
	scripts/test-all

test-sqlite: venv-dev
	$(BIN)/pytest -m "not e2e" -p no:cacheprovider

test-postgres: venv-dev
	scripts/with-postgres $(BIN)/pytest -m "not e2e" -p no:cacheprovider

test-e2e: venv-dev
	$(BIN)/pytest -m e2e -p no:cacheprovider

## make bench: benchmarks; results go to docs/benchmarks.md
bench: venv-dev
	scripts/with-postgres --optional $(BIN)/python -m benchmarks.run

## make assets: rebuild the NL Design System CSS bundle from the npm lock file
assets:
	cd assets && npm ci --no-audit --no-fund && node build.mjs

## make messages: extract and compile translations (needs GNU gettext); the .mo files are committed
messages: venv-dev
	scripts/messages

lint: venv-dev
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
