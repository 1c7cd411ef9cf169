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
# The address in links that Confide e-mails (invitations): where it is served.
SITE_URL ?= http://$(HOST):$(PORT)
# `make run` serves in local mode: the production server (gunicorn, DEBUG off,
# static files collected) on the loopback address only, where development keys
# and plain HTTP are allowed.
LOCAL_MODE := DEBUG=0 CONFIDE_LOCAL=1 HOST=$(HOST) PORT=$(PORT) SITE_URL=$(SITE_URL)

# Tests run in parallel, one process per core; a test module stays in one
# process (its personas are built once), and so do the browser journeys.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PARALLEL := -n $(JOBS) --dist loadgroup

.PHONY: run dev test test-unit test-browser bench lint typecheck security audit-dependencies check-migrations serve-setup clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Confide needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(VENV)/bin/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Written once; when Confide needs a new key, the missing one is added (config/devkeys.py).
$(DEV_ENV): config/devkeys.py
	$(PYTHON) -m config.devkeys $(DEV_ENV)

serve-setup: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) manage.py migrate --noinput
	$(WITH_ENV) $(PY) manage.py seed_demo --if-empty

# The demo is loaded with DEBUG on (seed_demo refuses to write into what looks
# like production); the server then runs in local mode, the timed jobs beside it.
run: serve-setup
	$(WITH_ENV) $(LOCAL_MODE) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Confide is starting on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(WITH_ENV) $(LOCAL_MODE) PY=$(PY) bin/serve-local

# For developers: Django's development server, DEBUG on (debug pages, reloading).
dev: serve-setup
	@echo ""
	@echo "Confide (DEBUG on) is starting on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(WITH_ENV) DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS)

test-unit: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) -m pytest $(PARALLEL) --ignore=tests/browser $(PYTEST_ARGS)

test-browser: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) -m pytest tests/browser $(PYTEST_ARGS)

# The benchmark (docs/performance.md): seeds a scratch PostgreSQL database
# (BENCH_DATABASE_URL, default confide_bench on 127.0.0.1), serves it with gunicorn
# and loads it with wrk. Larger: make bench BENCH_ARGS="--children 1000,15000".
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; \
		else echo "make bench needs wrk: run 'sudo apt-get install wrk' first"; exit 1; fi
	$(PY) -m bench $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Security lint (bandit) of everything but the tests; findings reviewed in place carry `# nosec` with
# the reason on the line (docs/security.md).
security: $(VENV)/.installed
	$(VENV)/bin/bandit -ll -q -r . -x ./.venv,./tests,./var,./stubs

# Known vulnerabilities in the pinned dependencies (pip-audit asks the PyPI advisory database, so
# it needs the internet: an operator's step before each upgrade and release, docs/security.md).
audit-dependencies: $(VENV)/.installed
	$(PY) -m pip install --quiet pip-audit==2.10.1
	$(VENV)/bin/pip-audit --strict -r requirements.txt

typecheck: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(VENV)/bin/mypy .

check-migrations: $(VENV)/.installed $(DEV_ENV)
	$(WITH_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/confide.sqlite3 var/media var/static
