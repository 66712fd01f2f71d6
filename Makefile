# Revisio's two commands. Both work on a fresh clone with Python 3.11 and the machine's package
# manager: they create .venv/, install the locked dependencies and the system packages they need
# (apt-get as root, else they print the command), and go.
#   make run    set up, then serve the web app with a demo patient at http://127.0.0.1:8000
#   make test   set up, then run every check CI runs, on SQLite and (when reachable) PostgreSQL
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
# uv installs into .venv (not a folder of its own) and never downloads an interpreter.
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never
export DJANGO_SETTINGS_MODULE := revisio.web.settings
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

CODE := src tests benchmarks
CATALOGUES := $(wildcard src/revisio/locale/*/LC_MESSAGES/django.po)

.PHONY: help system-web setup run test lint typecheck imports kb-check migrations-check i18n-check pytest pytest-postgres \
	browser-deps bench bench-web fmt messages lock clean

help:
	@echo "make run    set up and serve Revisio with a demo patient at http://127.0.0.1:8000"
	@echo "make test   lint, types, import contract, knowledge base, migrations, translations, tests (SQLite + PostgreSQL)"
	@echo "make bench  run the benchmarks in benchmarks/"
	@echo "make bench-web  the web app under load on PostgreSQL (docs/performance.md; about 10 minutes)"
	@echo "make fmt    format code and normalise knowledge-base records"
	@echo "make messages   re-extract the translation catalogues after changing user-facing text"

$(BIN)/python:
	@scripts/system-packages.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --inexact keeps uv itself in the environment it manages.
$(VENV)/.synced: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --inexact --quiet --extra measure
	@touch $@

# Compiled catalogues are build output (git ignores *.mo).
src/revisio/locale/%/LC_MESSAGES/django.mo: src/revisio/locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

system-web:
	@scripts/system-packages.sh web

setup: system-web $(VENV)/.synced $(CATALOGUES:.po=.mo)

run: setup
	$(BIN)/revisio serve --demo

test: setup lint typecheck imports kb-check migrations-check i18n-check pytest pytest-postgres

lint: setup
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/ruff check $(CODE)

typecheck: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports

kb-check: setup
	$(BIN)/revisio kb validate

migrations-check: setup
	REVISIO_DATA_DIR=$$(mktemp -d) $(BIN)/revisio manage makemigrations --check --dry-run

# Every user-facing string is translated: no untranslated or fuzzy entry in any catalogue.
i18n-check: setup
	@for po in $(CATALOGUES); do \
	  stats=$$(LC_ALL=C msgfmt --check --statistics -o /dev/null $$po 2>&1); echo "$$po: $$stats"; \
	  if echo "$$stats" | grep -Eq "untranslated|fuzzy"; then echo "$$po is incomplete: run 'make messages' and translate"; exit 1; fi; \
	done

browser-deps:
	@scripts/system-packages.sh browser

pytest: setup browser-deps
	$(BIN)/pytest

# The same suite on PostgreSQL, when a server answers on 127.0.0.1:5432 (.ci/run starts one).
pytest-postgres: setup browser-deps
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2).close()" 2>/dev/null; then \
	  echo "Running the tests on PostgreSQL ($(POSTGRES_TEST_URL))"; \
	  DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -q; \
	else \
	  echo "PostgreSQL is not reachable on 127.0.0.1:5432: the tests ran on SQLite only"; \
	fi

bench: setup
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/measure.py
	$(BIN)/python benchmarks/dossier.py
	$(BIN)/python benchmarks/audit.py

# Not part of `make bench`: it needs PostgreSQL on 127.0.0.1:5432 and takes about 10 minutes on the 2-core
# build machine (seeding 100,000 cases, then 60 s per page). BENCH_WEB_ARGS="--cases 10000" for a quick look.
bench-web: setup
	$(BIN)/python benchmarks/web.py $(BENCH_WEB_ARGS)

fmt: setup
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)
	$(BIN)/revisio kb fmt

# A throw-away data folder: makemessages starts Django, which would otherwise create var/ (with a secret key)
# inside the source tree.
messages: setup
	cd src/revisio && REVISIO_DATA_DIR=$$(mktemp -d) ../../$(BIN)/revisio manage makemessages -l ko --no-obsolete --ignore "migrations/*"

lock: $(BIN)/python
	$(BIN)/uv lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
