package content_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder/content"
)

// newSite parses files (content path → source) in path order, as the
// builder does, and fails the test on any parse error.
func newSite(t *testing.T, files map[string]string) *content.Site {
	t.Helper()
	rels := make([]string, 0, len(files))
	for rel := range files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	var pages []*content.Page
	for _, rel := range rels {
		pages = append(pages, mustParse(t, rel, files[rel]))
	}
	return content.NewSite(pages)
}

// TestSiteCheck covers what only the whole site can tell.
func TestSiteCheck(t *testing.T) {
	battlecard := lines("---", "title: 星图CRM", "---")
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "all references resolve",
			files: map[string]string{
				"competitors/星图crm.md": battlecard,
				"scripts/太贵.md":        lines("---", "title: 太贵", "related: [cases/东林银行.md, /competitors/星图crm]", "---"),
				"cases/东林银行.md": lines("---", "title: 东林银行",
					"competitors: [competitors/星图crm.md]", "related: [content/scripts/太贵.md]", "---"),
				"training/a.md": lines("---", "title: a", "prerequisites: [training/b]", "materials: [scripts/太贵, cases/东林银行]", "---"),
				"training/b.md": lines("---", "title: b", "---"),
			},
			want: nil,
		},
		{
			name: "unresolved reference with a suggestion",
			files: map[string]string{
				"competitors/星图crm.md": battlecard,
				"cases/acme.md":        lines("---", "title: acme", "outcome: lost", "competitors:", "  - competitors/星图cmr", "---"),
			},
			want: []string{`content/cases/acme.md:4: competitors: "competitors/星图cmr" does not exist; want the content path of a page without .md, such as competitors/星图crm (did you mean "competitors/星图crm"?)`},
		},
		{
			name: "unresolved reference without a near page",
			files: map[string]string{
				"training/a.md": lines("---", "title: a", "materials: [guides/完全不同的页面]", "---"),
			},
			want: []string{`content/training/a.md:3: materials: "guides/完全不同的页面" does not exist; want the content path of a page without .md, such as training/a`},
		},
		{
			name: "reference to the wrong type",
			files: map[string]string{
				"scripts/太贵.md": lines("---", "title: 太贵", "---"),
				"cases/acme.md": lines("---", "title: acme", "competitors: [scripts/太贵]", "---"),
			},
			want: []string{`content/cases/acme.md:3: competitors: "scripts/太贵" is a script page; want a competitor page`},
		},
		{
			name: "prerequisite of the wrong type",
			files: map[string]string{
				"guides/x.md":   lines("---", "title: x", "---"),
				"training/a.md": lines("---", "title: a", "prerequisites: [guides/x]", "---"),
			},
			want: []string{`content/training/a.md:3: prerequisites: "guides/x" is a page page; want a training page`},
		},
		{
			name: "prerequisite cycle names its files",
			files: map[string]string{
				"training/a.md": lines("---", "title: a", "prerequisites: [training/b]", "---"),
				"training/b.md": lines("---", "title: b", "", "prerequisites:", "  - training/c.md", "---"),
				"training/c.md": lines("---", "title: c", "prerequisites: [training/a]", "---"),
				"training/d.md": lines("---", "title: d", "prerequisites: [training/a]", "---"),
			},
			want: []string{`content/training/c.md:3: prerequisites: prerequisite cycle training/a → training/b → training/c → training/a (files: content/training/a.md, content/training/b.md, content/training/c.md); remove one of these prerequisites`},
		},
		{
			name: "a module that requires itself",
			files: map[string]string{
				"training/a.md": lines("---", "title: a", "prerequisites: [training/a]", "---"),
			},
			want: []string{`content/training/a.md:3: prerequisites: prerequisite cycle training/a → training/a (files: content/training/a.md); remove one of these prerequisites`},
		},
		{
			name: "two pages claim one URL through a slug",
			files: map[string]string{
				"scripts/太贵.md":    lines("---", "title: 太贵", "slug: price", "---"),
				"scripts/price.md": lines("---", "title: price", "---"),
			},
			want: []string{`content/scripts/太贵.md:3: slug: URL /scripts/price/ is also claimed by content/scripts/price.md:1; give one of them another slug or file name`},
		},
		{
			name: "slugs that differ only in case clash",
			files: map[string]string{
				"scripts/a.md": lines("---", "title: a", "slug: Price", "---"),
				"scripts/b.md": lines("---", "title: b", "", "slug: price", "---"),
			},
			want: []string{`content/scripts/b.md:4: slug: URL /scripts/price/ is also claimed by content/scripts/a.md:3; give one of them another slug or file name`},
		},
		{
			name: "an alias takes a page's URL",
			files: map[string]string{
				"scripts/a.md": lines("---", "title: a", "aliases: [/scripts/b/]", "---"),
				"scripts/b.md": lines("---", "title: b", "---"),
			},
			want: []string{`content/scripts/b.md:1: slug: URL /scripts/b/ is also claimed by content/scripts/a.md:3; give one of them another slug or file name`},
		},
		{
			name: "two pages claim one alias",
			files: map[string]string{
				"scripts/a.md": lines("---", "title: a", "aliases: [/old/price/]", "---"),
				"guides/b.md":  lines("---", "title: b", "aliases:", "  - old/price", "---"),
			},
			want: []string{`content/scripts/a.md:3: aliases: URL /old/price/ is also claimed by content/guides/b.md:4; give one of them another slug or file name`},
		},
		{
			name: "one page lists an alias twice, or in two letter cases",
			files: map[string]string{
				"guides/a.md": lines("---", "title: a", "aliases: [/old/a/, /old/a/, old/a, /Old/A/]", "---"),
			},
		},
		{
			name: "every problem at once",
			files: map[string]string{
				"cases/a.md":    lines("---", "title: a", "competitors: [competitors/nope]", "related: [scripts/b]", "---"),
				"scripts/a.md":  lines("---", "title: a", "slug: a", "aliases: [/cases/a/]", "---"),
				"training/a.md": lines("---", "title: a", "prerequisites: [training/a]", "---"),
			},
			want: []string{
				`content/cases/a.md:3: competitors: "competitors/nope" does not exist; want the content path of a page without .md, such as competitors/name`,
				`content/cases/a.md:4: related: "scripts/b" does not exist; want the content path of a page without .md, such as cases/a (did you mean "scripts/a"?)`,
				`content/scripts/a.md:4: aliases: URL /cases/a/ is also claimed by content/cases/a.md:1; give one of them another slug or file name`,
				`content/training/a.md:3: prerequisites: prerequisite cycle training/a → training/a (files: content/training/a.md); remove one of these prerequisites`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := newSite(t, tt.files).Check()
			got := errLines(errs)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check():\ngot:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			for _, e := range errs {
				if e.Zh() == "" { // a zh-CN site shows every message in Chinese
					t.Errorf("%s: no Chinese text", e)
				}
			}
		})
	}
}

