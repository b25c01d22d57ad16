# Handreiking — everyday commands. Needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed-stamp
SECRET := $(VENV)/secret-key
DOTENV := .env

.PHONY: run serve test bench install migrate content messages static clean

# Development server, with debug pages (DJANGO_DEBUG=1 only here and in tests).
run: export DJANGO_DEBUG = 1
run: install $(DOTENV) messages migrate content
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# This checkout is for development: manage.py run by hand gets DJANGO_DEBUG=1 too (the
# real environment still wins; delete .env, or set DJANGO_DEBUG=0, to switch it off).
$(DOTENV):
	printf '# Written by make run: a development checkout (never commit it).\nDJANGO_DEBUG=1\n' > $(DOTENV)

# Production-like: DJANGO_DEBUG=0, hashed and compressed static files, gunicorn with
# workers and threads from the environment (WEB_CONCURRENCY, GUNICORN_THREADS).
# Plain http on 127.0.0.1, so no HTTPS redirect here; behind a TLS proxy leave it on.
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: export PORT := $(PORT)
serve: install $(SECRET) messages
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET))}" $(PY) manage.py migrate --no-input
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET))}" $(PY) manage.py loadcontent
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET))}" $(PY) manage.py collectstatic --no-input -v0
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET))}" $(VENV)/bin/gunicorn handreiking.wsgi:application -c python:handreiking.gunicorn_conf

test: export DJANGO_DEBUG = 1
test: install messages
	$(PY) -m pytest

# Search at 1x/100x/1000x the guide, then pages through gunicorn with wrk (apt: wrk).
bench: export DJANGO_DEBUG = 1
bench: install messages
	$(PY) tests/bench/run_bench.py
	$(PY) tests/bench/pages.py

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable ".[test]"
	touch $(STAMP)

# A local secret for `make serve` (never committed; set DJANGO_SECRET_KEY to override).
$(SECRET): | install
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $(SECRET)

migrate: install
	$(PY) manage.py migrate --no-input

content: install
	$(PY) manage.py loadcontent

# Pure-Python compile (Babel), so no GNU gettext is needed on the machine. The .mo files
# are committed too (stored HTML depends on them); this keeps them in step with the .po.
messages: install
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
