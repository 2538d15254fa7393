package search_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/search"
	"go.yaml.in/yaml/v3"
)

// pinyinFloor is the least MRR@10 the pinyin queries may score (0.071
// before pinyin search, 0.911 with it). Raise it when pinyin improves.
const pinyinFloor = 0.90

func loadPinyinQueries(t testing.TB) []rankedQuery {
	t.Helper()
	data, err := os.ReadFile("testdata/pinyin-queries.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var qs []rankedQuery
	if err := yaml.Unmarshal(data, &qs); err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestPinyinQueries scores testdata/pinyin-queries.yaml on the sample site.
func TestPinyinQueries(t *testing.T) {
	idx := sampleIndex(t)
	var sum float64
	var report strings.Builder
	found := 0
	qs := loadPinyinQueries(t)
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
			found++
		}
		first := "(none)"
		if len(res.Hits) > 0 {
			first = res.Hits[0].Path
		}
		fmt.Fprintf(&report, "  rank %-2s total %-3d %-20s want %-28s first %s\n", rankText(rank), res.Total, q.Q, q.Want, first)
	}
	mrr := sum / float64(len(qs))
	t.Logf("pinyin MRR@10 = %.3f, %d of %d found in the top 10 (floor %.2f)\n%s", mrr, found, len(qs), pinyinFloor, report.String())
	if mrr < pinyinFloor {
		t.Errorf("pinyin MRR@10 %.3f is below the floor %.2f", mrr, pinyinFloor)
	}
}
