# shouhou — `make run` starts everything on this machine, `make test` runs every test.
# Both bootstrap what they need (a venv from requirements*.txt; chromium for the console tests).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
STAGE ?= dev
PYTEST_WORKERS ?= 2
export AWS_DEFAULT_REGION ?= us-east-1

.PHONY: help run test unit integration e2e package bench train lint chromium clean

help:
	@echo "make run          the whole system on http://127.0.0.1:$${PORT:-8000} (embedded AWS, workers, SLA firer)"
	@echo "make test         every test (installs the venv and chromium if missing)"
	@echo "make unit | integration | e2e    one tier of tests"
	@echo "make package      dist/sam.yaml + dist/deployment.zip for STAGE=$(STAGE), checked with cfn-lint"
	@echo "make bench        every bench/bench_*.py"
	@echo "make train        rebuild the triage model data (python -m train.build)"
	@echo "make lint         ruff + import-linter layer contract"

# The venv is rebuilt when requirements change: the stamp is older than either file.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(VENV): $(STAMP)

run: $(STAMP)
	$(PY) -m chalicelib.local

# Chromium for the console (playwright) tests: system package when we can install it, loud warning otherwise.
chromium:
	@if [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "!!!!!!!! WARNING: apt-get install chromium FAILED; browser tests will fail or skip !!!!!!!!"; \
	else \
	  echo "!!!!!!!! WARNING: /usr/bin/chromium missing and not root; install chromium for the browser tests !!!!!!!!"; \
	fi

test: $(STAMP) chromium
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) tests

unit: $(STAMP)
	$(PY) -m pytest -q tests/unit

integration: $(STAMP)
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) tests/integration

e2e: $(STAMP) chromium
	$(PY) -m pytest -q tests/e2e

# chalice package shells out to `pip download` for requirements.txt, so it needs PyPI (or a wheelhouse).
package: $(STAMP)
	rm -rf dist && mkdir -p dist
	$(PY) infra/merge.py dist/merge-template.yaml
	$(VENV)/bin/chalice package --stage $(STAGE) --template-format yaml \
	  --merge-template dist/merge-template.yaml dist/
	$(VENV)/bin/cfn-lint dist/sam.yaml
	@echo "dist/sam.yaml + dist/deployment.zip ($(STAGE)); deploy: sam deploy -t dist/sam.yaml --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM"

bench: $(STAMP)
	@set -e; for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b; done

train: $(STAMP)
	@if [ -d train ] && [ -f train/build.py ]; then $(PY) -m train.build; \
	else echo "train/build.py is not there yet: nothing to train"; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check app.py chalicelib tests bench
	$(VENV)/bin/lint-imports

clean:
	rm -rf dist .pytest_cache
