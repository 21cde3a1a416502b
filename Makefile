# The two commands a fresh machine needs: `make run` (the service) and `make test` (the suite).
SEAL_HOME ?= $(HOME)/.cache/seal-service
VENV ?= $(SEAL_HOME)/venv
PY := $(VENV)/bin/python
export SEAL_HOME

.PHONY: setup run test test-fast lint bench-latency bench-knowledge bench-objectives bench-outer-loop bench-guards bench-forgetting bench-console bench-reliability

setup:
	@bash scripts/setup.sh

run: setup
	$(PY) -m core.launcher

# The tests run only on a tree that lints clean (CI runs `make test`).
test: lint
	$(PY) -m pytest

test-fast: lint
	$(PY) -m pytest -m "not e2e"

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench-latency: setup
	$(PY) bench/teach_latency.py

bench-knowledge: setup
	$(PY) bench/knowledge.py --passages 30 --conditions base,raw,default,noise --resume

bench-objectives: setup
	$(PY) bench/objectives.py --passages 6 --resume

bench-outer-loop: setup
	$(PY) bench/outer_loop.py --passages 30 --k 2 --rounds 2 --resume

bench-guards: setup
	$(PY) bench/guards.py

bench-forgetting: setup
	$(PY) bench/forgetting.py --steps 8 --k 3

bench-console: setup
	$(PY) bench/console.py

# As root on an otherwise idle machine: it starts its own PostgreSQL and mounts a tmpfs.
bench-reliability: setup
	$(PY) bench/reliability.py --clients 20 --think-s 5
