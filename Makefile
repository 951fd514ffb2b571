# The portal's everyday commands. `make run` and `make test` are all a new
# developer needs; both create the virtual environment on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run dev test check lint format messages install install-dev bench bench-pages vnu lighthouse clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A laptop's own settings: a secret key made once, and uploaded images served
# by the application itself.
.env:
	@$(PYTHON) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50)); print('SERVE_MEDIA=true')" > $@
	@echo "Wrote .env with a new SECRET_KEY."

# Installs, migrates an SQLite database, loads the demo content and serves
# the site under gunicorn, as production runs it, on http://$(HOST):$(PORT)/.
run: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo --site http://$(HOST):$(PORT)
	$(PY) manage.py load_demo_comments
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	BIND=$(HOST):$(PORT) WEB_CONCURRENCY=$(WORKERS) $(VENV)/bin/gunicorn --config gunicorn.conf.py

# Django's development server with DEBUG on, for working on templates and code.
dev: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --site http://$(HOST):$(PORT)
	$(PY) manage.py load_demo_comments
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite; on PostgreSQL with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test.
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Source strings are English; after changing them, update and compile the Persian catalogue.
messages: install
	$(PY) manage.py makemessages --locale fa --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*' \
		--ignore 'bench/*' --ignore 'ops/*' --ignore 'tests/*' --ignore '*/tests/*' --ignore '.cache/*'
	$(PY) manage.py makemessages --locale fa --no-obsolete --domain djangojs --ignore '.venv/*' \
		--ignore 'staticfiles/*' --ignore 'static/admin/vendor/*' --ignore 'bench/*' --ignore 'ops/*' \
		--ignore 'tests/*' --ignore '*/tests/*' --ignore '.cache/*' --ignore 'node_modules/*'
	$(PY) manage.py compilemessages --locale fa --ignore '.venv/*' --ignore '.cache/*'

# The benchmarks: the posting rules (no database), search on a PostgreSQL
# database of its own (about ten minutes), and the pages as production serves
# them (gunicorn, Redis, nginx and wrk; under ten minutes). PostgreSQL on
# 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
bench: install-dev
	$(PY) bench/rules.py
	$(PY) bench/search.py
	$(PY) bench/pages.py

# The pages alone; BENCH_ARGS="--scale" times home and tag pages at 1,000 and
# 100,000 articles instead, BENCH_ARGS="--seconds 5" makes each measurement shorter.
bench-pages: install-dev
	$(PY) bench/pages.py $(BENCH_ARGS)

vnu:
	npm install --silent --prefix .cache/vnu vnu-jar@26

# Lighthouse's four scores (mobile preset) for home, an article and any
# LIGHTHOUSE_PATHS="/news/…/", against the demo site served as `make run`
# serves it on LIGHTHOUSE_PORT; Debian's Chromium, npm's lighthouse in .cache.
LIGHTHOUSE_PORT ?= 8090
lighthouse: install
	test -x .cache/lighthouse/node_modules/.bin/lighthouse || \
		npm install --silent --prefix .cache/lighthouse lighthouse@12
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) bench/lighthouse.py \
		--port $(LIGHTHOUSE_PORT) $(LIGHTHOUSE_ARGS) $(LIGHTHOUSE_PATHS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
