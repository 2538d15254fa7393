package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/internal/synth"
	"github.com/playbook-sales/playbook/search"
)

// synthIndex opens the index of a synthetic zh site of n pages, built the
// way benchsite builds it (the site's synonyms included). With
// PLAYBOOK_SEARCH_BENCH_DIR set, the index is kept there and reused by later
// runs, since generating and indexing 10,000 pages takes a while.
func synthIndex(b *testing.B, n int) *search.Index {
	b.Helper()
	root := os.Getenv("PLAYBOOK_SEARCH_BENCH_DIR")
	if root == "" {
		root = b.TempDir()
	}
	dir := filepath.Join(root, fmt.Sprintf("index-zh-%d", n))
	if idx, err := search.Open(dir); err == nil {
		return idx
	}
	site := filepath.Join(root, fmt.Sprintf("site-zh-%d", n))
	if err := os.RemoveAll(site); err != nil {
		b.Fatal(err)
	}
	if err := synth.Generate(site, n, "zh", 1); err != nil {
		b.Fatal(err)
	}
	groups, err := search.LoadSynonyms(filepath.Join(site, search.SynonymsFile))
	if err != nil {
		b.Fatal(err)
	}
	if err := search.Build(dir, siteDocs(b, site, synth.Now), search.WithSynonyms(groups)); err != nil {
		b.Fatal(err)
	}
	idx, err := search.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	return idx
}

// benchPages is the size of the synthetic site of BenchmarkQuerySynth:
// PLAYBOOK_SEARCH_BENCH_PAGES, else 10,000 (the target size).
func benchPages() int {
	if n, err := strconv.Atoi(os.Getenv("PLAYBOOK_SEARCH_BENCH_PAGES")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// BenchmarkQuerySynth runs the rep-style queries against a synthetic zh
// site with facets and snippets, as /api/search answers them; one op is
// the whole query set. It reports the p50 and p99 of single queries too.
func BenchmarkQuerySynth(b *testing.B) { benchQueries(b, latencyQueries(b)) }

// BenchmarkQuerySynthRelaxed is BenchmarkQuerySynth with the dev set's
// questions, most of which relax on the sample site; some do here too.
func BenchmarkQuerySynthRelaxed(b *testing.B) { benchQueries(b, relaxedQueries(b)) }

func benchQueries(b *testing.B, qs []string) {
	idx := synthIndex(b, benchPages())
	defer idx.Close()
	ctx := context.Background()
	for _, q := range qs { // warm up
		if _, err := idx.Search(ctx, search.Request{Query: q, Limit: 10}); err != nil {
			b.Fatalf("%q: %v", q, err)
		}
	}
	var times []time.Duration
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			start := time.Now()
			if _, err := idx.Search(ctx, search.Request{Query: q, Limit: 10}); err != nil {
				b.Fatalf("%q: %v", q, err)
			}
			times = append(times, time.Since(start))
		}
	}
	b.StopTimer()
	// CPU time of the process, GC included: steadier than wall time on a
	// busy machine
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
