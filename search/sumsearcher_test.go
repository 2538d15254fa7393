package search_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/playbook-sales/playbook/search"
)

// ownSearcherQueries are the quality and dev queries (relaxed ones among
// them) and shapes that reach the package's own searchers: lone characters
// alone, beside words and under filters; synonym clauses of many leaves;
// loose runs.
func ownSearcherQueries(t *testing.T) []string {
	return append(loadQueryStrings(t), "贵", "价", "客", "的", "单", "贵 客户", "价格 贵", "客 续约", "type:script 客",
		"stage:negotiation 价", "贵 价", "\"太贵\" 客", "客户成功 上线", "签约 回款", "续费 降价 客",
		"客户成功经理负责续约谈判", "续约降价", "type:case 上线", "stage:negotiation 签约 type:script")
}

// sameAsBleve runs queries with bleve's searchers (mode(false)) and with
// the package's own (mode(true)) and fails unless both find the same pages
// in the same order with the same facets, and scores equal but for the
// last bits.
func sameAsBleve(t *testing.T, queries []string, mode func(bool) func()) {
	t.Helper()
	x := sampleIndex(t)
	run := func(own bool) map[string]*search.Result {
		defer mode(own)()
		out := map[string]*search.Result{}
		for _, q := range queries {
			out[q] = mustSearch(t, x, q)
		}
		return out
	}
	bleve, ours := run(false), run(true)
	for _, q := range queries {
		got, want := ours[q], bleve[q]
		if got.Total != want.Total || got.Strict != want.Strict || got.Relaxed != want.Relaxed || len(got.Hits) != len(want.Hits) {
			t.Errorf("%q: %d pages (%d strict, relaxed %d, %d hits), bleve %d (%d, %d, %d)", q, got.Total, got.Strict,
				got.Relaxed, len(got.Hits), want.Total, want.Strict, want.Relaxed, len(want.Hits))
			continue
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.Path != w.Path || g.Relaxed != w.Relaxed || math.Abs(g.Score-w.Score) > 1e-12*math.Abs(w.Score) {
				t.Errorf("%q hit %d: %s %.17g, bleve %s %.17g", q, i, g.Path, g.Score, w.Path, w.Score)
			}
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%q: facets %+v, bleve %+v", q, got.Facets, want.Facets)
		}
	}
}

// A lone character's terms walked term at a time (sumSearcher) find the
// same pages, in the same order, with the same scores but for the last
// bits, as bleve's own disjunction: alone, next to other words (where the
// conjunction advances it), with synonyms and under filters.
func TestSumSearcherAsBleve(t *testing.T) {
	before := search.SumSearchers()
	sameAsBleve(t, ownSearcherQueries(t), func(own bool) func() {
		if own {
			return search.SetSumTakeover(2) // every lone character on the small sample site
		}
		return search.SetSumTakeover(math.MaxInt)
	})
	if search.SumSearchers() == before {
		t.Fatal("no query used the term-at-a-time searcher: the test compares bleve with itself")
	}
}

// The clauses' disjunctions of variants and fields walked by unionSearcher
// give what bleve's disjunction gives, Advance under conjunctions and
// filters and the loose minimum included.
func TestUnionSearcherAsBleve(t *testing.T) {
	before := search.UnionSearchers()
	sameAsBleve(t, ownSearcherQueries(t), search.SetUnion)
	if search.UnionSearchers() == before {
		t.Fatal("no query used the union searcher: the test compares bleve with itself")
	}
}
