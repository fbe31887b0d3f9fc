# Two commands set everything up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz lint format bench clean translations

# The venv is rebuilt whenever a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py $(ARGS)

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n 2 tests

# Exploration, not a gate: property tests draw fresh random cases, 20 times as many as in
# `make test`. Every failure it finds becomes an @example on its test (see tests/fuzzing.py).
fuzz: $(STAMP)
	NETWRIGHT_FUZZ=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n 2 tests/graph tests/codegen

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

format: $(STAMP)
	$(BIN)/python -m ruff format .
	$(BIN)/python -m ruff check --fix .

# Re-extract every translatable string into the catalogs and recompile them (see i18n/__init__.py).
translations: $(STAMP)
	$(BIN)/python -m i18n.catalogs

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
