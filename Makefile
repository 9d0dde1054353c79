# xuefa: `make run` runs it with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format bench clean browsers

$(STAMP): pyproject.toml constraints.txt
	@echo "installing into $(VENV) (log: $(VENV)/install.log)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]' >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@touch $(STAMP)

# axe-core for the accessibility check of the browser tests (test-only, into the ignored node_modules/).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: install
	@$(PY) -m config.run

test: install node_modules/.package-lock.json
	$(PY) tests/run.py $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	@test -n "$(NAME)" || (echo 'usage: make bench NAME=training_hr|reports_compliance|quizzes_start_and_save|notifications_pace'; exit 2)
	$(PY) bench/$(NAME).py $(ARGS)

clean:
	rm -rf var staticfiles test-artifacts
