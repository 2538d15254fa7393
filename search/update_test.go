package search_test

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/search"
)

// An index updated in place answers every query exactly as an index built
// afresh from the same pages: same pages in the same order, same scores,
// totals, facets and snippets. The serve mode relies on it to keep search
// in step with saves without indexing every page again.
func TestApplyMatchesFreshIndex(t *testing.T) {
	site, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	before := siteDocs(t, site, sampleNow)
	if len(before) < 10 {
		t.Fatalf("sample site has %d pages", len(before))
	}
	// The edit: one page says something new, one is gone, one is added.
	after := append([]search.Doc(nil), before...)
	after[3].Body += " 新增一段：客户要求三期付款，先确认回款节点。"
	after[3].Title += "（修订）"
	removed := after[5].Path
	after = append(after[:5], after[6:]...)
	added := before[0]
	added.Path, added.URL, added.Title = "scripts/新话术", "/scripts/新话术/", "三期付款的谈法"
	added.Body = "客户要求分三期付款时，先确认回款节点，再谈折扣。"
	after = append(after, added)

	dir := filepath.Join(t.TempDir(), "index")
	if err := search.Build(dir, before); err != nil {
		t.Fatal(err)
	}
	old, err := search.OpenWritable(dir)
	if err != nil {
		t.Fatal(err)
	}
	oldTotal := mustSearch(t, old, "三期付款").Strict
	updated, err := old.Apply([]search.Doc{after[3], added}, []string{removed})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := search.NewMemory(after)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()

	// The two hold their postings differently: the fresh index is one
	// segment, the updated one is not.
	if !fresh.OneSegment() || updated.OneSegment() {
		t.Fatalf("one segment: fresh %v, updated %v; the comparison needs true, false", fresh.OneSegment(), updated.OneSegment())
	}
	queries := append(loadQueryStrings(t), "三期付款", "回款节点", "修订", before[5].Title, "type:script 价格",
		// pinyin, of the changed title and in relaxed queries too
		"xiuding", "xd", "xiuding怎么办", "zzqx xiuding", "jiage 嫌贵",
		// keys only the removed page had: dead in the updated index
		"xslcy", "xiaoshouliuchengyu", "xslcy 价格", "xslcy怎么办")
	for _, q := range loadPinyinQueries(t) {
		queries = append(queries, q.Q)
	}
	for _, q := range queries {
		got, want := mustSearch(t, updated, q), mustSearch(t, fresh, q)
		got.Took, want.Took = 0, 0
		// Scores are sums over segments, so the last bits may differ with
		// the order of the sum; anything more is a different ranking.
		for i := range got.Hits {
			if i < len(want.Hits) && math.Abs(got.Hits[i].Score-want.Hits[i].Score) <= 1e-9*math.Abs(want.Hits[i].Score) {
				got.Hits[i].Score = want.Hits[i].Score
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: updated index answers\n%+v\nfresh index answers\n%+v", q, brief(got), brief(want))
		}
	}
	if r := mustSearch(t, updated, "三期付款"); r.Strict == 0 || r.Strict <= oldTotal {
		t.Errorf("三期付款: %d pages after the update, %d before", r.Strict, oldTotal)
	}
	if m := updated.Meta().Docs; m != len(after) {
		t.Errorf("Meta().Docs = %d, want %d", m, len(after))
	}
	// The old value keeps answering from the pages it had until it is closed.
	if r := mustSearch(t, old, "三期付款"); r.Strict != oldTotal {
		t.Errorf("old index: 三期付款 %d pages, want %d as before the update", r.Strict, oldTotal)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, updated, "回款节点"); r.Total == 0 {
		t.Error("closing the old value closed the updated index")
	}
	if err := updated.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestApplyNeedsWritable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if err := search.Build(dir, []search.Doc{{Path: "a", Title: "甲"}}); err != nil {
		t.Fatal(err)
	}
	x, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Apply([]search.Doc{{Path: "b", Title: "乙"}}, nil); err == nil {
		t.Error("Apply on a read-only index succeeded")
	}
}

func mustSearch(t *testing.T, x *search.Index, q string) *search.Result {
	t.Helper()
	r, err := x.Search(context.Background(), search.Request{Query: q, Limit: 20})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return r
}

// loadQueryStrings returns the queries of the quality and dev sets: the
// dev set's questions relax.
func loadQueryStrings(t *testing.T) []string {
	var out []string
	for _, q := range append(loadQueries(t), loadQueryFile(t, "testdata/dev-queries.yaml")...) {
		out = append(out, q.Q)
	}
	return out
}

func brief(r *search.Result) string {
	var b strings.Builder
	for _, h := range r.Hits {
		b.WriteString(h.Path + " ")
	}
	return b.String()
}

// The static export of an index updated in place is, file for file, the
// export of an index built afresh from the same pages, after edits that
// delete terms (a body rewritten, a title changed) and a page deleted: the
// updated index's term dictionary still lists the terms of the deleted
// and changed pages until its segments merge, and none may reach the
// export, not even as an empty list.
func TestApplyExportMatchesFreshExport(t *testing.T) {
	site, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	before := siteDocs(t, site, sampleNow)
	after := append([]search.Doc(nil), before...)
	after[3].Body = "改写后的正文只剩一句：先确认回款节点。"
	after[4].Title = "新标题"
	after = append(after[:7], after[8:]...)
	removed := before[7].Path

	dir := filepath.Join(t.TempDir(), "index")
	if err := search.Build(dir, before); err != nil {
		t.Fatal(err)
	}
	x, err := search.OpenWritable(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	// two updates, as two saves make: the second deletes what the first added
	mid := append([]search.Doc(nil), after[3], after[4])
	mid[0].Body += " 临时加的一段 zyxwvterm。"
	y, err := x.Apply(mid, []string{removed})
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	updated, err := y.Apply([]search.Doc{after[3]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer updated.Close()
	fresh, err := search.NewMemory(after)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()

	got, err := updated.ExportStatic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, err := fresh.ExportStatic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for name, w := range want {
		if g, ok := got[name]; !ok || string(g) != string(w) {
			bad = append(bad, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			bad = append(bad, "extra "+name)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("%d of %d files differ from a fresh export: %v", len(bad), len(want), bad[:min(len(bad), 10)])
	}
}
