# Min Side. `make run` sets up and serves the portal; `make test` runs the whole test suite.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Tests run in parallel (pytest-xdist); override with PYTEST_WORKERS=0 to run in one process.
PYTEST_WORKERS ?= 2

.PHONY: run setup install assets messages migrate demo test topology lint check-deploy compose-config clean

run: setup demo ## Set up everything and serve on http://127.0.0.1:$(PORT) (SQLite, in-process tasks)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

setup: install assets messages migrate

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | { grep -v '^WARNING: Location' || true; }
	$(PY) -m pip install --quiet -r requirements-dev.txt 2>&1 | { grep -v '^WARNING: Location' || true; }
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	sh scripts/build-assets.sh

messages: $(VENV)/.installed
	if compgen -G "*/locale/*/LC_MESSAGES/django.po" > /dev/null || compgen -G "locale/*/LC_MESSAGES/django.po" > /dev/null; then \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	PORT=$(PORT) $(PY) manage.py load_demo_data

test: install assets messages ## The whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	DJANGO_ENV=test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	# The layers: import-linter for the core apps, and the test that finds the service packages.
	$(VENV)/bin/lint-imports
	DJANGO_ENV=test $(VENV)/bin/pytest -q -p no:playwright tests/test_layers.py

# What `manage.py check --deploy` says under production settings: .ci/production.env holds what
# production requires (https SITE_URL, ID-porten client, SMTP relay, object storage, adapters
# that are not the local demo ones), as test values, not secrets.
check-deploy: $(VENV)/.installed
	set -a && . .ci/production.env && set +a && SECRET_KEY=$$(openssl rand -hex 40) \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/minside REDIS_URL=redis://127.0.0.1:6379/0 \
	STORAGE_URL="s3://minside-files?endpoint_url=https://s3.kommune.example" \
	$(PY) manage.py check --deploy --fail-level WARNING

# The load-balanced topology as processes on this machine (tests/topology/): HAProxy, two
# gunicorn nodes, two Celery workers, one beat, PostgreSQL, Redis and moto's S3 server; a
# citizen journey across both nodes with a web node and a worker killed in the middle.
topology: install assets messages
	DJANGO_ENV=test $(VENV)/bin/pytest -q -p no:playwright -p no:xdist tests/topology $(PYTEST_ARGS)

# Validate docker-compose.yml with the example environment (no Docker engine needed).
compose-config:
	MINSIDE_ENV_FILE=.env.example POSTGRES_PASSWORD=check docker-compose -f docker-compose.yml config -q

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3
