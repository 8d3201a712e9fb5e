# ionzoo — set-up and everyday commands. Every target creates what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BENCH_VENV := .venv-bench

.PHONY: demo test test-fast lint typecheck bench docs clean browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed package + runtime deps (re-run when pyproject.toml changes).
$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# ... plus the test extras (pytest, NEURON, ruff).
$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.stamp-run

## demo: install and run the main job (HH under a 10 µA/cm² step: summary + out/hh_demo.png)
demo: $(VENV)/.stamp-run
	$(BIN)/python -m ionzoo.demo --out out

## browser-deps: Debian's chromium and chromium-driver for the explorer's browser tests and
## screenshots (installed with apt as root, or through sudo, when missing)
APT := DEBIAN_FRONTEND=noninteractive apt-get
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(APT) update -qq && $(APT) install -y -qq chromium chromium-driver; \
	elif command -v sudo >/dev/null; then sudo $(APT) update -qq && \
		sudo $(APT) install -y -qq chromium chromium-driver; \
	else echo "browser-deps: installing chromium and chromium-driver needs root" >&2; exit 1; fi

# Two worker processes, each taking whole test files (so a module's fixtures are computed once):
# most of the suite is single-threaded; NEURON mechanisms and kernels compile once per
# content into the shared cache (built privately, renamed into place).
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

## test: install with test extras, lint, type-check, and run the whole test suite
test: $(VENV)/.stamp-test browser-deps
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/python -m mypy
	$(PYTEST)

## test-fast: the unit tier (no NEURON, jNeuroML, browser or slow tests)
test-fast: $(VENV)/.stamp-test
	$(PYTEST) -m "not neuron and not jneuroml and not browser and not slow"

typecheck: $(VENV)/.stamp-test
	$(BIN)/python -m mypy

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check src tests benchmarks docs

## docs: run the tutorials, regenerate their figures and the channel/model reference pages
docs: $(VENV)/.stamp-test browser-deps
	$(BIN)/python docs/build.py
	$(BIN)/python docs/build.py --out docs/howto docs/howto/*.md
	$(BIN)/python docs/gen_reference.py
	$(BIN)/python docs/notebooks.py
	$(BIN)/python docs/explorer_screenshots.py

# The peers (NEURON, Brian2, Jaxley) live in their own environment: Brian2 needs numpy < 2.4.
$(BENCH_VENV)/.stamp: benchmarks/requirements-peers.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r benchmarks/requirements-peers.txt
	touch $@

## bench: ionzoo vs NEURON, Brian2 (cpp_standalone) and Jaxley in one run -> docs/benchmarks.md
bench: $(VENV)/.stamp-run $(BENCH_VENV)/.stamp
	$(BIN)/python benchmarks/run.py --peers-python $(BENCH_VENV)/bin/python \
		--write docs/benchmarks.md
	$(BIN)/python benchmarks/explorer_latency.py --write docs/benchmarks.md

clean:
	rm -rf $(VENV) $(BENCH_VENV) out build *.egg-info src/*.egg-info
