# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run serve test test-sqlite-smoke lint bench migrate demo clean

install: $(STAMP)

# Reinstall only when the lock changes; --require-hashes makes every machine get the same bits.
# A pinned pip goes in first: the one a new venv brings (23.2 with Python 3.11) rejects the
# lock as unpinned whenever PyPI has a newer release of a package another one asks for with
# an extra (lxml, wanted as lxml[html_clean] by justext), so a new lxml broke `make`.
$(STAMP): requirements.lock requirements-pip.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

migrate: install
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo

# Serves the app with a task worker beside it; Ctrl-C stops both.
run: demo
	@echo ""
	@echo "  factcheck is running at http://$(HOST):$(PORT)/  (logins printed above)"
	@echo ""
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py db_worker --queue-name '*' --no-reload & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .

test: install lint
	DEBUG=0 $(BIN)/python manage.py check --fail-level WARNING --settings tests.settings
	@# Production settings must pass Django's deployment checks.
	DEBUG=0 ALLOWED_HOSTS=factcheck.example.org SITE_URL=https://factcheck.example.org \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	mkdir -p var
	DEBUG=1 DATABASE_URL=sqlite:///var/migrations-check.sqlite3 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 $(BIN)/python -m pytest

# The embedded default database, end to end: a fresh SQLite file, migrations, the demo and
# a request to the running server.
test-sqlite-smoke: install
	bash .ci/sqlite-smoke

# Each script prints its own rows and records them in var/bench/; the report prints them all
# in one table. Results of an earlier run are cleared first, so the table is this run's.
# bench_public.py loads the public pages with wrk (a Debian package), installed if missing.
bench: install
	@command -v wrk >/dev/null 2>&1 || bash .ci/apt-install wrk
	rm -rf var/bench
	@for f in tests/benchmarks/bench_*.py; do DEBUG=0 $(BIN)/python $$f || exit 1; done
	@$(BIN)/python tests/benchmarks/report.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
