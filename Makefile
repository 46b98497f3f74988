# SKB: two commands do all set-up on a fresh machine with Python 3.11+:
#   make run   installs into .venv and starts the app on http://localhost:8501
#   make test  installs into .venv and runs the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench load lock catalogue clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("SKB needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

run: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Many people at once: 10, 25 and 50 sessions on one app server and on two behind nginx, on loopback
# (about eight minutes; docs/performance.md). E.g. LOAD_ARGS="--sessions 50 --servers 2 --outage-at 30".
load: $(STAMP)
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS)

# Tidy the catalogue of SKB's own words (assessment/locale, sorted by id) and list the ids the code uses
# that it lacks (docs/translations.md).
catalogue: $(STAMP)
	$(BIN)/python -m assessment.catalogue format
	$(BIN)/python -m assessment.catalogue check

# Regenerate the lockfile after changing dependencies in pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV)
