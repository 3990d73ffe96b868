# The README's two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test eval lint bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstall whenever pyproject.toml changes (the stamp is older than it).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/huddle ingest
	$(BIN)/huddle

test: $(VENV)/.installed-test
	./.ci/ensure-postgres
	$(BIN)/python -m pytest -q

eval: $(VENV)/.installed
	$(BIN)/huddle eval run --scenarios evals/scenarios --out eval-report.json --md eval-report.md

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/prep.py
	$(BIN)/python benchmarks/tui_start.py

clean-venv:
	rm -rf $(VENV)
