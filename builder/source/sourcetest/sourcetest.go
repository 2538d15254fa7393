// Package sourcetest holds the hostile and odd files of the source rule
// (package source) as test cases: links leading out of a site, loops,
// named pipes, a page over the size limit, and links that stay inside.
// The tests of build, check, serve and new run the same cases.
package sourcetest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Secret is the text of the files outside the site. No output, error
// page or index may ever contain it.
const Secret = "root:x:0:0:root:/root:/bin/bash OUTSIDE-THE-SITE"

// Case is one change to a site made by Site.
type Case struct {
	Name  string
	Paths []string // the site's files the change makes or replaces, slash-separated
	Make  func(t testing.TB, site, outside string)
	// Err starts the error naming the file, "" when the site must still
	// build. Config says it is an error of the whole site (playbook.yaml),
	// reported alone rather than with the content errors.
	Err    string
	Config bool
	// Want maps output paths to text they must contain after the change.
	Want map[string]string
}

// Site writes a small site that builds, and beside it a folder holding
// secret.md, secret.txt and secrets/secret.md, all containing Secret. It
// returns both folders. The site's playbook.yaml is a file, so cases may
// replace it with a link.
func Site(t testing.TB) (site, outside string) {
	t.Helper()
	base := t.TempDir()
	site, outside = filepath.Join(base, "site"), filepath.Join(base, "outside")
	files := map[string]string{
		"site/playbook.yaml":            "title: 测试手册\nlanguage: zh-CN\n",
		"site/content/_index.md":        "---\ntitle: 首页\n---\n\n欢迎。\n",
		"site/content/guides/intro.md":  "---\ntitle: 入门\n---\n\n第一周先读这一页。\n",
		"site/static/css/extra.css":     "body { color: black }\n",
		"site/shared/page.md":           "---\ntitle: 共享页面\n---\n\n放在站点里别处的页面。\n",
		"site/shared/logo.txt":          "LOGO INSIDE THE SITE\n",
		"site/shared/assets/app.js":     "console.log('inside')\n",
		"outside/secret.md":             "---\ntitle: 泄露\n---\n\n" + Secret + "\n",
		"outside/secret.txt":            Secret + "\n",
		"outside/secrets/secret.md":     "---\ntitle: 泄露\n---\n\n" + Secret + "\n",
		"outside/secrets/secret.txt":    Secret + "\n",
		"outside/layouts/home.html":     "{{ define \"main\" }}" + Secret + "{{ end }}\n",
		"outside/archetypes/script.md":  "---\ntitle: \"{{ .Title }}\"\ndraft: true\n---\n\n" + Secret + "\n",
		"outside/synonyms/synonyms.yml": "- [" + strings.Fields(Secret)[0] + ", 泄露]\n",
	}
	for name, text := range files {
		Write(t, filepath.Join(base, filepath.FromSlash(name)), text)
	}
	return site, outside
}

// Write writes a file, making its folder.
func Write(t testing.TB, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// link makes site/name a symlink to target, replacing what is there.
func link(t testing.TB, target, site, name string) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

func fifo(t testing.TB, site, name string) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
}

// BigPage is the size of the oversize page: one byte over the limit.
const BigPage = 5<<20 + 1

const outsideErr = ":1: file: leads outside the site folder"

