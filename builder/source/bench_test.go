package source_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/builder/source"
)

// benchSite is the folder holding the site benchmarked: the repository's
// sample, or $PLAYBOOK_BENCH_SITE.
func benchSite(b *testing.B) string {
	if s := os.Getenv("PLAYBOOK_BENCH_SITE"); s != "" {
		return s
	}
	return filepath.Join("..", "..")
}

// BenchmarkReadContent: listing and reading content/ under the rule, beside
// the plain walk the build did before, to see what the rule costs.
func BenchmarkReadContent(b *testing.B) {
	site := benchSite(b)
	b.Run("source", func(b *testing.B) {
		for b.Loop() {
			src, err := source.Open(site)
			if err != nil {
				b.Fatal(err)
			}
			files, errs := src.Walk("content", source.Hidden)
			if errs != nil {
				b.Fatal(errs)
			}
			for _, f := range files {
				if !f.Dir {
					if _, err := src.ReadFile(f, source.MaxFileSize); err != nil {
						b.Fatal(err)
					}
				}
			}
			src.Close()
		}
	})
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			err := filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				_, err = os.ReadFile(p)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
