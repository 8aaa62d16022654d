# Build, lint and test kvrpcd. `make test` is what CI runs.

GO          ?= go
GOBIN       := $(shell $(GO) env GOPATH)/bin
STATICCHECK := $(GOBIN)/staticcheck
FUZZTIME    ?= 10s

.PHONY: all deps fmt-check vet staticcheck lint test build fuzz clean

all: lint build

# deps: install redis-server, redis-tools and staticcheck when missing
deps:
	bash scripts/install-test-deps.sh

# fmt-check: fail when any file is not gofmt-formatted
fmt-check:
	@out="$$(gofmt -l .)"; \
	if [ -n "$$out" ]; then \
		echo "gofmt needed on:"; echo "$$out"; exit 1; \
	fi

vet:
	$(GO) vet ./...

staticcheck:
	$(STATICCHECK) ./...

# lint: gofmt, go vet and staticcheck
lint: fmt-check vet staticcheck

# test: install deps, lint, then run every test with the race detector
test: deps lint
	$(GO) test -race -count=1 -timeout 30m ./...

# build: the daemon, statically linked, into bin/kvrpcd
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/kvrpcd ./cmd/kvrpcd

# fuzz: a short run of every fuzz target (FUZZTIME each)
fuzz:
	@set -e; \
	for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

clean:
	rm -rf bin

.PHONY: bench bench-quick

# bench: compare kvrpcd's loop models with redis-server (redis-benchmark); writes docs/bench
bench:
	$(GO) run ./bench

# bench-quick: the same, with fewer requests and one round (under 40 s)
bench-quick:
	$(GO) run ./bench --quick
