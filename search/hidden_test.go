package search_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/search"
)

// hiddenSite has one published page and one of each kind of hidden page,
// each with a word no other page has.
var hiddenSite = map[string]string{
	"playbook.yaml":             "title: 测试\n",
	"content/scripts/公开.md":     "---\ntitle: 公开话术\n---\n公开的正文，关键词甲乙。\n",
	"content/scripts/草稿.md":     "---\ntitle: 草稿话术\ndraft: true\n---\n草稿的正文，关键词丙丁。\n",
	"content/scripts/未来.md":     "---\ntitle: 未来话术\npublishDate: 2027-01-01\n---\n未来的正文，关键词戊己。\n",
	"content/scripts/过期.md":     "---\ntitle: 过期话术\nexpiryDate: 2026-01-01\n---\n过期的正文，关键词庚辛。\n",
	"content/scripts/_index.md": "---\ntitle: 话术库\n---\n列表页的正文，关键词壬癸。\n",
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestHiddenPagesNeverIndexed builds a site with draft, future and expired
// pages and checks that only what the build publishes can be found.
func TestHiddenPagesNeverIndexed(t *testing.T) {
	site := writeSite(t, hiddenSite)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	find := func(o builder.Options, q string) []string {
		t.Helper()
		if _, err := builder.Build(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		idx, err := search.Open(builder.SearchIndexDir(site))
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		res, err := idx.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Path)
		}
		return got
	}
	o := builder.Options{Site: site, Now: now}
	if got := find(o, "关键词"); len(got) != 1 || got[0] != "scripts/公开" {
		t.Errorf("default build: 关键词 finds %v, want only scripts/公开", got)
	}
	for _, q := range []string{"丙丁", "戊己", "庚辛", "壬癸", "草稿", "未来", "过期", "话术库"} {
		if got := find(o, q); len(got) != 0 {
			t.Errorf("default build: %s finds %v", q, got)
		}
	}
	all := builder.Options{Site: site, Now: now, Drafts: true, Future: true, Expired: true}
	for _, q := range []string{"丙丁", "戊己", "庚辛"} {
		if got := find(all, q); len(got) != 1 {
			t.Errorf("build with -D -F -E: %s finds %v", q, got)
		}
	}
}

// TestIndexCurrent: an index stays current until the content, the
// visibility switches or the clock (past an expiry) change.
func TestIndexCurrent(t *testing.T) {
	files := map[string]string{
		"content/a.md": "---\ntitle: 甲\nexpiryDate: 2026-12-01\n---\n正文。\n",
	}
	site := writeSite(t, files)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	o := builder.Options{Site: site, Now: now}
	if _, err := builder.Reindex(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(builder.SearchIndexDir(site))
	if err != nil {
		t.Fatal(err)
	}
	m := idx.Meta()
	idx.Close()
	if !builder.SearchIndexCurrent(o, m) {
		t.Error("fresh index is not current")
	}
	if builder.SearchIndexCurrent(builder.Options{Site: site, Now: now, Drafts: true}, m) {
		t.Error("current for a build with drafts")
	}
	if builder.SearchIndexCurrent(builder.Options{Site: site, Now: now.AddDate(0, 1, 0)}, m) {
		t.Error("current after a page expired")
	}
	if err := os.WriteFile(filepath.Join(site, "content", "b.md"), []byte("# 乙\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if builder.SearchIndexCurrent(o, m) {
		t.Error("current after content changed")
	}
}
