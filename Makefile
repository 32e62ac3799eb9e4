PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test unit venv package deploy bench clean
STAGE ?= dev

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Portico needs $(PYTHON) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## The portal with demo data on http://127.0.0.1:8000 (embedded moto as AWS).
run: $(STAMP)
	$(BIN)/python -m devstack

## The whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q

## A deployable CloudFormation/SAM template in build/$(STAGE)/ (chalice package + infra/), linted.
package: $(STAMP)
	$(BIN)/python -m infra.generate $(STAGE)
	rm -rf build/$(STAGE)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/chalice package --stage $(STAGE) \
		--merge-template infra/build/resources-$(STAGE).json build/$(STAGE)
	$(BIN)/python -m infra.slim build/$(STAGE)/deployment.zip
	$(BIN)/cfn-lint build/$(STAGE)/sam.json
	@echo "template: build/$(STAGE)/sam.json"

## Deploy to a real AWS account (credentials from your environment):
##   make package STAGE=prod
##   sam deploy --template-file build/prod/sam.json --stack-name portico-prod \
##       --capabilities CAPABILITY_IAM --resolve-s3
## Put the Stripe secrets in SSM first (SecureString):
##   aws ssm put-parameter --type SecureString --name /portico/prod/stripe-secret-key --value sk_live_...
deploy:
	@sed -n '/^## Deploy/,/^deploy:/p' Makefile | sed '$$d' | sed 's/^## \{0,1\}//'

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build infra/build

## Benchmarks (not tests): cold start, DynamoDB calls per route, latency ratios, package size.
bench: $(STAMP)
	$(BIN)/python -m bench
