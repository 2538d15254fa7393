package main

import (
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
)

// copySample copies the repository's sample site (playbook.yaml, content/,
// static/, …) into a temporary folder, so building it leaves the working
// tree alone (the build writes public/ and .playbook/).
func copySample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"playbook.yaml", "content", "static", "archetypes", "synonyms.yaml"} {
		src := filepath.Join("..", "..", name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			target := filepath.Join(dst, rel)
			if d.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestSampleSite builds the sample knowledge base in ../../content: it must
// build without a single error and have pages of every type.
func TestSampleSite(t *testing.T) {
	site := copySample(t)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	res, err := builder.Build(context.Background(), builder.Options{Site: site, Now: now})
	if err != nil {
		t.Fatalf("the sample site does not build:\n%v", err)
	}
	total := 0
	for _, typ := range content.Types {
		if res.PerType[typ] == 0 {
			t.Errorf("no published %s pages in the sample site", typ)
		}
		total += res.PerType[typ]
	}
	if total < 40 {
		t.Errorf("%d published pages, want at least 40 (per type: %v)", total, res.PerType)
	}
	t.Logf("%s", summary(res))

	// Every link between pages of the sample leads to a built file.
	checkInternalLinks(t, res.Dest)
}

var hrefRE = regexp.MustCompile(`\bhref="(/[^"/][^"]*|/)"`)

// checkInternalLinks follows every root-relative href of every HTML file
// and reports those that lead to no file of the build.
func checkInternalLinks(t *testing.T, public string) {
	t.Helper()
	broken := map[string][]string{}
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		from, _ := filepath.Rel(public, p)
		for _, m := range hrefRE.FindAllStringSubmatch(string(b), -1) {
			u := strings.SplitN(strings.SplitN(m[1], "#", 2)[0], "?", 2)[0]
			if dec, err := url.PathUnescape(u); err == nil {
				u = dec
			}
			target := filepath.Join(public, filepath.FromSlash(u))
			if strings.HasSuffix(u, "/") {
				target = filepath.Join(target, "index.html")
			}
			if _, err := os.Stat(target); err != nil {
				broken[m[1]] = append(broken[m[1]], filepath.ToSlash(from))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for link, froms := range broken {
		t.Errorf("link %s leads nowhere (in %d files, e.g. %s)", link, len(froms), froms[0])
	}
}
