# Rapport: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export WEB_PORT ?= 8000
export SITE_URL ?= http://127.0.0.1:$(WEB_PORT)
PY := .venv/bin/python

.PHONY: run test setup lint messages

## Install everything, prepare SQLite with demo data, start the Procfile's processes (web,
## worker, scheduler, deliverer) and print the URL and the demo login once the web answers.
run: setup
	@bash scripts/run.sh

## Run the whole test suite on SQLite and on PostgreSQL (installs what it needs).
test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(PY) -m mypy rapport && .venv/bin/lint-imports --no-cache && bash scripts/check_templates.sh
