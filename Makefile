# Two commands work on a fresh machine: `make serve` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= $(or $(MOCKAPI_PORT),8000)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml tests/constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: serve test install contracts bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml tests/constraints.txt
	$(PY) -m pip install -q -c tests/constraints.txt -e '.[test,fast]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## make serve: run the mock with embedded defaults on 127.0.0.1:$(PORT)
serve: $(STAMP)
	$(VENV)/bin/mockapi serve --port $(PORT)

## make test: install everything the suite needs, then run the whole suite
test: $(STAMP)
	bash scripts/ensure-system-deps.sh
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

## make contracts: regenerate contracts/openapi.json from the installed openai SDK, and COVERAGE.md
contracts: $(STAMP)
	$(PY) -m mockapi.contractgen
	$(PY) -m mockapi.contractgen.coverage_table

## make bench: run the benchmarks under bench/ (bench/README.md says what each measures)
bench: $(STAMP)
	$(PY) bench/perf_guard.py
	$(PY) bench/bench_scale.py
	$(PY) bench/bench_batch.py
	$(PY) bench/run.py --rounds 3  # every server three times, in turn: medians move less than one run

clean:
	rm -rf $(VENV) .venv-* .pytest_cache .hypothesis
