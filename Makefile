# The commands people type. `make run` sets up everything and serves the site;
# `make test` runs every check CI runs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/spinesite

.PHONY: run test lint format database sample-content clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

database: $(BIN)/.installed
	$(MANAGE) ensure_database
	$(MANAGE) migrate --no-input

sample-content: database
	$(MANAGE) load_content

run: export DEBUG = true
run: sample-content
	@echo
	@echo "  Site:  http://127.0.0.1:8000/"
	@echo "  Admin: http://127.0.0.1:8000/admin/"
	@echo "  No admin login yet? In another terminal run:"
	@echo "    DEBUG=true $(MANAGE) createsuperuser"
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

test: export DEBUG = false
test: export SECRET_KEY ?= insecure-key-for-tests-only
test: export CHROMIUM_PATH = $(CHROMIUM)
test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) ensure_database
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
