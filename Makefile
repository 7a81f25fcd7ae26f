# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALL_INPUTS := pyproject.toml requirements.lock setup.py headless_store/_native/stackcache.c
STAMP := $(VENV)/.installed-$(shell cat $(INSTALL_INPUTS) | sha1sum | cut -c1-12)
PYTEST_ARGS ?=

NODE_STAMP := frontend_contract/node_modules/.installed

.PHONY: install demo serve worker test oa-suite lint migrate demo-data schema types package clean

$(STAMP): $(INSTALL_INPUTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# npm's cache first (a machine that installed once needs no network: the lockfile pins every
# package and its hash), the registry only for what the cache lacks.
$(NODE_STAMP): frontend_contract/package.json frontend_contract/package-lock.json
	cd frontend_contract && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) $(NODE_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py oscar_accounts_init

demo-data: migrate
	DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py load_demo_data

PORT ?= 8000

## make demo [PORT=8000]: install, migrate, load demo data, serve on http://127.0.0.1:$(PORT) (SQLite), with a
## task worker beside the server (webhooks, loyalty points, card captures, the periodic sweeps).
## DEBUG is on for every step (the sandbox card processor is refused without it).
demo: export DEBUG := 1
demo: demo-data
	DEBUG=1 $(BIN)/python manage.py schedule_tasks
	DEBUG=1 $(BIN)/python manage.py db_worker --interval 1 --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make serve: production: migrate, collect static files (hashed, compressed), serve with gunicorn.
## Settings come from the environment (deploy/production.env shows them); PostgreSQL and Redis.
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py oscar_accounts_init
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py schedule_tasks
	$(BIN)/gunicorn -c gunicorn.conf.py headless_store.wsgi

## make worker: a background task worker (run one or more beside `make serve`; same settings):
## db_worker, or with TASK_BACKEND=rq an rq worker with the scheduler
worker: install
	@if [ "$${TASK_BACKEND:-database}" = rq ]; then exec $(BIN)/python manage.py rqworker default --with-scheduler; \
	else exec $(BIN)/python manage.py db_worker; fi

## make test: install and run the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

## make oa-suite: django-oscar-accounts 3.0.1's own tests (its sdist from PyPI, sha256-pinned, never kept here)
## against our oscar_accounts package; deliberate differences in tests/oa_suite/differences.txt; prints the pass count
oa-suite: install
	$(BIN)/python tests/oa_suite/run.py $(OA_SUITE_ARGS)

## make lint: ruff over the project, and the import-direction contracts in pyproject.toml (CI runs it before the suite)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache --no-logo

## make schema: regenerate the SDL, the persisted-operations manifest and the TypeScript types
schema: install
	$(BIN)/python -m frontend_contract.contract --write
	$(MAKE) types

types: $(NODE_STAMP)
	cd frontend_contract && npx graphql-codegen --config codegen.yml

## make package: the contract as an npm package (typed documents and types, manifests, schema):
## frontend_contract/build/headless-store-frontend-contract-<version>.tgz, for `npm install <tarball>`
package: $(NODE_STAMP)
	cd frontend_contract && npm run --silent package

clean:
	rm -rf $(VENV) .venv-oa db.sqlite3 .pytest_cache .hypothesis frontend_contract/node_modules
