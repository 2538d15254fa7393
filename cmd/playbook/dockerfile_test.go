package main

// The container recipe, docs/publish/Dockerfile, checked statically: docker
// cannot run on the machines these tests run on. BuildKit's own parser and
// instruction reader (what `docker build` uses) read it, with its linter,
// and the test checks the recipe's shape: a static playbook built in a Go
// stage, the site checked and built in a second, and only the built site
// copied into the image that serves it.

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// dockerStages parses a Dockerfile as BuildKit does; lint collects its warnings.
func dockerStages(t *testing.T, src []byte) (stages []instructions.Stage, lint []string) {
	t.Helper()
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	for _, w := range res.Warnings {
		lint = append(lint, w.Short)
	}
	l := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, loc []parser.Range) {
		lint = append(lint, fmt.Sprintf("%s: %s (line %d)", rule, msg, loc[0].Start.Line))
	}})
	stages, _, err = instructions.Parse(res.AST, l)
	if err != nil {
		t.Fatalf("instructions: %v", err)
	}
	return stages, lint
}

// runs lists a stage's RUN command lines, ENV values and COPY --from stages.
func stageCommands(s instructions.Stage) (runs []string, env map[string]string, from []string) {
	env = map[string]string{}
	for _, c := range s.Commands {
		switch c := c.(type) {
		case *instructions.RunCommand:
			runs = append(runs, strings.Join(c.CmdLine, " "))
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				env[kv.Key] = kv.Value
			}
		case *instructions.CopyCommand:
			if c.From != "" {
				from = append(from, c.From+" "+strings.Join(c.SourcePaths, " "))
			}
		}
	}
	return runs, env, from
}

func TestDockerfileShape(t *testing.T) {
	src := readRecipe(t, "Dockerfile")
	stages, lint := dockerStages(t, src)
	if len(lint) > 0 {
		t.Errorf("BuildKit's linter warns:\n%s", strings.Join(lint, "\n"))
	}
	if len(stages) != 3 {
		t.Fatalf("%d stages, want 3: playbook, site, and the image that serves", len(stages))
	}
	bin, site, web := stages[0], stages[1], stages[2]
	binRuns, binEnv, _ := stageCommands(bin)
	siteRuns, _, siteFrom := stageCommands(site)
	_, _, webFrom := stageCommands(web)
	checks := []struct {
		what string
		ok   bool
	}{
		{"stage 1 is named playbook and starts from a Go image", bin.Name == "playbook" && strings.HasPrefix(bin.BaseName, "golang:")},
		{"stage 1 builds without cgo: a static binary", binEnv["CGO_ENABLED"] == "0"},
		{"stage 1 installs cmd/playbook with -trimpath", slices.ContainsFunc(binRuns, func(r string) bool {
			return strings.Contains(r, "go install -trimpath") && strings.Contains(r, "/cmd/playbook@")
		})},
		{"stage 2 is named site and has git (pages show who changed them)", site.Name == "site" && slices.ContainsFunc(siteRuns, func(r string) bool { return strings.Contains(r, "apk add --no-cache git") })},
		{"stage 2 takes only the binary from stage 1", slices.Equal(siteFrom, []string{"playbook /go/bin/playbook"})},
		{"stage 2 checks, then builds", slices.ContainsFunc(siteRuns, func(r string) bool {
			return strings.Contains(r, "playbook check && playbook build")
		})},
		{"the last stage is no Go or build image", !strings.HasPrefix(web.BaseName, "golang") && web.BaseName != site.BaseName},
		{"the last stage takes only the built site", slices.Equal(webFrom, []string{"site /site/public"})},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("Dockerfile: want %s", c.what)
		}
	}
}

// TestDockerfileLinter shows the static check can fail: BuildKit rejects
// or warns about the mistakes a recipe could make.
func TestDockerfileLinter(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"stage name casing", "FROM golang:1.26 as Build\nRUN true\n", "FromAsCasing"},
		{"unknown instruction", "FROM alpine:3.22\nCOPPY . .\n", "unknown instruction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parser.Parse(strings.NewReader(tt.src))
			var msgs []string
			if err != nil {
				msgs = append(msgs, err.Error())
			} else {
				l := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, _ []parser.Range) { msgs = append(msgs, rule+": "+msg) }})
				if _, _, err := instructions.Parse(res.AST, l); err != nil {
					msgs = append(msgs, err.Error())
				}
			}
			if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, tt.want) }) {
				t.Errorf("BuildKit said %q, want something about %s", msgs, tt.want)
			}
		})
	}
}

func TestDockerignore(t *testing.T) {
	lines := strings.Fields(string(readRecipe(t, "dockerignore")))
	for _, want := range []string{"public/", ".playbook/"} {
		if !slices.Contains(lines, want) {
			t.Errorf("dockerignore does not leave out %s", want)
		}
	}
	if slices.Contains(lines, ".git") || slices.Contains(lines, ".git/") {
		t.Error("dockerignore leaves out .git: pages would show no git dates")
	}
}
