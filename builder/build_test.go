package builder_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/rogpeppe/go-internal/txtar"
)

// extract writes a golden site's files (not its want or golden/ files)
// into a new folder and returns it.
func extract(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "want" || strings.HasPrefix(f.Name, "golden/") || strings.HasPrefix(f.Name, "bad/") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDestRefused: a destination that is or contains the source would be
// deleted by the swap; Build refuses it with ErrDest and touches nothing.
func TestDestRefused(t *testing.T) {
	site := extract(t, "publishing")
	tests := []struct {
		name, dest string
	}{
		{"the site itself", site},
		{"the site, relative with dots", filepath.Join(site, "content", "..")},
		{"a folder above the site", filepath.Dir(site)},
		{"content/", filepath.Join(site, "content")},
		{"inside content/", filepath.Join(site, "content", "public")},
		{"inside static/", filepath.Join(site, "static", "out")},
		{"inside themes/", filepath.Join(site, "themes", "x")},
		{"inside archetypes/", filepath.Join(site, "archetypes", "x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: tt.dest, Now: testNow})
			if !errors.Is(err, builder.ErrDest) {
				t.Fatalf("Build(dest=%s) = %v, want ErrDest", tt.dest, err)
			}
			if _, err := os.Stat(filepath.Join(site, "content", "scripts", "live.md")); err != nil {
				t.Fatalf("the source was touched: %v", err)
			}
		})
	}
	t.Run("a folder beside the site is fine", func(t *testing.T) {
		dest := filepath.Join(t.TempDir(), "out")
		res, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: dest, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		if res.Dest != dest {
			t.Errorf("Dest = %s, want %s", res.Dest, dest)
		}
		if _, err := os.Stat(filepath.Join(dest, "scripts", "live", "index.html")); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
			t.Error("public/ was written although -d named another folder")
		}
	})
	t.Run("a sibling whose name starts like the site's", func(t *testing.T) {
		_, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: site + "-public", Now: testNow})
		if err != nil {
			t.Errorf("Build(dest=%s-public) = %v", site, err)
		}
	})
}

// TestNoContentFolder: pointing at a folder that is not a site says so.
func TestNoContentFolder(t *testing.T) {
	_, err := builder.Build(context.Background(), builder.Options{Site: t.TempDir(), Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "no content/ folder") {
		t.Errorf("Build = %v, want an error about content/", err)
	}
	var ce content.Errors
	if errors.As(err, &ce) {
		t.Error("a missing content/ folder is not a content error")
	}
}

// TestResultCounts: the numbers the CLI prints.
func TestResultCounts(t *testing.T) {
	site := extract(t, "contract")
	res, err := builder.Build(context.Background(), builder.Options{Site: site, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"script": 1, "case": 1, "competitor": 1, "training": 2, "retro": 1, "page": 1}
	if len(res.PerType) != len(want) {
		t.Errorf("PerType = %v, want %v", res.PerType, want)
	}
	for typ, n := range want {
		if res.PerType[typ] != n {
			t.Errorf("PerType[%s] = %d, want %d", typ, res.PerType[typ], n)
		}
	}
	if res.Hidden != 0 || res.Files < 20 || res.Dest != filepath.Join(site, "public") {
		t.Errorf("Hidden, Files, Dest = %d, %d, %s", res.Hidden, res.Files, res.Dest)
	}

	pub := extract(t, "publishing")
	res, err = builder.Build(context.Background(), builder.Options{Site: pub, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Hidden != 3 || res.PerType["script"] != 1 {
		t.Errorf("Hidden = %d, scripts = %d; want 3 hidden, 1 script", res.Hidden, res.PerType["script"])
	}
}

// TestPagesJSONDates: every date in pages.json is RFC 3339 (or null) and
// carries the site's zone, as integrations expect.
func TestPagesJSONDates(t *testing.T) {
	site := extract(t, "contract")
	if _, err := builder.Build(context.Background(), builder.Options{Site: site, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(site, "public", "api", "pages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []map[string]any
	if err := json.Unmarshal(data, &pages); err != nil {
		t.Fatal(err)
	}
	dateKeys := map[string]bool{"date": true, "lastmod": true, "reviewed": true, "closed": true, "session": true, "due": true}
	n := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if dateKeys[k] && e != nil {
					s, ok := e.(string)
					tm, err := time.Parse(time.RFC3339, s)
					if !ok || err != nil {
						t.Errorf("%s.%s = %v: not RFC 3339", at, k, e)
					} else if _, off := tm.Zone(); off != 8*3600 {
						t.Errorf("%s.%s = %s: not in the site's zone (+08:00)", at, k, s)
					}
					n++
					continue
				}
				walk(at+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(at, e)
			}
		}
	}
	for _, p := range pages {
		walk(p["path"].(string), p)
	}
	if n < 10 {
		t.Errorf("only %d dates checked; the contract site has more", n)
	}
}

// TestRebuildReplacesOutput: a page removed from content/ disappears from
// public/ on the next build (no stale files from older builds).
func TestRebuildReplacesOutput(t *testing.T) {
	site := extract(t, "contract")
	build := func() {
		t.Helper()
		if _, err := builder.Build(context.Background(), builder.Options{Site: site, Now: testNow}); err != nil {
			t.Fatal(err)
		}
	}
	build()
	stale := filepath.Join(site, "public", "guides", "术语表", "index.html")
	if _, err := os.Stat(stale); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(site, "content", "guides", "术语表.md")); err != nil {
		t.Fatal(err)
	}
	build()
	if _, err := os.Stat(stale); err == nil {
		t.Error("a deleted page is still in public/")
	}
	left, _ := filepath.Glob(filepath.Join(site, ".playbook-build-*"))
	if len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}
