# Two commands (README): `make report` regenerates the whole report; `make test` runs the tests.
# Both set up .venv first (pinned versions from requirements.lock; torch is the local CPU wheel).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(abspath $(VENV)/bin)
export PATH := $(BIN):$(PATH)
CORES ?= all

.PHONY: setup report test lint clean-venv

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# Debian sources are fetched with apt-get download, which needs package lists.
	@apt-cache show r-cran-janeaustenr >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq; } \
	  || echo "warning: run 'sudo apt-get update' so that apt-get download can fetch the Debian sources"
	touch $@

# Then what the run cost here (textgen run-stats; a failure of that summary does not fail the run).
report: setup
	snakemake --cores $(CORES)
	@-textgen run-stats
	@echo "Report: $(abspath report/index.html)"

# pytest exits 5 when it collects no tests: not a failure of the code under test. The tests run
# on every core (pytest-xdist); tests/conftest.py sends those sharing a fixture to one worker.
test: setup
	python -m pytest -n auto; status=$$?; [ $$status -eq 5 ] && echo "pytest: no tests collected" && status=0; exit $$status

lint: setup
	snakemake --lint

clean-venv:
	rm -rf $(VENV)
