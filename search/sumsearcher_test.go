package search_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/playbook-sales/playbook/search"
)

// A lone character's terms walked term at a time (sumSearcher) find the
// same pages, in the same order, with the same scores but for the last
// bits, as bleve's own disjunction: alone, next to other words (where the
// conjunction advances it), with synonyms and under filters.
func TestSumSearcherAsBleve(t *testing.T) {
	x := sampleIndex(t)
	queries := append(loadQueryStrings(t), "贵", "价", "客", "的", "单", "贵 客户", "价格 贵", "客 续约", "type:script 客",
		"stage:negotiation 价", "贵 价", "\"太贵\" 客", "客户成功 上线", "签约 回款", "续费 降价 客")
	run := func(takeover int) map[string]*search.Result {
		defer search.SetSumTakeover(takeover)()
		out := map[string]*search.Result{}
		for _, q := range queries {
			out[q] = mustSearch(t, x, q)
		}
		return out
	}
	bleve := run(math.MaxInt)
	before := search.SumSearchers()
	ours := run(2) // every lone character on the small sample site
	for _, q := range queries {
		got, want := ours[q], bleve[q]
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Errorf("%q: %d pages (%d hits), bleve %d (%d)", q, got.Total, len(got.Hits), want.Total, len(want.Hits))
			continue
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.Path != w.Path || math.Abs(g.Score-w.Score) > 1e-12*math.Abs(w.Score) {
				t.Errorf("%q hit %d: %s %.17g, bleve %s %.17g", q, i, g.Path, g.Score, w.Path, w.Score)
			}
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%q: facets %+v, bleve %+v", q, got.Facets, want.Facets)
		}
	}
	if search.SumSearchers() == before {
		t.Fatal("no query used the term-at-a-time searcher: the test compares bleve with itself")
	}
}