// TestResolveLink covers markdown link destinations between content files.
func TestResolveLink(t *testing.T) {
	s := newSite(t, map[string]string{
		"_index.md":          lines("---", "title: 首页", "---"),
		"cases/_index.md":    lines("---", "title: 案例", "---"),
		"cases/东林银行.md":      lines("---", "title: 东林银行", "---"),
		"scripts/太贵.md":      lines("---", "title: 太贵", "---"),
		"training/_index.md": lines("---", "title: 培训", "---"),
	})
	from := s.Get("scripts/太贵")
	home := s.Get("_index")
	cases := s.Get("cases/_index")
	tests := []struct {
		from      *content.Page
		dest      string
		target    string // content path, "" for none
		fragment  string
		isContent bool
	}{
		{from, "../cases/东林银行.md", "cases/东林银行", "", true},
		{from, "../cases/东林银行.md#成交要点", "cases/东林银行", "成交要点", true},
		{from, "/cases/东林银行.md", "cases/东林银行", "", true},
		{from, "太贵.md", "scripts/太贵", "", true},
		{from, "../cases/%E4%B8%9C%E6%9E%97%E9%93%B6%E8%A1%8C.md", "cases/东林银行", "", true},
		{from, "../training.md", "training/_index", "", true},
		{from, "../cases/不存在.md", "", "", true},
		{from, "https://example.com/a.md", "", "", false},
		{from, "#要点", "", "", false},
		{from, "../cases/东林银行/", "cases/东林银行", "", true},
		{from, "/cases/东林银行", "cases/东林银行", "", true},
		{from, "/tags/价格/", "", "", false},
		{from, "../img/logo.png", "", "", false},
		{from, "mailto:sales@example.com", "", "", false},
		{home, "cases/东林银行.md", "cases/东林银行", "", true},
		{cases, "东林银行.md", "cases/东林银行", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.from.Path+" → "+tt.dest, func(t *testing.T) {
			got, frag, isContent := s.ResolveLink(tt.from, tt.dest)
			gotPath := ""
			if got != nil {
				gotPath = got.Path
			}
			if gotPath != tt.target || frag != tt.fragment || isContent != tt.isContent {
				t.Errorf("ResolveLink = %q, %q, %v; want %q, %q, %v", gotPath, frag, isContent, tt.target, tt.fragment, tt.isContent)
			}
		})
	}
}

func TestNormalizeRef(t *testing.T) {
	for in, want := range map[string]string{
		"cases/acme":            "cases/acme",
		"cases/acme.md":         "cases/acme",
		"/cases/acme/":          "cases/acme",
		"content/cases/acme.md": "cases/acme",
		" scripts/太贵.md ":       "scripts/太贵",
	} {
		if got := content.NormalizeRef(in); got != want {
			t.Errorf("NormalizeRef(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		days    content.Duration
		str     string
		wantErr bool
	}{
		{"90d", 90, "90d", false},
		{"6w", 42, "6w", false},
		{"3m", 90, "90d", false},
		{"1y", 365, "1y", false},
		{" 2Y ", 730, "2y", false},
		{"1d", 1, "1d", false},
		{"never", 0, "", false},
		{"0d", 0, "", true},
		{"-7d", 0, "", true},
		{"90", 0, "", true},
		{"d", 0, "", true},
		{"", 0, "", true},
		{"1.5w", 0, "", true},
		{"90 天", 0, "", true},
		{"3h", 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := content.ParseDuration(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDuration(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "90d") {
					t.Errorf("error %q does not show an example", err)
				}
				return
			}
			if d != tt.days || d.String() != tt.str {
				t.Errorf("ParseDuration(%q) = %d days (%q), want %d (%q)", tt.in, d, d.String(), tt.days, tt.str)
			}
		})
	}
}

func TestErrorsSortAndPrint(t *testing.T) {
	es := content.Errors{
		{File: "content/b.md", Line: 2, Field: "x", Msg: "m"},
		{File: "content/a.md", Line: 10, Field: "y", Msg: "m"},
		{File: "content/a.md", Line: 9, Field: "z", Msg: "m"},
	}
	err := es.Err()
	want := "content/a.md:9: z: m\ncontent/a.md:10: y: m\ncontent/b.md:2: x: m"
	if err == nil || err.Error() != want {
		t.Errorf("Errors:\n%v\nwant:\n%s", err, want)
	}
}
