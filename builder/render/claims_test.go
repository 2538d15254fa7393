package render

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCheckPathsOrder: the outputs come from maps and parallel steps in any
// order; the errors must not depend on it (a page at /search/ used to lose
// or win against the search page from one build to the next).
func TestCheckPathsOrder(t *testing.T) {
	page := func(path, file string) PathClaim {
		return PathClaim{path, claim{file: file, line: 1, field: "slug"}}
	}
	claims := []PathClaim{
		{"search/index.html", generated("(search page)")},
		page("search/index.html", "content/search.md"),
		page("Search/index.html", "content/Search.md"),
		{"sitemap.xml", generated("(sitemap)")},
		page("sitemap.xml/index.html", "content/sitemap.xml.md"),
		{"guides/a", claim{file: "static/guides/a", line: 1, field: "file", static: true}},
		page("guides/a/index.html", "content/guides/a.md"),
		{"css/x.css", claim{what: "(the theme's static/css/x.css)", static: true}},
		{"css/x.css", claim{file: "static/css/x.css", line: 1, field: "file", static: true}},
		{"old/index.html", claim{file: "content/b.md", line: 3, field: "aliases"}},
		{"OLD/index.html", claim{file: "content/b.md", line: 4, field: "aliases"}},
	}
	want := checkPaths(slices.Clone(claims)).Error()
	for i := range 50 {
		shuffled := slices.Clone(claims)
		rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := checkPaths(shuffled).Error(); got != want {
			t.Fatalf("shuffle %d:\n%s\nwant\n%s", i, got, want)
		}
	}
	wantLines := []string{
		"content/Search.md:1: slug: URL /Search/ is also claimed by (search page); give one of them another slug or file name",
		"content/search.md:1: slug: URL /search/ is also claimed by (search page); give one of them another slug or file name",
		"static/guides/a:1: file: URL /guides/a is a file, but content/guides/a.md:1 needs guides/a/ as a folder; rename or remove the static file",
		"content/sitemap.xml.md:1: slug: URL /sitemap.xml/ needs a folder sitemap.xml/, but (sitemap) writes a file there; give one of them another slug or file name",
	}
	errs := checkPaths(slices.Clone(claims))
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if !slices.Equal(got, wantLines) {
		t.Errorf("errors:\n%q\nwant\n%q", got, wantLines)
	}
	wantZh := "网址 /search/ 也被 (search page) 占用；请给其中一个换 slug 或文件名"
	if zh := errs[1].Zh(); zh != wantZh {
		t.Errorf("Chinese text %q, want %q", zh, wantZh)
	}
	for _, e := range errs {
		if e.Zh() == "" { // a zh-CN site shows every message in Chinese
			t.Errorf("%s: no Chinese text", e)
		}
	}
}
