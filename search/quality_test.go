package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/search"
	"go.yaml.in/yaml/v3"
)

// mrrFloor is the least MRR@10 the rep-style queries may score. Raise it
// when ranking improves; never lower it to let a change in.
const mrrFloor = 0.90

// devMRRFloor is the floor of testdata/dev-queries.yaml.
const (
	devMRRFloor = 0.0
	devZeros    = 35
)

// sampleNow is the clock the sample site is read at, so pages published or
// expiring later do not change the result.
var sampleNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

type rankedQuery struct {
	Q    string `yaml:"q"`
	Want string `yaml:"want"`
}

var (
	sampleOnce sync.Once
	sampleIdx  *search.Index
	sampleErr  error
)

// sampleIndex indexes the published pages of the sample site in ../content
// the way playbook build does, once per test binary.
func sampleIndex(t testing.TB) *search.Index {
	t.Helper()
	sampleOnce.Do(func() {
		site, err := filepath.Abs("..")
		if err != nil {
			sampleErr = err
			return
		}
		cfg, err := config.Load(os.DirFS(site))
		if err != nil {
			sampleErr = err
			return
		}
		o := builder.Options{Site: site, Now: sampleNow}
		s, _, err := builder.Load(context.Background(), o, cfg)
		if err != nil {
			sampleErr = fmt.Errorf("load sample site: %w", err)
			return
		}
		docs := make([]search.Doc, len(s.Pages))
		for i, p := range s.Pages {
			docs[i] = builder.SearchDoc(p)
		}
		groups, err := search.LoadSynonyms(filepath.Join(site, search.SynonymsFile))
		if err != nil {
			sampleErr = err
			return
		}
		dir, err := os.MkdirTemp("", "playbook-search-test-")
		if err != nil {
			sampleErr = err
			return
		}
		// the index is shared by every test of the binary; the OS cleans the temp dir
		dir = filepath.Join(dir, "index")
		if sampleErr = search.Build(dir, docs, search.WithSynonyms(groups)); sampleErr != nil {
			return
		}
		sampleIdx, sampleErr = search.Open(dir)
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sampleIdx
}

func loadQueries(t testing.TB) []rankedQuery { return loadQueryFile(t, "testdata/queries.yaml") }

func loadQueryFile(t testing.TB, name string) []rankedQuery {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var qs []rankedQuery
	if err := yaml.Unmarshal(data, &qs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return qs
}

// TestQuality scores the rep-style queries of testdata/queries.yaml as
// MRR@10 against the sample site and fails below mrrFloor.
func TestQuality(t *testing.T) {
	qs := loadQueries(t)
	if len(qs) < 40 {
		t.Fatalf("queries.yaml has %d queries, want at least 40", len(qs))
	}
	scoreQueries(t, qs, mrrFloor, 0)
}

// TestDevQuality scores testdata/dev-queries.yaml, questions and
// colloquial phrasing, the same way.
func TestDevQuality(t *testing.T) {
	scoreQueries(t, loadQueryFile(t, "testdata/dev-queries.yaml"), devMRRFloor, devZeros)
}

// scoreQueries fails when the MRR@10 of qs is below floor or more than
// zeros queries find nothing.
func scoreQueries(t *testing.T, qs []rankedQuery, floor float64, zeros int) {
	idx := sampleIndex(t)
	var sum float64
	none := 0
	var report strings.Builder
	for _, q := range qs {
		res, err := idx.Search(context.Background(), search.Request{Query: q.Q, Limit: 10})
		if err != nil {
			t.Errorf("%q: %v", q.Q, err)
			continue
		}
		rank := 0
		for i, h := range res.Hits {
			if h.Path == q.Want {
				rank = i + 1
				break
			}
		}
		if rank > 0 {
			sum += 1 / float64(rank)
		}
		first := "(none)"
		if len(res.Hits) > 0 {
			first = res.Hits[0].Path
		} else {
			none++
		}
		fmt.Fprintf(&report, "  rank %-2s %-14s want %-32s first %s\n", rankText(rank), q.Q, q.Want, first)
	}
	mrr := sum / float64(len(qs))
	t.Logf("MRR@10 = %.3f over %d queries (floor %.2f), %d without a hit", mrr, len(qs), floor, none)
	if mrr < floor || testing.Verbose() {
		t.Logf("per query:\n%s", report.String())
	}
	if mrr < floor {
		t.Errorf("MRR@10 %.3f is below the floor %.2f", mrr, floor)
	}
	if none > zeros {
		t.Errorf("%d queries find nothing, at most %d may", none, zeros)
	}
}

func rankText(r int) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprint(r)
}
