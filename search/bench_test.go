package search_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/internal/synth"
	"github.com/playbook-sales/playbook/search"
)

// siteDocs reads a site the way playbook build does and returns its
// search documents.
func siteDocs(tb testing.TB, site string, now time.Time) []search.Doc {
	tb.Helper()
	cfg, err := config.Load(os.DirFS(site))
	if err != nil {
		tb.Fatal(err)
	}
	s, _, err := builder.Load(context.Background(), builder.Options{Site: site, Now: now}, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	docs := make([]search.Doc, len(s.Pages))
	for i, p := range s.Pages {
		docs[i] = builder.SearchDoc(p)
	}
	return docs
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// latencyQueries are rep-style queries for timing: the quality set plus a
// few heavier shapes (one character, long runs, filters, phrases).
func latencyQueries(tb testing.TB) []string {
	var qs []string
	for _, q := range loadQueries(tb) {
		qs = append(qs, q.Q)
	}
	return append(qs, "价", "客", "的", "续约 降价 type:script", `"价格异议"`, "客户成功经理负责续约谈判",
		"stage:negotiation 价格", "CRM", "pricing negotiation", "回款流程")
}

type measurement struct {
	pages          int
	load, index    time.Duration
	size           int64
	p50, p99, pmax time.Duration
}

// relaxedQueries are the dev set's questions, most of which relax.
func relaxedQueries(tb testing.TB) []string {
	var qs []string
	for _, q := range loadQueryFile(tb, "testdata/dev-queries.yaml") {
		qs = append(qs, q.Q)
	}
	return qs
}

func measure(tb testing.TB, docs []search.Doc, rounds int, qs []string) measurement {
	m := measurement{pages: len(docs)}
	dir := filepath.Join(tb.TempDir(), "index")
	start := time.Now()
	if err := search.Build(dir, docs); err != nil {
		tb.Fatal(err)
	}
	m.index = time.Since(start)
	m.size = dirSize(dir)
	idx, err := search.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer idx.Close()
	var times []time.Duration
	for r := 0; r < rounds; r++ {
		for _, q := range qs {
			start := time.Now()
			if _, err := idx.Search(context.Background(), search.Request{Query: q, Limit: 10}); err != nil {
				tb.Fatalf("%q: %v", q, err)
			}
			if r > 0 { // the first round warms caches
				times = append(times, time.Since(start))
			}
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	m.p50, m.p99, m.pmax = times[len(times)/2], times[len(times)*99/100], times[len(times)-1]
	return m
}

func (m measurement) String() string {
	return fmt.Sprintf("| %d | %s | %s | %.1f MB | %s | %s | %s |", m.pages, m.load.Round(time.Millisecond),
		m.index.Round(time.Millisecond), float64(m.size)/1e6, m.p50.Round(time.Microsecond),
		m.p99.Round(time.Microsecond), m.pmax.Round(time.Microsecond))
}

// TestMeasure prints index time and size and query latency for the sample
// site and synthetic sites of the sizes in PLAYBOOK_SEARCH_MEASURE
// (e.g. "1000,10000"); without it only the sample is measured, with -v.
func TestMeasure(t *testing.T) {
	if !testing.Verbose() && os.Getenv("PLAYBOOK_SEARCH_MEASURE") == "" {
		t.Skip("run with -v or PLAYBOOK_SEARCH_MEASURE=1000,10000")
	}
	rows := []string{"| pages | read+render | index | index size | query p50 | p99 | max |", "|---|---|---|---|---|---|---|"}
	start := time.Now()
	site, _ := filepath.Abs("..")
	docs := siteDocs(t, site, sampleNow)
	load := time.Since(start)
	m := measure(t, docs, 20, latencyQueries(t))
	m.load = load
	rows = append(rows, m.String()+" sample")
	m = measure(t, docs, 20, relaxedQueries(t))
	m.load = load
	rows = append(rows, m.String()+" sample, dev set (relaxed)")
	for _, s := range strings.Split(os.Getenv("PLAYBOOK_SEARCH_MEASURE"), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			continue
		}
		dir := filepath.Join(t.TempDir(), "site")
		if err := synth.Generate(dir, n, "zh", 1); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		docs := siteDocs(t, dir, synth.Now)
		load := time.Since(start)
		m := measure(t, docs, 5, latencyQueries(t))
		m.load = load
		rows = append(rows, m.String()+" synth zh")
		m = measure(t, docs, 5, relaxedQueries(t))
		m.load = load
		rows = append(rows, m.String()+" synth zh, dev set (relaxed)")
	}
	t.Logf("\n%s", strings.Join(rows, "\n"))
}

// BenchmarkBuildSample indexes the sample site's pages.
func BenchmarkBuildSample(b *testing.B) {
	site, _ := filepath.Abs("..")
	docs := siteDocs(b, site, sampleNow)
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := search.Build(filepath.Join(dir, "index"), docs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuerySample runs the rep-style queries against the sample site.
func BenchmarkQuerySample(b *testing.B) {
	idx := sampleIndex(b)
	qs := latencyQueries(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := idx.Search(context.Background(), search.Request{Query: qs[i%len(qs)], Limit: 10}); err != nil {
			b.Fatal(err)
		}
	}
}
