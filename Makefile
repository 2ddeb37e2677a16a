# The navigator's two commands: `make run` and `make test`. Each installs what
# it needs first (idempotently: a step whose inputs did not change is skipped).
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := .tools/bin/uv
PY := .venv/bin/python

.PHONY: help install install-api install-frontend install-bot train run run-cluster test lint bench

help:
	@echo "make run    install everything, train the bot if needed, start api + Rasa + action server"
	@echo "make run-cluster  the production-shaped stack on this machine: HAProxy, 2 api, 2 Rasa, PostgreSQL, Redis"
	@echo "make test   install everything, train the bot if needed, lint and run the whole test suite"
	@echo "make bench  run the benchmarks in bench/ (prints figures)"

$(UV):
	@echo "==> Bootstrapping uv (the api's package manager) into .tools/"
	@scripts/find-python.sh 3.11 >/dev/null
	@"$$(scripts/find-python.sh 3.11)" -m venv .tools
	@.tools/bin/pip install --progress-bar on --disable-pip-version-check -q uv==0.13.9

install-api: $(UV)
	@echo "==> Installing the api environment (.venv, Python 3.11) from uv.lock"
	@UV_PYTHON="$$(scripts/find-python.sh 3.11)" $(UV) sync --frozen

install-frontend:
	@echo "==> Installing the chat page's front-end assets (nhsuk-frontend)"
	@scripts/build-frontend.sh

install-bot:
	@echo "==> Installing the bot environment (bot/.venv, Python 3.10, Rasa 3.6)"
	@scripts/bot-setup.sh

install: install-api install-frontend install-bot

train: install-api install-bot
	@echo "==> The bot's offline contacts, from the service records (bot/actions/offline_contacts.txt)"
	@$(PY) scripts/offline-contacts.py
	@echo "==> Training the Rasa model (skipped when the training data has not changed)"
	@scripts/bot-train.sh

run: install train
	@scripts/run.sh

run-cluster: install train
	@scripts/run-cluster.sh

lint: install-api
	@echo "==> ruff and mypy"
	@.venv/bin/ruff check api pathways knowledge tests bench scripts
	@.venv/bin/mypy

test: install train lint
	@echo "==> Making sure Debian's chromium is there for the browser tests"
	@scripts/ensure-chromium.sh
	@echo "==> Running the test suite"
	@$(PY) -m pytest

bench: install train
	@$(PY) bench/bench_engine.py
	@$(PY) bench/bench_api.py
	@$(PY) bench/bench_chat.py
	@$(PY) bench/bench_reading.py
	@$(PY) bench/bench_redaction.py
