package builder_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
)

// agreeBase is a small valid site each case of TestBuildAndCheckAgree adds to.
var agreeBase = map[string]string{
	"playbook.yaml":            "title: 一致性\n",
	"content/guides/a.md":      "---\ntitle: 甲\ntags: [价格]\n---\n正文。\n",
	"content/training/t.md":    "---\ntitle: 培训\nsession: 2026-12-01T15:00:00\nslides: true\ntracks: [新人]\n---\n正文。\n",
	"static/img/logo.svg":      "<svg/>",
	"static/docs/manual/a.txt": "手册",
}

// deep nests a value n lists deep.
func deep(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

// TestBuildAndCheckAgree: every input that makes build fail makes check
// fail with the same errors, each content error naming a file and field;
// neither writes public/. The inputs are the ones found to break build
// alone, and the hostile and odd front matter and URLs of issue 14.
func TestBuildAndCheckAgree(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // added to agreeBase
		links map[string]string // symlink → target
		want  string            // a line (or part of one) both must report; "" when the site is fine
	}{
		{name: "a good site", want: ""},
		// Inputs build failed on while check said ok.
		{name: "TOML nested 50,000 deep", files: map[string]string{"content/guides/d.md": "+++\ntitle = \"d\"\nx = " + deep(50000) + "\n+++\n"},
			want: "content/guides/d.md:3: x: lists and mappings nested more than 32 levels deep; front matter allows 32"},
		{name: "a NUL in an alias", files: map[string]string{"content/guides/n.md": "---\ntitle: n\naliases: [\"/a\\0b/\"]\n---\n"},
			want: `content/guides/n.md:3: aliases: want a site path such as /old/price/, got "/a\x00b/" ('\x00' is not allowed)`},
		{name: "a session in year 9999 with a huge duration",
			files: map[string]string{"content/training/late.md": "---\ntitle: late\nsession: 9999-12-01T10:00:00\nduration: 100000000000\n---\n"},
			want:  "content/training/late.md:3: session: want a date from 1900-01-01 to 2999-12-31"},
		{name: "a static link to a folder", links: map[string]string{"static/manual": "docs/manual"},
			want: "manual"}, // the link's name, whatever rule static/ links follow
		{name: "a theme layout that fails to render", files: map[string]string{"themes/default/layouts/section.html": `{{define "main"}}{{.Nope}}{{end}}`},
			want: "render guides/index.html (content/guides/a.md): "},
		{name: "a synonyms file that cannot be read", files: map[string]string{"synonyms.yaml": "groups: [[[\n"},
			want: "synonyms.yaml:1: file: want a list of groups"},
		// Front matter limits (item 2) and line ends (item 4).
		{name: "a YAML alias bomb", files: map[string]string{"content/guides/bomb.md": "---\ntitle: bomb\n" +
			"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" +
			"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n---\n"},
			want: "content/guides/bomb.md:7: e: YAML aliases (*name) copy more than 10000 values; front matter allows 10000, write the values out instead"},
		{name: "YAML nested 50,000 deep", files: map[string]string{"content/guides/d.md": "---\ntitle: d\nx: " + deep(50000) + "\n---\n"},
			want: "content/guides/d.md:3: front matter: invalid YAML: exceeded max depth of 10000"},
		{name: "JSON nested 40 deep", files: map[string]string{"content/guides/d.md": "{\n\"title\": \"d\",\n\"x\": " + deep(40) + "\n}\n"},
			want: "content/guides/d.md:3: x: lists and mappings nested more than 32 levels deep; front matter allows 32"},
		{name: "front matter over the size limit",
			files: map[string]string{"content/guides/big.md": "---\ntitle: big\nsummary: " + strings.Repeat("长", content.MaxFrontMatterSize/3) + "\n---\n"},
			want:  "content/guides/big.md:2: front matter: 257 KiB is more than front matter may hold (256 KiB); move long text into the body"},
		{name: "a CR-only file with a bad field", files: map[string]string{"content/guides/cr.md": "---\rtitle: cr\rdraft: nah\r---\r"},
			want: `content/guides/cr.md:3: draft: want true or false, got "nah"`},
		// URLs (item 5).
		{name: "a page at /search/", files: map[string]string{"content/search.md": "---\ntitle: 搜索\n---\n"},
			want: "content/search.md:1: slug: URL /search/ is also claimed by (search page); give one of them another slug or file name"},
		{name: "a section folder at /search/", files: map[string]string{"content/search/x.md": "---\ntitle: x\n---\n"},
			want: "content/search/x.md:1: file: URL /search/ (list page of section search) is also claimed by (search page); rename the file or its folder"},
		{name: "404.html.md", files: map[string]string{"content/404.html.md": "---\ntitle: 404\n---\n"},
			want: "content/404.html.md:1: slug: URL /404.html/ needs a folder 404.html/, but (404 page) writes a file there; give one of them another slug or file name"},
		{name: "sitemap.xml.md", files: map[string]string{"content/sitemap.xml.md": "---\ntitle: s\n---\n"},
			want: "content/sitemap.xml.md:1: slug: URL /sitemap.xml/ needs a folder sitemap.xml/, but (sitemap) writes a file there; give one of them another slug or file name"},
		{name: "index.xml.md", files: map[string]string{"content/index.xml.md": "---\ntitle: s\n---\n"},
			want: "content/index.xml.md:1: slug: URL /index.xml/ needs a folder index.xml/, but (feed of recent changes) writes a file there; give one of them another slug or file name"},
		{name: "an alias of /sitemap.xml/", files: map[string]string{"content/guides/s.md": "---\ntitle: s\naliases:\n  - /old/\n  - /sitemap.xml/\n---\n"},
			want: "content/guides/s.md:5: aliases: URL /sitemap.xml/ needs a folder sitemap.xml/, but (sitemap) writes a file there; give one of them another slug or file name"},
		{name: "an alias of an API file's folder", files: map[string]string{"content/guides/s.md": "---\ntitle: s\naliases: [/api/pages.json/]\n---\n"},
			want: "content/guides/s.md:3: aliases: URL /api/pages.json/ needs a folder api/pages.json/, but (API) writes a file there; give one of them another slug or file name"},
		{name: "a page at /actions/", files: map[string]string{"content/actions.md": "---\ntitle: a\n---\n"},
			want: "content/actions.md:1: slug: URL /actions/ is also claimed by (action board); give one of them another slug or file name"},
		{name: "a page at a module's slides", files: map[string]string{"content/training/t/slides.md": "---\ntitle: s\n---\n"},
			want: "content/training/t/slides.md:1: slug: URL /training/t/slides/ is also claimed by (slides of content/training/t.md); give one of them another slug or file name"},
		{name: "a page at a learning track", files: map[string]string{"content/tracks/新人.md": "---\ntitle: s\n---\n"},
			want: "content/tracks/新人.md:1: slug: URL /tracks/新人/ is also claimed by (learning track 新人); give one of them another slug or file name"},
		{name: "a page at a tag", files: map[string]string{"content/tags/价格.md": "---\ntitle: s\n---\n"},
			want: "content/tags/价格.md:1: slug: URL /tags/价格/ is also claimed by (taxonomy tags); give one of them another slug or file name"},
		{name: "a static file at a generated file", files: map[string]string{"static/sitemap.xml": "<urlset/>"},
			want: "static/sitemap.xml:1: file: URL /sitemap.xml is also claimed by (sitemap); rename or remove the static file"},
		{name: "a static file where a page needs a folder", files: map[string]string{"static/guides/a": "x"},
			want: "static/guides/a:1: file: URL /guides/a is a file, but content/guides/a.md:1 needs guides/a/ as a folder; rename or remove the static file"},
		{name: "a static file at a page", files: map[string]string{"static/guides/a/index.html": "x"},
			want: "static/guides/a/index.html:1: file: URL /guides/a/ is also claimed by content/guides/a.md:1; rename or remove the static file"},
		{name: "a page in the theme's css folder", files: map[string]string{"content/css/playbook.css.md": "---\ntitle: c\n---\n"},
			want: "content/css/playbook.css.md:1: slug: URL /css/playbook.css/ needs a folder css/playbook.css/, but (the theme's static/css/playbook.css) writes a file there; give one of them another slug or file name"},
		{name: "# in a file name", files: map[string]string{"content/guides/c#x.md": "---\ntitle: c\n---\n"},
			want: "content/guides/c#x.md:1: file: the path has '#', which breaks the page's URL and links to it"},
		{name: "? in a file name", files: map[string]string{"content/guides/c?x.md": "---\ntitle: c\n---\n"},
			want: "content/guides/c?x.md:1: file: the path has '?', which breaks the page's URL and links to it"},
		{name: "two pages claim one alias", files: map[string]string{
			"content/guides/b.md": "---\ntitle: b\naliases: [/old/]\n---\n", "content/guides/c.md": "---\ntitle: c\naliases: [/old/]\n---\n"},
			want: "content/guides/c.md:3: aliases: URL /old/ is also claimed by content/guides/b.md:3; give one of them another slug or file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := agreeSite(t, tt.files, tt.links)
			o := builder.Options{Site: site, Now: testNow}
			_, berr := builder.Build(context.Background(), o)
			_, _, cerr := builder.Check(context.Background(), o)
			if tt.want == "" {
				if berr != nil || cerr != nil {
					t.Fatalf("a good site: build: %v; check: %v", berr, cerr)
				}
				return
			}
			if berr == nil || cerr == nil {
				t.Fatalf("build: %v\ncheck: %v\nwant both to fail", berr, cerr)
			}
			if berr.Error() != cerr.Error() {
				t.Errorf("build and check disagree:\nbuild: %v\ncheck: %v", berr, cerr)
			}
			if !strings.Contains(berr.Error(), tt.want) {
				t.Errorf("errors:\n%v\nwant a line with %q", berr, tt.want)
			}
			var ce content.Errors
			if errors.As(cerr, &ce) {
				for _, e := range ce {
					if e.File == "" || e.Field == "" || e.Line < 1 {
						t.Errorf("%q names no file, line and field", e)
					}
				}
			}
			if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
				t.Error("public/ was written by a failed build")
			}
		})
	}
}

// agreeSite writes agreeBase, files and symlinks into a new site folder.
func agreeSite(t *testing.T, files, links map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range agreeBase {
		write(name, data)
	}
	if files["themes/default/layouts/section.html"] != "" { // a theme folder overrides the embedded one
		write("playbook.yaml", agreeBase["playbook.yaml"]+"theme: default\n")
	}
	for name, data := range files {
		write(name, data)
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(fmt.Errorf("symlink: %w", err))
		}
	}
	return dir
}
