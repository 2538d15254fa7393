# Playbook — common tasks. `make serve` builds and serves the sample site;
# `make test` runs every test (Go, race detector, browser).
GO      ?= go
BIN     := bin/playbook
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: all build serve site test vet fmt bench fuzz clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/playbook

# Build the sample knowledge base in content/ and serve it on http://127.0.0.1:1313/
serve: build
	$(BIN) serve -s .

# Build the sample site into public/ only.
site: build
	$(BIN) build -s .

test: vet
	$(GO) test -race -count=1 ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Measure builds of synthetic 1k and 10k page sites (zh and en) with the binary
# `make build` makes, and rewrite BENCHMARKS.md from the runs. 3 measured runs
# per site keep it to about 5 minutes on 2 cores; benchsite's default is 5.
bench: build
	$(GO) run ./cmd/benchsite -bin $(BIN) -runs 3 -out BENCHMARKS.md

# Fuzz each parser for FUZZTIME: front matter, markdown, playbook.yaml,
# synonyms.yaml and search queries. The markdown files under CORPUS (if it
# exists) seed the front matter and markdown targets; an input that fails
# is saved under the package's testdata/fuzz/ and fails `make test` from
# then on. CI runs it with FUZZTIME=10s after `make test`.
FUZZTIME ?= 60s
CORPUS   ?= $(wildcard /work/shared/corpus/docs-cn)
FUZZ     := ./builder/content:FuzzParse ./builder/markdown:FuzzRender ./builder/config:FuzzParse \
            ./search:FuzzParseSynonyms ./search:FuzzQuery

fuzz:
	@for t in $(FUZZ); do \
	  echo "fuzz $${t%%:*} $${t##*:} for $(FUZZTIME)"; \
	  PLAYBOOK_CORPUS='$(CORPUS)' $(GO) test $${t%%:*} -run '^$$' -fuzz "^$${t##*:}$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

clean:
	rm -rf bin public
