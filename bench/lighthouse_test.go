package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLighthouseSkipped: without lighthouse the section says so and why,
// instead of failing the report.
func TestLighthouseSkipped(t *testing.T) {
	t.Setenv("LIGHTHOUSE", filepath.Join(t.TempDir(), "no-lighthouse"))
	md, err := lighthouseSection(context.Background(), &Env{Root: t.TempDir(), Work: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(md, "## Lighthouse") || !strings.Contains(md, "Not measured: lighthouse is not installed") {
		t.Errorf("section without lighthouse = %q", md)
	}
}

// TestLighthousePages picks readable paths of the first script and
// training module by URL, and bolds scores under the target.
func TestLighthousePages(t *testing.T) {
	dest := t.TempDir()
	pages := `[{"url":"/training/%e4%b8%80/","type":"training"},{"url":"/training/b/","type":"training"},
		{"url":"/scripts/z/","type":"script"},{"url":"/scripts/a/","type":"script"},{"url":"/cases/x/","type":"case"}]`
	if err := os.MkdirAll(filepath.Join(dest, "api"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "api", "pages.json"), []byte(pages), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := lighthousePages(dest)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range got {
		paths = append(paths, p.Path)
	}
	want := "|scripts/a/|cases/|training/b/|search/?q=%E4%BB%B7%E6%A0%BC"
	if strings.Join(paths, "|") != want {
		t.Errorf("pages = %q, want %q", strings.Join(paths, "|"), want)
	}
	if s := formatScores(map[string]int{"performance": 81, "accessibility": 100, "best-practices": 95, "seo": 100}); s != "**81** · 100 · 95 · 100" {
		t.Errorf("formatScores = %q", s)
	}
}
