# Revisio's two commands. Both work on a fresh clone with Python 3.11 and the machine's package
# manager: they create .venv/, install the locked dependencies, and go.
#   make run    set up, then run the demo
#   make test   set up, then run every check CI runs
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
# uv installs into .venv (not a folder of its own) and never downloads an interpreter.
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never

CODE := src tests benchmarks

.PHONY: help setup run test lint typecheck imports kb-check pytest bench fmt lock clean

help:
	@echo "make run    set up and run the Revisio demo"
	@echo "make test   set up and run lint, type checks, the import contract, knowledge-base validation and tests"
	@echo "make bench  run the benchmarks in benchmarks/"
	@echo "make fmt    format code and normalise knowledge-base records"

$(BIN)/python:
	@scripts/system-packages.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --inexact keeps uv itself in the environment it manages.
$(VENV)/.synced: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --inexact --quiet
	@touch $@

setup: $(VENV)/.synced

run: setup
	$(BIN)/revisio demo

test: setup lint typecheck imports kb-check pytest

lint: setup
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/ruff check $(CODE)

typecheck: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports

kb-check: setup
	$(BIN)/revisio kb validate

pytest: setup
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/engine.py

fmt: setup
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)
	$(BIN)/revisio kb fmt

lock: $(BIN)/python
	$(BIN)/uv lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
