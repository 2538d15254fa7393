# Playbook — common tasks. `make serve` builds and serves the sample site;
# `make test` runs every test (Go, race detector, browser).
GO      ?= go
BIN     := bin/playbook
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  := $(shell git rev-parse HEAD 2>/dev/null)
# The commit's time, not the clock's: the same commit builds the same bytes.
DATE    := $(shell TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

# make release: static binaries (no cgo: they run on any Linux, Alpine and
# scratch images included) and their SHA-256 sums in $(DIST)/.
PLATFORMS ?= linux/amd64 linux/arm64 darwin/arm64 windows/amd64
DIST      ?= dist

.PHONY: all build serve site test vet fmt bench fuzz release clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/playbook

# Build the sample knowledge base in content/ and serve it on http://127.0.0.1:1313/
serve: build
	$(BIN) serve -s .

# Build the sample site into public/ only.
site: build
	$(BIN) build -s .

# -timeout: the builder package runs whole builds under -race (serve against clean builds
# after random edits); on a busy 2-core machine it can pass the 10-minute default.
test: vet
	$(GO) test -race -count=1 -timeout 30m ./...
	cd bench && $(GO) test -race -count=1 ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	cd bench && $(GO) vet ./...
	$(GO) test -count=1 -run 'TestShape|TestRules' ./internal/codeshape

fmt:
	gofmt -w $$(git ls-files '*.go')

# Measure builds of synthetic 1k and 10k page sites (zh and en) with the binary
# `make build` makes, the docs-cn corpus (CORPUS, below) beside Hugo + Pagefind,
# one 10k and one 50k zh build for growth, and rewrite BENCHMARKS.md from the
# runs. The harness is a module of its own, in bench/.
bench: build
	cd bench && $(GO) run . -bin ../$(BIN) -work ../.bench -runs 3 -corpus '$(CORPUS)' -out ../BENCHMARKS.md

# Builds playbook-VERSION-OS-ARCH[.exe] for each of PLATFORMS and
# $(DIST)/SHA256SUMS (check with: sha256sum -c SHA256SUMS). No goreleaser.
release:
	rm -rf $(DIST) && mkdir -p $(DIST)
	@set -e; for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ "$$os" = windows ] && ext=.exe; \
	  out=$(DIST)/playbook-$(VERSION)-$$os-$$arch$$ext; echo "$$out"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o "$$out" ./cmd/playbook; \
	done
	cd $(DIST) && if command -v sha256sum >/dev/null; then sha256sum playbook-*; else shasum -a 256 playbook-*; fi > SHA256SUMS
	@cat $(DIST)/SHA256SUMS

# Fuzz each parser for FUZZTIME: front matter, markdown, playbook.yaml,
# synonyms.yaml and search queries. The markdown files under CORPUS (if it
# exists) seed the front matter and markdown targets; an input that fails
# is saved under the package's testdata/fuzz/ and fails `make test` from
# then on. CI runs it with FUZZTIME=30000x after `make test`. A count of
# inputs, not a duration: when a duration ends while a worker is busy, Go
# 1.26's fuzzing coordinator can fail a run that found nothing with
# "context deadline exceeded" (golang/go#75804, fixed in Go 1.27); a count
# has no deadline to race.
FUZZTIME ?= 300000x
CORPUS   ?= $(wildcard /work/shared/corpus/docs-cn)
FUZZ     := ./builder/content:FuzzParse ./builder/markdown:FuzzRender ./builder/config:FuzzParse \
            ./search:FuzzParseSynonyms ./search:FuzzQuery

fuzz:
	@for t in $(FUZZ); do \
	  echo "fuzz $${t%%:*} $${t##*:} for $(FUZZTIME)"; \
	  PLAYBOOK_CORPUS='$(CORPUS)' $(GO) test $${t%%:*} -run '^$$' -fuzz "^$${t##*:}$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

clean:
	rm -rf bin public dist
