# 幸福家园 Happy Home — `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run prod demo-loop test test-backend test-miniprogram screenshots seed-district bench bench-scale bench-notify bench-ledger lint format openapi migrate worker clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Serve the API, the fake WeChat and demo data (SQLite under var/) at http://127.0.0.1:8000
run: install
	$(BIN)/python -m backend

## The README's curl walkthrough as a script, against a running `make run` (DEMO_API to point elsewhere)
DEMO_API ?= http://127.0.0.1:8000/api/v1
demo-loop:
	bash scripts/demo-loop.sh $(DEMO_API)

## Production: migrate, then serve with uvicorn workers (settings from the environment; APP_ENV=prod)
WORKERS ?= 4
HOST ?= 127.0.0.1
PORT ?= 8000
prod: install
	$(BIN)/alembic upgrade head
	$(BIN)/uvicorn backend.app:create_app --factory --workers $(WORKERS) --host $(HOST) --port $(PORT) --no-access-log --no-proxy-headers

## The whole suite: backend (PostgreSQL too when TEST_DATABASE_URL is set), then the mini-program
test: install
	$(BIN)/python -m pytest
	cd miniprogram && npm ci --no-audit --no-fund && npm test

test-backend: install
	$(BIN)/python -m pytest

test-miniprogram:
	cd miniprogram && npm ci --no-audit --no-fund && npm test

## Every page of the mini-program in its main states, standard and 长辈模式, shot with Debian's Chromium
## (apt-get install -y chromium fonts-noto-cjk) into miniprogram/screenshots/; fails when a screen
## breaks the standard (text size, contrast, tap targets: miniprogram/README.md). SHOT_ONLY=<name part>
screenshots:
	cd miniprogram && npm ci --no-audit --no-fund && node tools/screenshots/run.js

## Style, the layer contract (import-linter: dependencies run one way, no cycles), function length,
## and ESLint on the mini-program (undefined names, unused variables: miniprogram/eslint.config.js)
lint: install
	$(BIN)/ruff check backend tests bench scripts migrations/env.py
	$(BIN)/ruff format --check backend tests bench scripts migrations/env.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/function_lengths.py --max 60
	cd miniprogram && { test -d node_modules/eslint || npm ci --no-audit --no-fund; } && npx eslint .

format: install
	$(BIN)/ruff format backend tests bench scripts migrations/env.py
	$(BIN)/ruff check --fix backend tests bench scripts migrations/env.py

## Write openapi/openapi.json from the app (a test fails when it drifts)
openapi: install
	$(BIN)/python -m backend.openapi_export

migrate: install
	APP_ENV=$${APP_ENV:-dev} $(BIN)/alembic upgrade head

## The background sweeper on its own (make run starts it in-process in dev; APP_ENV defaults to dev here too)
worker: install
	APP_ENV=$${APP_ENV:-dev} $(BIN)/python -m backend.worker

## One synthetic district in PostgreSQL (DATABASE_URL=postgresql+asyncpg://…; SCALE=0.01 for a small one)
SCALE ?= 1
seed-district: install
	APP_ENV=$${APP_ENV:-dev} $(BIN)/python -m backend.scale.seed --scale $(SCALE) $(if $(RESET),--reset,)

## Mixed load on PostgreSQL against a bare Starlette + asyncpg baseline (bench/README.md)
BENCH_WORKERS ?= 2
bench: install
	$(BIN)/python bench/load.py --workers $(BENCH_WORKERS) $(BENCH_ARGS)

## Wall, my wishes and detail at 10k, 100k and 1M wishes; candidate ranking at 20, 200, 2,000 members
SCALES ?= 0.01,0.1,1
bench-scale: install
	$(BIN)/python bench/scale_curve.py --scales $(SCALES) $(BENCH_ARGS)

## Notification delivery rate, 1 and 2 workers, fake WeChat at 0 and 50 ms
bench-notify: install
	$(BIN)/python bench/notify_bench.py

## A 100,000-row ledger export: time and peak memory
bench-ledger: install
	$(BIN)/python bench/ledger_bench.py

clean:
	rm -rf var .pytest_cache .ruff_cache
