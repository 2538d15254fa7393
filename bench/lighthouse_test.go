package main

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
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

// TestStaticHost: the site is served as a static host serves it, text
// gzipped for a browser that accepts it and as is otherwise.
func TestStaticHost(t *testing.T) {
	dir := t.TempDir()
	css := strings.Repeat(".hit { color: red; }\n", 200)
	if err := os.WriteFile(filepath.Join(dir, "a.css"), []byte(css), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(staticHost(dir))
	defer srv.Close()
	for _, tc := range []struct {
		name, accept, wantEncoding string
	}{
		{"gzip accepted", "gzip, deflate, br", "gzip"},
		{"no encoding accepted", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/a.css", nil)
			req.Header.Set("Accept-Encoding", tc.accept)
			res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if got := res.Header.Get("Content-Encoding"); got != tc.wantEncoding {
				t.Fatalf("Content-Encoding = %q, want %q", got, tc.wantEncoding)
			}
			var body io.Reader = res.Body
			if tc.wantEncoding == "gzip" {
				if body, err = gzip.NewReader(res.Body); err != nil {
					t.Fatal(err)
				}
			}
			got, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != css {
				t.Errorf("body differs from the file: %d bytes, want %d", len(got), len(css))
			}
		})
	}
}

// TestReadLighthouse reads scores and metrics from a real report (trimmed
// to what is read), and a report without a category is an error.
func TestReadLighthouse(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "lighthouse-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := readLighthouse(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := formatScores(r.Scores); got != "**81** · 100 · 100 · 100" {
		t.Errorf("scores = %q", got)
	}
	if got := formatMetrics(r.Metrics); got != "2.5 s · 638 ms · 0.000" {
		t.Errorf("metrics = %q", got)
	}
	if r.BenchmarkIndex != 1451.5 {
		t.Errorf("benchmarkIndex = %v, want 1451.5", r.BenchmarkIndex)
	}
	if _, err := readLighthouse([]byte(`{"categories":{"performance":{"score":1}}}`)); err == nil || !strings.Contains(err.Error(), "no accessibility score") {
		t.Errorf("report without accessibility: err = %v", err)
	}
}

// TestLighthouseTables: the medians of the runs fill both tables, and a
// category under the target is bold and listed.
func TestLighthouseTables(t *testing.T) {
	run := func(perf int, lcp float64) lighthouseResult {
		return lighthouseResult{BenchmarkIndex: lcp / 2,
			Scores:  map[string]int{"performance": perf, "accessibility": 100, "best-practices": 100, "seo": 100},
			Metrics: map[string]float64{"largest-contentful-paint": lcp, "total-blocking-time": 20, "cumulative-layout-shift": 0.01},
		}
	}
	phone := medianResult([]lighthouseResult{run(99, 1900), run(80, 3400), run(91, 2600)})
	desktop := medianResult([]lighthouseResult{run(100, 500), run(100, 700), run(100, 600)})
	md := lighthouseTables([]lighthousePage{{"search results", "search/?q=x"}}, [][2]lighthouseResult{{phone, desktop}})
	for _, want := range []string{
		"| search results (`/search/?q=x`) | **91** · 100 · 100 · 100 | 100 · 100 · 100 · 100 |",
		"| search results | 2.6 s · 20 ms · 0.010 | 0.6 s · 20 ms · 0.010 |",
		"Below 95: search results mobile performance 91.",
		"300–1300 over the medians", // phone's median run 1300, desktop's 300
	} {
		if !strings.Contains(md, want) {
			t.Errorf("tables lack %q:\n%s", want, md)
		}
	}
}
