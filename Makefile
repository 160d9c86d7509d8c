# Two set-up commands on a fresh Debian machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_PROCESSES ?= auto

.PHONY: run test install install-dev migrate demo lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

# The embedded default runs with DEBUG on (a local SECRET_KEY under var/) unless DEBUG is set.
LOCAL := DEBUG=$${DEBUG:-1}

migrate: install
	$(LOCAL) $(BIN)/python manage.py migrate --no-input

demo: migrate
	$(LOCAL) $(BIN)/python manage.py seed_demo

run: demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Two processes (pytest-xdist): each has its own test database and cache; the real-worker tests share one.
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run

bench: install-dev
	$(BIN)/python -m tests.bench.lookup
	$(BIN)/python -m tests.bench.admin
	$(BIN)/python -m tests.bench.extracts
	$(BIN)/python -m tests.bench.documents
	$(BIN)/python -m tests.bench.burst
	$(BIN)/python -m tests.bench.seal

clean:
	rm -rf $(VENV) var staticfiles
