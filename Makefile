# Outcome Coach — the two commands of the README, plus the house checks.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
TOOLS  ?= .tools
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: serve test check lint types install install-dev browser-deps bench clean client client-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Run the product: the server with the widget demo page on http://$(HOST):$(PORT)/
serve: $(VENV)/.installed
	$(BIN)/coach ingest --quiet
	$(BIN)/coach serve --host $(HOST) --port $(PORT)

## Real Chromium for the browser tests (Debian package; never a downloaded browser)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || ( \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null )

## The client generator's own environment (pinned in clients/python/requirements-generator.txt, apart from the app's)
$(TOOLS)/.installed: clients/python/requirements-generator.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet -r clients/python/requirements-generator.txt
	touch $@

client-tools: $(TOOLS)/.installed

## Regenerate the typed Python client (clients/python) from the app's OpenAPI document; commit the result
client: $(VENV)/.installed $(TOOLS)/.installed
	$(BIN)/python clients/python/generate.py

## Run the whole test suite
test: $(VENV)/.installed-dev browser-deps client-tools
	@$(BIN)/python -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$rc

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check coach api tests bench examples clients/python/generate.py
	$(BIN)/ruff format --check coach api tests bench examples clients/python/generate.py

types: $(VENV)/.installed-dev
	$(BIN)/mypy

check: lint types test

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) $(TOOLS) .coach-data .pytest_cache .mypy_cache .ruff_cache
