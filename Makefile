# The commands people type. `make run` sets up everything and serves the site;
# `make test` runs every check CI runs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/spinesite

# Runs $(1) with the task worker (emails to staff) in the background, and stops the
# worker when $(1) stops (Ctrl+C included).
with_worker = $(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(1)

.PHONY: run serve test lint format database messages sample-content clean bench-search \
	bench-http bench-lighthouse bench-load bench-scale screenshots

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

# Interface translations (locale/<language>/LC_MESSAGES/django.po, written by hand)
# compiled to the .mo files Django reads; they are built, not kept in git. Needs
# gettext's msgfmt (Debian: apt-get install gettext).
messages: $(BIN)/.installed
	$(MANAGE) compilemessages --ignore .venv --verbosity 0

database: messages
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
	@echo "  then log in: the first login asks you to set up an authenticator app or a passkey."
	@echo
	$(call with_worker,$(MANAGE) runserver 127.0.0.1:8000)

# The site as production runs it: DEBUG off, gunicorn (gunicorn.conf.py), compressed
# static files. Plain HTTP on this machine, so the HTTPS-only settings are off; a
# SECRET_KEY is made once into .secret_key (git-ignored) unless one is set.
# Production sets these itself: see docs/deploy.md.
serve: export DEBUG = false
serve: export SECRET_KEY ?= $(shell test -s .secret_key || (umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key); cat .secret_key)
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT ?= false
serve: export SECURE_COOKIES ?= false
serve: export GUNICORN_BIND ?= 127.0.0.1:8000
serve: export SITE_URL ?= http://$(GUNICORN_BIND)
serve: sample-content
	$(MANAGE) collectstatic --no-input --verbosity 0
	@echo
	@echo "  Site:  http://$(GUNICORN_BIND)/  (gunicorn, DEBUG off; Ctrl+C stops it)"
	@echo "  No admin login yet? In another terminal run:"
	@echo "    DEBUG=true $(MANAGE) createsuperuser"
	@echo
	$(call with_worker,$(BIN)/gunicorn)

test: export DEBUG = false
test: export SECRET_KEY ?= insecure-key-for-tests-only
test: export CHROMIUM_PATH = $(CHROMIUM)
# Required with DEBUG off (spinesite.checks); the test client's own host name.
test: export SITE_URL ?= http://testserver
# Exactly the environment above: a developer's .env is not read.
test: export ENV_FILE =
test: messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MANAGE) ensure_database
	$(MANAGE) check
	@echo "Deploy check, with production's environment and a fresh random SECRET_KEY:"
	env -i PATH="$$PATH" DATABASE_URL="$$DATABASE_URL" DEBUG=false ALLOWED_HOSTS=example.org \
	  SITE_URL=https://example.org ENV_FILE= \
	  SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

# Search latency on 10,000 generated condition pages and 2,000 videos, in a scratch
# database it creates and drops (a few minutes).
bench-search: $(BIN)/.installed
	$(BIN)/python bench/search.py

# Throughput of every public page type against a static file (needs Debian's wrk).
bench-http: $(BIN)/.installed
	bench/http.sh

# Lighthouse scores with Debian's Chromium (installs Lighthouse into .bench-tools/).
bench-lighthouse: $(BIN)/.installed
	bench/lighthouse.sh

bench-load: $(BIN)/.installed
	$(BIN)/python bench/load_content.py

# 100,000 pages and 20,000 videos in a scratch database: search, indexes, sitemap,
# admin, database size and worker memory, each against its target (about an hour).
bench-scale: $(BIN)/.installed
	$(BIN)/python bench/scale.py

# Screenshots of the main pages on a phone and a desktop, light and dark, into
# screenshots/ (serves the site on a scratch database, like the bench scripts).
screenshots: $(BIN)/.installed
	scripts/screenshots.sh

lint: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
