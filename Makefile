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

.PHONY: run test lint check-migrations serve-setup clean

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
	$(WITH_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

check-migrations: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/confide.sqlite3 var/media var/static
