# ParIndex: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export MPLCONFIGDIR ?= $(CURDIR)/var/matplotlib

.PHONY: setup system-packages run demo-data test lint typecheck format serve clean api-schema

setup: system-packages $(VENV)/.installed

system-packages:
	@bash scripts/system-packages.sh

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

demo-data: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_accounts

# The web server and, beside it, the worker that renders reports in the background (as `serve`).
run: demo-data
	PY=$(PY) bash scripts/with-worker.sh $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup lint typecheck
	$(PY) manage.py check
	$(PY) -m pytest $(PYTEST_ARGS)

# The API's OpenAPI schema, checked into docs/api/ and compared by tests/api/test_schema_and_docs.py.
api-schema: setup
	$(PY) manage.py spectacular --validate --fail-on-warn --file docs/api/openapi.yaml

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# mypy with django-stubs (pyproject.toml): strict on assessments/scoring/ and decimals.py.
typecheck: setup
	$(PY) -m mypy

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3 .pytest_cache .ruff_cache

# Production: DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL come from the environment
# (docs/operations.md). gunicorn, 2 workers, on 127.0.0.1:$(PORT) behind the TLS proxy, and one
# report worker (manage.py db_worker); stopping one stops both.
serve: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	PORT=$(PORT) PY=$(PY) bash scripts/with-worker.sh $(VENV)/bin/gunicorn --config parindex/gunicorn.conf.py --workers $${GUNICORN_WORKERS:-2} --bind 127.0.0.1:$(PORT)