// Cases are the changes every command must handle alike.
var Cases = []Case{
	{Name: "page linked to a file outside", Paths: []string{"content/guides/passwd.md"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "secret.md"), site, "content/guides/passwd.md")
		}, Err: "content/guides/passwd.md" + outsideErr},
	{Name: "existing page replaced by a link outside", Paths: []string{"content/guides/intro.md"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "secret.md"), site, "content/guides/intro.md")
		}, Err: "content/guides/intro.md" + outsideErr},
	{Name: "static file linked outside", Paths: []string{"static/passwd.txt"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "secret.txt"), site, "static/passwd.txt")
		}, Err: "static/passwd.txt" + outsideErr},
	{Name: "content folder linked outside", Paths: []string{"content/leak"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "secrets"), site, "content/leak")
		}, Err: "content/leak" + outsideErr},
	{Name: "static folder linked outside", Paths: []string{"static/leak"},
		Make: func(t testing.TB, site, outside string) {
			link(t, "../../outside/secrets", site, "static/leak")
		}, Err: "static/leak" + outsideErr},
	{Name: "chain of links ending outside", Paths: []string{"content/guides/hop", "content/guides/chain.md"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "secret.md"), site, "content/guides/hop")
			link(t, "hop", site, "content/guides/chain.md")
		}, Err: "content/guides/chain.md" + outsideErr},
	{Name: "theme template linked outside", Paths: []string{"themes/default/layouts/home.html"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "layouts", "home.html"), site, "themes/default/layouts/home.html")
		}, Err: "themes/default/layouts/home.html" + outsideErr},
	{Name: "archetype linked outside", Paths: []string{"archetypes/script.md"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "archetypes", "script.md"), site, "archetypes/script.md")
		}, Err: "archetypes/script.md" + outsideErr},
	{Name: "synonyms.yaml linked outside", Paths: []string{"synonyms.yaml"},
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "synonyms", "synonyms.yml"), site, "synonyms.yaml")
		}, Err: "synonyms.yaml" + outsideErr},
	{Name: "playbook.yaml linked outside", Paths: []string{"playbook.yaml"}, Config: true,
		Make: func(t testing.TB, site, outside string) {
			link(t, filepath.Join(outside, "secret.txt"), site, "playbook.yaml")
		}, Err: "playbook.yaml" + outsideErr},
	{Name: "page linked to the zero device", Paths: []string{"content/guides/zero.md"},
		Make: func(t testing.TB, site, outside string) {
			link(t, "/dev/zero", site, "content/guides/zero.md")
		}, Err: "content/guides/zero.md:1: file: leads outside the site folder, to /dev/zero"},
	{Name: "link loop", Paths: []string{"content/guides/loop.md", "content/guides/loop2.md"},
		Make: func(t testing.TB, site, outside string) {
			link(t, "loop2.md", site, "content/guides/loop.md")
			link(t, "loop.md", site, "content/guides/loop2.md")
		}, Err: "content/guides/loop.md:1: file: symlink loop"},
	{Name: "folder linked to its parent", Paths: []string{"content/guides/up"},
		Make: func(t testing.TB, site, outside string) {
			link(t, "..", site, "content/guides/up")
		}, Err: "content/guides/up:1: file: a symlink leads to the folder content, which is read already"},
	{Name: "page that is a named pipe", Paths: []string{"content/guides/pipe.md"},
		Make: func(t testing.TB, site, outside string) {
			fifo(t, site, "content/guides/pipe.md")
		}, Err: "content/guides/pipe.md:1: file: not a regular file (a named pipe)"},
	{Name: "static file that is a named pipe", Paths: []string{"static/pipe.txt"},
		Make: func(t testing.TB, site, outside string) {
			fifo(t, site, "static/pipe.txt")
		}, Err: "static/pipe.txt:1: file: not a regular file (a named pipe)"},
	{Name: "page over the size limit", Paths: []string{"content/guides/big.md"},
		Make: func(t testing.TB, site, outside string) {
			head := "---\ntitle: 大\n---\n\n"
			Write(t, filepath.Join(site, "content", "guides", "big.md"), head+strings.Repeat("x", BigPage-len(head)))
		}, Err: "content/guides/big.md:1: file: 5.0 MB (5242881 bytes), over the limit of 5 MB"},
	{Name: "links that stay inside the site",
		Paths: []string{"content/guides/shared.md", "static/logo.txt", "static/assets"},
		Make: func(t testing.TB, site, outside string) {
			link(t, "../../shared/page.md", site, "content/guides/shared.md")
			link(t, filepath.Join(site, "shared", "logo.txt"), site, "static/logo.txt") // absolute, still inside
			link(t, "../shared/assets", site, "static/assets")
		},
		Want: map[string]string{
			"guides/shared/index.html": "放在站点里别处的页面",
			"logo.txt":                 "LOGO INSIDE THE SITE",
			"assets/app.js":            "inside",
		}},
}

// Leaks lists the regular files under dir holding Secret. It reads no
// pipes and follows no links, so it never hangs or looks outside.
func Leaks(t testing.TB, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), Secret) {
			found = append(found, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// Files reads every regular file under dir into a map from slash path to
// content, to compare a folder before and after a failed build.
func Files(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
