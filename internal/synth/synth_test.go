package synth

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
)

func TestGenerateBuilds(t *testing.T) {
	tests := []struct {
		n        int
		lang     string
		seed     int64
		all      bool // build with --drafts --future --expired
		wantLang string
	}{
		{n: MinPages, lang: "zh", seed: 1, wantLang: "zh-CN"},
		{n: 40, lang: "zh", seed: 1, wantLang: "zh-CN"},
		{n: 40, lang: "en", seed: 2, wantLang: "en"},
		{n: 100, lang: "mixed", seed: 3, wantLang: "zh-CN"},
		{n: 100, lang: "zh", seed: 4, all: true, wantLang: "zh-CN"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+strconv.Itoa(tt.n), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := Generate(dir, tt.n, tt.lang, tt.seed); err != nil {
				t.Fatal(err)
			}
			res, err := builder.Build(context.Background(), builder.Options{Site: dir, Dest: t.TempDir(), Now: Now,
				Drafts: tt.all, Future: tt.all, Expired: tt.all})
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			want := Expected(tt.n)
			if tt.all {
				want.PerType, want.Hidden = layout(tt.n), 0
			}
			if !maps.Equal(res.PerType, want.PerType) || res.Hidden != want.Hidden {
				t.Errorf("built %v, %d hidden; want %v, %d hidden", res.PerType, res.Hidden, want.PerType, want.Hidden)
			}
			if got := res.Site.Config.Language; got != tt.wantLang {
				t.Errorf("language %q, want %q", got, tt.wantLang)
			}
			total := res.Hidden
			for _, k := range res.PerType {
				total += k
			}
			if total != tt.n {
				t.Errorf("%d pages in all, want %d", total, tt.n)
			}
		})
	}
}

func TestLayout(t *testing.T) {
	tests := []struct {
		n    int
		want map[string]int
	}{
		{6, map[string]int{"competitor": 1, "training": 1, "script": 1, "case": 1, "retro": 1, "page": 1}},
		{100, map[string]int{"competitor": 4, "training": 12, "script": 24, "case": 24, "retro": 12, "page": 24}},
		{1000, map[string]int{"competitor": 40, "training": 120, "script": 240, "case": 240, "retro": 120, "page": 240}},
		{1234, map[string]int{"competitor": 49, "training": 148, "script": 296, "case": 296, "retro": 148, "page": 297}},
	}
	for _, tt := range tests {
		if got := layout(tt.n); !maps.Equal(got, tt.want) {
			t.Errorf("layout(%d) = %v, want %v", tt.n, got, tt.want)
		}
		c := Expected(tt.n)
		sum := c.Hidden
		for _, k := range c.PerType {
			sum += k
		}
		if sum != tt.n || c.Total != tt.n {
			t.Errorf("Expected(%d) adds up to %d (Total %d)", tt.n, sum, c.Total)
		}
	}
	if c := Expected(1000); c.Hidden < 10 || c.Hidden > 30 {
		t.Errorf("Expected(1000).Hidden = %d, want about 2%%", c.Hidden)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	for _, lang := range Langs {
		t.Run(lang, func(t *testing.T) {
			a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
			for _, d := range []struct {
				dir  string
				seed int64
			}{{a, 7}, {b, 7}, {c, 8}} {
				if err := Generate(d.dir, 80, lang, d.seed); err != nil {
					t.Fatal(err)
				}
			}
			ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
			if len(ta) != 80+countIndexes(ta)+2 {
				t.Errorf("%d files for 80 pages", len(ta))
			}
			if !maps.EqualFunc(ta, tb, bytes.Equal) {
				for name := range ta {
					if !bytes.Equal(ta[name], tb[name]) {
						t.Errorf("seed 7 twice: %s differs", name)
						break
					}
				}
				t.Fatal("same seed, different trees")
			}
			if maps.EqualFunc(ta, tc, bytes.Equal) {
				t.Error("seeds 7 and 8 gave the same tree")
			}
		})
	}
}

// Every key of the content contract appears in some file, in each of the
// three front matter formats somewhere.
func TestGenerateUsesContract(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 400, "mixed", 1); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	formats := map[string]int{}
	for name, data := range readTree(t, dir) {
		if !strings.HasPrefix(name, "content/") {
			continue
		}
		all.Write(data)
		all.WriteByte('\n')
		switch {
		case bytes.HasPrefix(data, []byte("---\n")):
			formats["yaml"]++
		case bytes.HasPrefix(data, []byte("+++\n")):
			formats["toml"]++
		case bytes.HasPrefix(data, []byte("{\n")):
			formats["json"]++
		}
	}
	if formats["yaml"] == 0 || formats["toml"] == 0 || formats["json"] == 0 {
		t.Errorf("front matter formats %v, want all three", formats)
	}
	text := all.String()
	keys := []string{"title", "type", "slug", "aliases", "weight", "date", "lastmod", "publishDate", "expiryDate", "draft",
		"summary", "tags", "industries", "regions", "stages", "roles", "owner", "reviewed", "review_every", "related",
		"channel", "objection",
		"customer", "deal_size", "currency", "outcome", "cycle_days", "closed", "team", "products", "competitors",
		"competitor", "website", "segment", "pricing", "strengths", "weaknesses", "our_edge", "traps",
		"session", "duration", "trainer", "audience", "objectives", "prerequisites", "tracks", "materials", "slides", "quiz",
		"question", "choices", "answer", "explain",
		"period", "facilitator", "participants", "wins", "problems", "whys", "actions", "what", "due", "status"}
	for _, k := range keys {
		re := regexp.MustCompile(`(?m)^\s*(- )?("` + k + `"\s*:|` + k + `\s*[:=]|\[\[` + k + `\]\])|[{,] "` + k + `": `)
		if !re.MatchString(text) {
			t.Errorf("no file uses %s", k)
		}
	}
	for _, md := range []string{"\n## ", "\n### ", "\n| ", "\n```", "\n- ", "\n1. ", "\n> ", "](../", "<!--more-->", "[^1]: ", "\n---\n\n## "} {
		if !strings.Contains(text, md) {
			t.Errorf("no body has %q", md)
		}
	}
}

func TestGenerateRejects(t *testing.T) {
	if err := Generate(t.TempDir(), MinPages-1, "zh", 1); err == nil {
		t.Error("too few pages: no error")
	}
	if err := Generate(t.TempDir(), 10, "fr", 1); err == nil {
		t.Error("lang fr: no error")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(dir, 10, "zh", 1); err == nil {
		t.Error("non-empty folder: no error")
	}
}

func TestCompetitorNamesUnique(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		s := plan(12000, lang, 1)
		seen := map[string]bool{}
		for _, p := range s.byType["competitor"] {
			if seen[p.subject] {
				t.Fatalf("%s: competitor %q twice", lang, p.subject)
			}
			seen[p.subject] = true
		}
	}
}

func TestRel(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"cases", "scripts/a.md", "../scripts/a.md"},
		{"cases", "cases/b.md", "b.md"},
		{"guides/basics", "cases/b.md", "../../cases/b.md"},
		{"guides/basics", "guides/c.md", "../c.md"},
		{"guides", "guides/basics/d.md", "basics/d.md"},
		{"cases", "root.md", "../root.md"},
		{".", "cases/b.md", "cases/b.md"},
	}
	for _, tt := range tests {
		if got := rel(tt.from, tt.to); got != tt.want {
			t.Errorf("rel(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func countIndexes(tree map[string][]byte) int {
	n := 0
	for name := range tree {
		if strings.HasSuffix(name, "_index.md") {
			n++
		}
	}
	return n
}
