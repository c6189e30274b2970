# Council housing services back end. `make run` starts the local cloud; `make test` runs every test.
# Everything else (`tools`) is installed on demand: Java 17 and Chromium with apt when run as root, the pinned Node
# tools (CDK CLI, DynamoDB Local, SQS emulator, axe-core) into .tools/ with npm ci.

SHELL        := /bin/bash
GO           ?= go
FUNCTIONS    := $(notdir $(patsubst %/,%,$(wildcard functions/*/)))
TOOLS_STAMP  := .tools/.installed
CDK          := .tools/node_modules/.bin/cdk
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true
# Lambda build: Linux on Graviton, static, no RPC shim, reproducible and small.
LAMBDA_ENV   := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LAMBDA_FLAGS := -tags lambda.norpc -trimpath -ldflags "-s -w"
# The deployment's configuration (infra/config): `make deploy CONFIG=infra/config/council.json`; CONTEXT adds
# CDK context, e.g. CONTEXT='-c alarmEmail=ops@northtown.gov.uk -c region=eu-west-2'.
CONFIG       ?= infra/config/example.json
CDK_CONTEXT  := -c config=$(CONFIG) $(CONTEXT)

.PHONY: run test build synth deploy bench clean tools java node css chromium

run: tools ## Start the local cloud with every function on http://127.0.0.1:3000 (LOCAL_PORT changes it)
	@$(GO) build -o .local/local-cloud ./infra/local
	@.local/local-cloud

# BROWSER_TESTS=required: the browser tests (shared/transport/residentweb/browser) fail here without Chromium
# or axe-core, where run alone they skip.
test: export BROWSER_TESTS := required
test: tools ## Unit, integration (DynamoDB Local + SQS emulator + real binaries), browser and CDK assertion tests
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...
	@GO=$(GO) .ci/fuzz $(FUZZ_SMOKE) $(FUZZ_TARGETS)

build: $(addprefix dist/,$(addsuffix /bootstrap,$(FUNCTIONS))) ## Lambda binaries: dist/<fn>/bootstrap

dist/%/bootstrap: FORCE
	@mkdir -p $(@D)
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $@ ./functions/$*

FORCE:

synth: tools build ## CloudFormation template in cdk.out (offline), with CONFIG (default: the example configuration)
	$(CDK) synth --no-notices -q $(CDK_CONTEXT)

# The check runs first and alone: a missing setting or a placeholder stops here, before any AWS call. The app
# checks again under -c strict=true.
deploy: ## Check CONFIG, then deploy with your AWS credentials (first time: cdk bootstrap)
	$(GO) run ./infra/cdk check $(CDK_CONTEXT)
	@$(MAKE) --no-print-directory tools build
	$(CDK) deploy --all --no-notices --require-approval broadening $(CDK_CONTEXT) -c strict=true

# -p 1: one package at a time, so the cold-start timings (infra/coldstartbench) share the machine with no other benchmark.
bench: tools ## Benchmarks (reminder query cost at 1,000 and 100,000 open deadlines, calendar, Lambda cold start)
	$(GO) test -p 1 -run '^$$' -bench . -benchtime 3x -timeout 45m ./...

# Fuzz targets, one per parser of outside input (package:FuzzName). `make test` runs each for FUZZ_SMOKE (from its
# seed corpus and a little beyond); `make fuzz` for FUZZTIME each, one after another (FUZZ_FLAGS=-parallel=1
# leaves a core free). A failing input is kept in the package's testdata/fuzz/ and rerun by `go test`.
FUZZ_TARGETS := \
	./shared/transport/httpapi:FuzzParseGroups \
	./shared/transport/httpapi:FuzzStaffRouteAuth \
	./shared/transport/webhook:FuzzVerify \
	./shared/adapters/dynamo:FuzzPageToken \
	./shared/rules/register:FuzzMoney \
	./shared/transport/asbapi:FuzzASBReportBody \
	./shared/transport/asbapi:FuzzOutOfHoursWebhook \
	./shared/transport/complaintsapi:FuzzComplaintBody \
	./shared/transport/registerapi:FuzzEligibilityBody \
	./shared/transport/registerapi:FuzzApplicationBody \
	./shared/transport/notifyapi:FuzzDeliveryReceiptBody \
	./shared/transport/staffweb:FuzzReturnPath \
	./shared/rules/validate:FuzzStructMatchesReference \
	./shared/rules/complaints:FuzzLetterRendersAsTheTemplatesDid \
	./shared/rules/htmltext:FuzzEscapeIsWhatHTMLTemplateWrites
FUZZ_SMOKE   ?= 2s
FUZZTIME     ?= 5m

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZTIME (default 5m) each, one after another
	@GO=$(GO) .ci/fuzz $(FUZZTIME) $(FUZZ_TARGETS)

# The resident pages' styles: GOV.UK Frontend compiled with the pinned Sass (infra/tools). The result is committed
# (shared/web/assets/app.css, embedded in the binaries), so a fresh clone builds without Node; a test in
# shared/transport/web fails when it is stale.
css: tools ## Rebuild shared/web/assets/app.css from shared/web/styles/app.scss
	.tools/node_modules/.bin/sass --style=compressed --no-source-map --load-path=.tools/node_modules \
	  shared/web/styles/app.scss shared/web/assets/app.css

clean: ## Remove build output and local data (.local/, dist/, cdk.out/)
	rm -rf .local dist cdk.out

tools: java node chromium $(TOOLS_STAMP)

$(TOOLS_STAMP): infra/tools/package.json infra/tools/package-lock.json
	@mkdir -p .tools
	cp infra/tools/package.json infra/tools/package-lock.json .tools/
	cd .tools && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

java:
	@if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Java 17 (openjdk-17-jre-headless) for DynamoDB Local..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else echo "DynamoDB Local needs Java 17+: sudo apt-get install openjdk-17-jre-headless"; exit 1; fi; \
	fi

# Debian's chromium for the browser tests (headless; they pass --no-sandbox when run as root).
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && [ -z "$$CHROMIUM" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium (chromium) for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium (or set CHROMIUM to a Chrome binary)"; exit 1; fi; \
	fi

node:
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null || \
	  { echo "Node.js 20 or newer is needed (https://nodejs.org or your package manager)"; exit 1; }
