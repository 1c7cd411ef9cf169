# Confide: `make run` to try it, `make test` to test it.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := var/dev.env
# Development keys are read from var/dev.env; variables already set (such as
# DATABASE_URL) are kept.
WITH_ENV := set -a && . ./$(DEV_ENV) && set +a &&
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests run in parallel, one process per core; a test module stays in one
# process (its personas are built once), and so do the browser journeys.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PARALLEL := -n $(JOBS) --dist loadgroup

.PHONY: run test test-unit test-browser lint typecheck check-migrations serve-setup clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Confide needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(VENV)/bin/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_ENV):
	$(PYTHON) -m config.devkeys $(DEV_ENV)

serve-setup: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) manage.py migrate --noinput
	$(WITH_ENV) $(PY) manage.py seed_demo --if-empty

run: serve-setup
	@echo ""
	@echo "Confide is starting on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(WITH_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS)

test-unit: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) -m pytest $(PARALLEL) --ignore=tests/browser $(PYTEST_ARGS)

test-browser: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) -m pytest tests/browser $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(VENV)/bin/mypy .

check-migrations: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/confide.sqlite3 var/media var/static
