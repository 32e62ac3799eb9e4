PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check functional unit venv package package-unlinted deploy cli bench clean
STAGE ?= dev

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Portico needs $(PYTHON) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip<26.3"   # chalice 1.34 (its packaging) requires pip below 26.3
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## The portal with demo data on http://127.0.0.1:8000 (embedded moto as AWS).
run: $(STAMP)
	$(BIN)/python -m devstack

## The whole test suite, on every core (pytest-xdist; tests/conftest.py keeps a module, and tests
## sharing a wider fixture, on one worker): what CI runs.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope

## The fast tier while working (under a minute): the pure domain, the use cases on the in-memory
## unit of work, and the repository contract suite (the one tier that touches moto).
check: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope tests/unit tests/contract bench/tests

## Before pushing: every test that starts no live stack, browser or package build, without the
## walks over every route or many generated cases (`slow`).
functional: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope -m "not slow" tests/unit tests/contract tests/functional tests/integration bench/tests

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q

## A deployable CloudFormation/SAM template in build/$(STAGE)/ (chalice package + infra/), linted.
package: package-unlinted
	$(BIN)/cfn-lint build/$(STAGE)/sam.json
	@echo "template: build/$(STAGE)/sam.json"

package-unlinted: $(STAMP)
	$(BIN)/python -m infra.generate $(STAGE)
	rm -rf build/$(STAGE)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/chalice package --stage $(STAGE) \
		--merge-template infra/build/resources-$(STAGE).json build/$(STAGE)
	$(BIN)/python -m infra.passkeys_function build/$(STAGE)/sam.json
	$(BIN)/python -m infra.slim build/$(STAGE)/deployment.zip

## Deploy to the AWS account of your environment (docs/deploy.md): checks credentials, region and
## parameters first, packages, then creates or updates the stack portico-$(STAGE) (or STACK=...).
##   make deploy STAGE=prod PORTAL_URL=https://billing.example.com SENDER=billing@example.com \
##       ALARM_EMAIL=ops@example.com STRIPE_SECRET_PARAMETER=/portico/prod/stripe-secret-key ...
deploy: $(STAMP)
	$(BIN)/python -m infra.deploy $(STAGE) --check
	$(MAKE) package STAGE=$(STAGE)
	$(BIN)/python -m infra.deploy $(STAGE)

## chalicelib.cli against a deployed stack's tables, e.g. creating the first organization:
##   make cli STACK=portico-prod ARGS='create-org --name "Acme" --email billing@acme.example'
cli: $(STAMP)
	@test -n "$(STACK)" || { echo "make cli needs STACK=<stack name> (e.g. portico-prod)"; exit 2; }
	$(BIN)/python -m infra.stack_cli $(STACK) $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build infra/build

## Benchmarks (not tests), written to bench/RESULTS.md: the package and its cold start, warm CPU and
## request units per route, the monthly cost, DynamoDB calls per route, a scheduled run, a load run.
bench: package-unlinted
	$(BIN)/python -m bench --package build/$(STAGE)/deployment.zip
