package render

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/search"
)

// The static search's outputs take the exported files as the export
// streams them: in any order, each once, with the bytes the export makes,
// and a build that ends early stops the export instead of leaving it
// waiting for takers that never come.
func TestStaticSearchHandOver(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	var docs []search.Doc
	for i := range 300 {
		docs = append(docs, search.Doc{Path: fmt.Sprintf("p/%03d.md", i), URL: fmt.Sprintf("/p/%03d/", i), Type: "page",
			Title: fmt.Sprintf("报价 %d", i), Body: "客户问价格，先讲价值再谈折扣。"})
	}
	if err := search.Build(dir, docs); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := idx.ExportStatic(t.Context())
	idx.Close()
	if err != nil {
		t.Fatal(err)
	}
	names := search.StaticFiles(len(docs))
	var st StaticSearch
	st.Indexed(dir, nil)
	// the last file first: its taker waits while the export runs past the
	// others, which stay for their own takers
	for _, name := range append([]string{names[len(names)-1]}, names[:len(names)/2]...) {
		got, err := st.take(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want[name]) {
			t.Errorf("%s: took %.80q, the export makes %.80q", name, got, want[name])
		}
	}
	if _, err := st.take(names[0]); err == nil {
		t.Errorf("%s taken twice", names[0])
	}
	st.Stop() // returns once the export has closed the index
	st.Stop()
}
