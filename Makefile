# dbm: the two commands a newcomer runs are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift

.PHONY: all build release demo test bench fuzz servers-start servers-stop clean deps

all: build

deps:
	@scripts/install-deps.sh

## build: debug build of dbm-server and dbm-client
build: deps
	$(SWIFT) build

## release: optimized build of both tools (.build/release/dbm-server, .build/release/dbm-client)
release: deps
	$(SWIFT) build -c release

## demo: the tour on an embedded SQLite database, no server needed
demo: deps
	@scripts/demo.sh

## test: every package's tests, the integration tests and the Python client, against real servers
test:
	@scripts/run-tests.sh

## bench: the benchmarks next to the reference tools; figures go to Docs/benchmarks.md
bench: deps
	@scripts/bench.sh

## fuzz: libFuzzer on the JSON-RPC decoder for FUZZ_SECONDS (default 60); findings go to Tests/Fuzz/corpus
fuzz:
	@scripts/fuzz.sh

servers-start:
	@scripts/test-servers.sh start
servers-stop:
	@scripts/test-servers.sh stop

clean:
	rm -rf .build .tmp Packages/*/.build
