package search

import (
	"context"
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
)

// TestCharQueryIsRegexpQuery: a lone character scores every page exactly as
// bleve's regexp query does, the first time and from the cache.
func TestCharQueryIsRegexpQuery(t *testing.T) {
	idx := fixtureIndex(t)
	rd, err := idx.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	scores := func(q query.Query) map[uint64]float64 {
		t.Helper()
		p, err := walk(context.Background(), rd, idx, q, true, math.MaxInt, nil, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[uint64]float64{}
		for _, m := range p.all {
			out[m.id] = m.score
		}
		return out
	}
	for _, c := range []string{"价", "客", "的", "鲲"} {
		q, err := idx.Parse(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Clauses) != 1 || len(q.Clauses[0].Variants) != 1 || !q.Clauses[0].Variants[0].Char {
			t.Fatalf("%s: not one lone-character clause: %+v", c, q.Clauses)
		}
		var leaves []query.Query
		for _, fb := range fieldBoosts {
			if charFields[fb.field] {
				r := query.NewRegexpQuery(charPattern(c))
				r.SetField(fb.field)
				r.SetBoost(fb.boost)
				leaves = append(leaves, r)
			}
		}
		want := scores(query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(leaves)}))
		for round := range 2 { // the second from the cache
			got := scores(idx.mustQuery(q))
			if len(got) != len(want) {
				t.Errorf("%s (round %d): %d pages, the regexp query %d", c, round, len(got), len(want))
			}
			for id, w := range want {
				if g, ok := got[id]; !ok || g != w {
					t.Errorf("%s (round %d): page %d scores %v (found %v), the regexp query %v", c, round, id, g, ok, w)
				}
			}
		}
		if c != "鲲" && len(want) == 0 {
			t.Errorf("%s matches nothing: the test tests nothing", c)
		}
	}
}
