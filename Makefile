# ConnectorOperator developer entry points. `make help` lists them.
SHELL := /bin/bash
CONFIGURATION ?= Release
SOLUTION := ConnectorOperator.sln
RESULTS := artifacts/test-results
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
# Release packaging: trimmed, self-contained, ReadyToRun (the Dockerfile publishes with the same flags).
PUBLISH_FLAGS := -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true -p:PublishReadyToRun=true
PUBLISH_DIR := artifacts/publish
DOCKER ?= docker
IMAGE_REGISTRY ?= ghcr.io/connectoroperator
VERSION ?= 0.1.0
OPERATOR_IMAGE ?= $(IMAGE_REGISTRY)/connector-operator:$(VERSION)
CONNECTOR_IMAGE ?= $(IMAGE_REGISTRY)/connector:$(VERSION)
CHART_CRDS := charts/connector-operator/crds

.PHONY: help restore build test run fmt fmt-check bench bench-scale loadbench chaos fuzz manifests publish image clean tools

help:
	@echo "make run        run the operator (no cluster configured: the local cluster with a demo bot and consumers)"
	@echo "make test       build and run every test project; prints 'N passed, N failed'"
	@echo "make build      build the solution ($(CONFIGURATION))"
	@echo "make fmt        format the code (fmt-check verifies, as CI does)"
	@echo "make bench      run the benchmarks (results in docs/benchmarks.md)"
	@echo "make bench-scale  100 and 1,000 AgentConnectors against the operator as it ships (docs/benchmarks/scale.json)"
	@echo "make loadbench  one connector process under 50/200/500 conversations (table in artifacts/loadbench.md)"
	@echo "make chaos      200 AgentConnectors, then 10 real connectors with consumers, under API and watch faults, crashes and leader kills; fails on any violation"
	@echo "make fuzz       10,000 generated AgentConnector specs through the API server double and the SpecValidator (FUZZ_CASES, FUZZ_SEED)"
	@echo "make manifests  regenerate config/crd from the C# types (and the Helm chart's copy)"
	@echo "make publish    trimmed self-contained builds of the operator and the connector into $(PUBLISH_DIR)/"
	@echo "make image      docker build both images ($(OPERATOR_IMAGE), $(CONNECTOR_IMAGE))"
	@echo "make clean      remove build outputs"

# Node packages for the CEL evaluator the API server double and the CRD tests use.
tools: tools/cel/node_modules/.package-lock.json

tools/cel/node_modules/.package-lock.json: tools/cel/package.json tools/cel/package-lock.json
	cd tools/cel && npm ci --no-audit --no-fund --loglevel=error

restore:
	$(DOTNET) restore $(SOLUTION)

build: restore
	$(DOTNET) build $(SOLUTION) -c $(CONFIGURATION) --no-restore -nologo

test: tools build
	@rm -rf $(RESULTS)
	@status=0; \
	$(DOTNET) test $(SOLUTION) -c $(CONFIGURATION) --no-build -nologo \
	  --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS) || status=$$?; \
	scripts/test-summary.sh $(RESULTS) || status=1; \
	exit $$status

# The launcher runs the operator against a configured cluster, or starts the local cluster with a demo; the
# local cluster's kubelet runs the connector build as each pod's container.
run: tools
	$(DOTNET) build src/ConnectorOperator.Connector -c $(CONFIGURATION) -nologo -v q
	$(DOTNET) run --project src/ConnectorOperator.Dev -c $(CONFIGURATION) -- $(ARGS)

fmt:
	$(DOTNET) format $(SOLUTION) --no-restore

fmt-check:
	$(DOTNET) format $(SOLUTION) --verify-no-changes --no-restore

bench:
	$(DOTNET) run --project bench/ConnectorOperator.Benchmarks -c Release -- $(ARGS)

# The operator as it ships (trimmed, self-contained, ReadyToRun), its own process, against the API server double, the
# simulated kubelet and fake connectors; writes docs/benchmarks/scale.json. ARGS="--connectors 100 --steady 10s".
bench-scale:
	$(DOTNET) publish src/ConnectorOperator/ConnectorOperator.csproj $(PUBLISH_FLAGS) -nologo -o $(PUBLISH_DIR)/connector-operator
	$(DOTNET) run --project bench/ConnectorOperator.ScaleBench -c Release -- --operator $(PUBLISH_DIR)/connector-operator/connector-operator $(ARGS)

# The connector runs as a child process of the bench (built alongside it); ARGS="--conversations 50 --duration 10s".
loadbench:
	$(DOTNET) run --project bench/ConnectorOperator.LoadBench -c Release -- $(ARGS)

# Two operator processes against the API server double under faults (docs/benchmarks.md): 200 AgentConnectors of fake
# connectors, then 10 real connectors with consumers; ARGS="--connectors 20 --duration 60s" or ARGS="--real-connectors 10" runs one.
chaos: tools
	$(DOTNET) run --project bench/ConnectorOperator.Chaos -c Release -- $(ARGS)

# The CI test runs 1,000 cases; this is the long run (docs/benchmarks.md). FUZZ_CASES=50000 FUZZ_SEED=7 to vary it.
FUZZ_CASES ?= 10000
FUZZ_SEED ?= 11
fuzz: tools
	@mkdir -p artifacts
	CONNECTOR_OPERATOR_FUZZ_CASES=$(FUZZ_CASES) CONNECTOR_OPERATOR_FUZZ_SEED=$(FUZZ_SEED) CONNECTOR_OPERATOR_FUZZ_REPORT=$(CURDIR)/artifacts/spec-fuzz.txt \
	  $(DOTNET) test tests/ConnectorOperator.Tests -c Release -nologo --filter "FullyQualifiedName~SpecFuzzTests.Generated_specs" --logger "console;verbosity=normal"
	@cat artifacts/spec-fuzz.txt

manifests:
	$(DOTNET) run --project src/ConnectorOperator -c $(CONFIGURATION) -- manifests --output config/crd
	mkdir -p $(CHART_CRDS)
	rm -f $(CHART_CRDS)/*.yaml
	cp config/crd/bases/*.yaml $(CHART_CRDS)/

publish:
	$(DOTNET) publish src/ConnectorOperator/ConnectorOperator.csproj $(PUBLISH_FLAGS) -nologo -o $(PUBLISH_DIR)/connector-operator
	$(DOTNET) publish src/ConnectorOperator.Connector/ConnectorOperator.Connector.csproj $(PUBLISH_FLAGS) -nologo -o $(PUBLISH_DIR)/connector

image:
	$(DOCKER) build --target operator -t $(OPERATOR_IMAGE) .
	$(DOCKER) build --target connector -t $(CONNECTOR_IMAGE) .

clean:
	$(DOTNET) clean $(SOLUTION) -nologo -v q
	rm -rf artifacts .local
