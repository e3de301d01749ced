# ConnectorOperator developer entry points. `make help` lists them.
SHELL := /bin/bash
CONFIGURATION ?= Release
SOLUTION := ConnectorOperator.sln
RESULTS := artifacts/test-results
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help restore build test run fmt fmt-check bench manifests clean tools

help:
	@echo "make run        run the operator (no cluster configured: the local cluster with a demo bot and consumers)"
	@echo "make test       build and run every test project; prints 'N passed, N failed'"
	@echo "make build      build the solution ($(CONFIGURATION))"
	@echo "make fmt        format the code (fmt-check verifies, as CI does)"
	@echo "make bench      run the benchmarks (results in docs/benchmarks.md)"
	@echo "make manifests  regenerate config/crd from the C# types"
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

manifests:
	$(DOTNET) run --project src/ConnectorOperator -c $(CONFIGURATION) -- manifests --output config/crd

clean:
	$(DOTNET) clean $(SOLUTION) -nologo -v q
	rm -rf artifacts .local
