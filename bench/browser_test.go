package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/playbook-sales/playbook/builder"
)

// needChromium skips a browser test where Chromium is missing, unless CI
// is set: there it must run.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := findChromium(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("chromium not found; set CHROMIUM to its path (the test fails instead when CI is set)")
		}
		t.Fatal("chromium not found, and CI is set: install chromium or set CHROMIUM")
	}
}

// TestPagefindFirstQueries runs two queries through a stand-in for
// Pagefind's client: each runs in a fresh tab with the cache off, so each
// counts every file it fetched, once however often, at its gzip size.
func TestPagefindFirstQueries(t *testing.T) {
	needChromium(t)
	out := t.TempDir()
	files := fstest.MapFS{
		"pagefind.js": {Data: []byte(`export async function search(q) {
  await fetch("/pagefind/index/" + q + ".pf");
  await fetch("/pagefind/index/common.pf");
  await fetch("/pagefind/index/common.pf");
  return {results: [{data: async () => { await fetch("/pagefind/fragment/1.pf"); return {}; }}]};
}`)},
		"index/a.pf":      {Data: []byte(strings.Repeat("a", 3000))},
		"index/b.pf":      {Data: []byte(strings.Repeat("ab", 2000))},
		"index/common.pf": {Data: []byte("common")},
		"fragment/1.pf":   {Data: []byte(strings.Repeat("页面", 500))},
	}
	if err := os.CopyFS(out, files); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	got, err := pagefindFirstQueries(ctx, out, []qualityQuery{{Q: "a"}, {Q: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d results, want 2", len(got))
	}
	for _, f := range got {
		want := []string{"/pagefind/pagefind.js", "/pagefind/index/" + f.Q + ".pf", "/pagefind/index/common.pf", "/pagefind/fragment/1.pf"}
		if !slices.Equal(f.Files, want) {
			t.Errorf("%q fetched %q, want %q", f.Q, f.Files, want)
		}
		var bytes int64
		for _, p := range want {
			bytes += gzSize(files[strings.TrimPrefix(p, "/pagefind/")].Data)
		}
		if f.bytes != bytes || f.Total != 1 {
			t.Errorf("%q: %d bytes, %d results; want %d bytes (gzip), 1 result", f.Q, f.bytes, f.Total, bytes)
		}
	}
}

// TestKeystrokes types queries into the search box of the sample site,
// built and served from disk: each timed round gives one time a query for
// each way the last key arrives, each the time to the whole answer to the
// whole query (the harness waits for the box's data-query to be it).
func TestKeystrokes(t *testing.T) {
	needChromium(t)
	if testing.Short() {
		t.Skip("builds the sample site")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := builder.Build(ctx, builder.Options{Site: "..", Dest: dest, NowText: "2026-11-23T12:00:00+08:00", NoGit: true}); err != nil {
		t.Fatal(err)
	}
	qs := []string{"价格异议", "续约"}
	times, err := keystrokes(ctx, dest, qs)
	if err != nil {
		t.Fatal(err)
	}
	if len(times) != len(lastKeys) {
		t.Fatalf("times of %d cases, want %d", len(times), len(lastKeys))
	}
	for i, ts := range times {
		if len(ts) != keystrokeRounds*len(qs) {
			t.Errorf("%s: %d times, want %d (%d rounds of %d queries)", lastKeys[i].name, len(ts), keystrokeRounds*len(qs), keystrokeRounds, len(qs))
		}
		for _, ms := range ts {
			if ms <= 0 {
				t.Errorf("%s: a keystroke answered in %.1f ms", lastKeys[i].name, ms)
			}
		}
	}
}
