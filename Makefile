# The two commands a fresh machine needs: `make run` (the service) and `make test` (the suite).
SEAL_HOME ?= $(HOME)/.cache/seal-service
VENV ?= $(SEAL_HOME)/venv
PY := $(VENV)/bin/python
export SEAL_HOME

.PHONY: setup run test test-fast lint bench-latency bench-knowledge bench-guards bench-forgetting

setup:
	@bash scripts/setup.sh

run: setup
	$(PY) -m core.launcher

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not e2e"

lint: setup
	$(PY) -m ruff check .

bench-latency: setup
	$(PY) bench/teach_latency.py

bench-knowledge: setup
	$(PY) bench/knowledge.py --passages 30

bench-guards: setup
	$(PY) bench/guards.py

bench-forgetting: setup
	$(PY) bench/forgetting.py --steps 8 --k 1
