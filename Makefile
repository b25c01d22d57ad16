# Handreiking — everyday commands. Needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench install migrate content messages clean

run: install migrate messages content
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install messages
	$(PY) -m pytest

bench: install messages
	$(PY) tests/bench/run_bench.py

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable ".[test]"
	touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input

content: install
	$(PY) manage.py loadcontent

# Pure-Python compile (Babel), so no GNU gettext is needed on the machine.
messages: install
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
