package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder/source/sourcetest"
)

// playbook runs the command line and returns its exit code and output.
func playbook(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestSourceRuleCommands: build, check and new give the source rule's
// errors with exit 1; a failed build writes nothing, and no command puts a
// file from outside the site into the site.
func TestSourceRuleCommands(t *testing.T) {
	for _, tc := range sourcetest.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			site, outside := sourcetest.Site(t)
			if code, _, stderr := playbook(t, "build", "-s", site, "--now", "2026-11-23"); code != 0 {
				t.Fatalf("the site before the change: exit %d\n%s", code, stderr)
			}
			public := filepath.Join(site, "public")
			before := sourcetest.Files(t, public)
			tc.Make(t, site, outside)

			wantCode := 1
			if tc.Err == "" {
				wantCode = 0
			}
			code, _, stderr := playbook(t, "build", "-s", site, "--now", "2026-11-23")
			if code != wantCode || !strings.Contains(stderr, tc.Err) {
				t.Errorf("build: exit %d, want %d with %q:\n%s", code, wantCode, tc.Err, stderr)
			}
			if wantCode != 0 && !maps.Equal(sourcetest.Files(t, public), before) {
				t.Error("a failed build changed public/")
			}
			if wantCode != 0 && !tc.Config && !strings.Contains(stderr, "nothing was written") {
				t.Errorf("build: no 'nothing was written' in\n%s", stderr)
			}
			checkJSON(t, site, tc, wantCode)
			newPage(t, site, tc)
			if leaks := sourcetest.Leaks(t, site); leaks != nil {
				t.Errorf("files outside the site read into %v", leaks)
			}
		})
	}
}

// checkJSON runs check --json, which lists the error with its file, line
// and field for CI bots, playbook.yaml's included.
func checkJSON(t *testing.T, site string, tc sourcetest.Case, wantCode int) {
	t.Helper()
	code, stdout, stderr := playbook(t, "check", "-s", site, "--now", "2026-11-23", "--json")
	if code != wantCode {
		t.Fatalf("check: exit %d, want %d\n%s%s", code, wantCode, stdout, stderr)
	}
	var rep checkReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("check --json: %v\n%s", err, stdout)
	}
	found := tc.Err == "" && rep.OK && len(rep.Errors) == 0
	for _, e := range rep.Errors {
		found = found || tc.Err != "" && strings.HasPrefix(fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Message), tc.Err)
	}
	if !found {
		t.Errorf("check --json: want %q, got\n%s", tc.Err, stdout)
	}
}

// newPage runs new, which reads archetypes/ and playbook.yaml under the
// same rule and refuses the links among them that lead out.
func newPage(t *testing.T, site string, tc sourcetest.Case) {
	t.Helper()
	code, _, stderr := playbook(t, "new", "-s", site, "script", "新话术")
	page := filepath.Join(site, "content", "scripts", "新话术.md")
	refused := tc.Config || strings.HasPrefix(tc.Err, "archetypes/")
	switch {
	case refused && (code != 1 || !strings.Contains(stderr, tc.Err)):
		t.Errorf("new: exit %d, want 1 with %q:\n%s", code, tc.Err, stderr)
	case refused:
		if _, err := os.Stat(page); err == nil {
			t.Error("new made a page after refusing")
		}
	case code != 0:
		t.Errorf("new: exit %d\n%s", code, stderr)
	}
}

// TestNewNeverWritesOutside: a section folder linked out of the site is
// refused by new, which writes nothing there.
func TestNewNeverWritesOutside(t *testing.T) {
	site, outside := sourcetest.Site(t)
	target := filepath.Join(outside, "scripts")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(site, "content", "scripts")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := playbook(t, "new", "-s", site, "script", "新话术")
	if code != 1 || !strings.Contains(stderr, "content/scripts:1: file: leads outside the site folder") {
		t.Errorf("new through a link outside: exit %d\n%s", code, stderr)
	}
	if entries, _ := os.ReadDir(target); len(entries) != 0 {
		t.Errorf("new wrote outside the site: %v", entries)
	}
}
