package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder/model"
)

// TestSitemapSplit checks the 50,000-URL rule of sitemaps.org with a
// smaller limit: up to the limit one sitemap.xml, beyond it an index of
// parts holding every URL once.
func TestSitemapSplit(t *testing.T) {
	s := &rendering{Site: &model.Site{BaseURL: "https://kb.example.com/"}}
	urls := func(n int) []sitemapURL {
		var out []sitemapURL
		for i := range n {
			out = append(out, sitemapURL{loc: fmt.Sprintf("/p%d/", i)})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		n     int
		files []string
	}{
		{"at the limit", 3, []string{"sitemap.xml"}},
		{"one over", 4, []string{"sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"}},
		{"three parts", 7, []string{"sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outs := s.sitemapFiles(urls(tc.n), 3)
			var got []string
			text := map[string]string{}
			for _, o := range outs {
				var b bytes.Buffer
				if err := o.render(&b); err != nil {
					t.Fatal(err)
				}
				got = append(got, o.path)
				text[o.path] = b.String()
			}
			if strings.Join(got, " ") != strings.Join(tc.files, " ") {
				t.Fatalf("files = %q, want %q", got, tc.files)
			}
			all := ""
			for _, f := range got {
				if n := strings.Count(text[f], "<url>"); n > 3 {
					t.Errorf("%s lists %d URLs, over the limit of 3", f, n)
				}
				all += text[f]
			}
			for i := range tc.n {
				if loc := fmt.Sprintf("<loc>https://kb.example.com/p%d/</loc>", i); strings.Count(all, loc) != 1 {
					t.Errorf("/p%d/ is listed %d times, want once", i, strings.Count(all, loc))
				}
			}
			index := strings.Contains(text["sitemap.xml"], "<sitemapindex") && strings.Contains(text["sitemap.xml"], "https://kb.example.com/sitemap-2.xml")
			if index != (len(got) > 1) {
				t.Errorf("sitemap.xml is an index: %v, want %v:\n%s", index, len(got) > 1, text["sitemap.xml"])
			}
		})
	}
}
