# 公开通 — two commands on a fresh machine: `make run` and `make test` (`make test-fast` for the inner loop).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export FLASK_APP = wsgi.py

.PHONY: run test test-fast install install-dev migrate seed lint bench clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

migrate: install
	$(BIN)/flask db upgrade
	$(BIN)/flask --app portal_wsgi db upgrade

seed: migrate
	$(BIN)/flask seed-demo --if-empty

## run: the intranet (http://127.0.0.1:5000), the public portal (http://127.0.0.1:5001) and the
## outbox worker that pushes published documents to it, on SQLite in ./instance (Procfile, honcho)
run: seed
	$(BIN)/flask outbox ensure-secret >/dev/null
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile

## test: the whole suite (PostgreSQL when TEST_DATABASE_URL is set, browser when Chromium is found)
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-fast: the inner loop — unit + integration tests on SQLite only, no browser, no PostgreSQL
test-fast: install-dev
	CI= TEST_DATABASE_URL= $(BIN)/python -m pytest tests/unit tests/integration -q -m "not browser" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check webapp tests bench portal gkt_protocol

bench: install-dev
	$(BIN)/python bench/queue_bench.py

clean:
	rm -rf $(VENV) .pytest_cache test-results
