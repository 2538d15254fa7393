package builder_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/internal/synth"
)

// TestPagesLightAtAnySize builds synthetic sites of two sizes and checks
// that no HTML page weighs more than render.PageWeightLimit, and that the
// heaviest page does not grow with the site: at four times the pages it
// weighs about what it weighs at the smaller size. A page that grew with the
// site (a list, a board, a calendar showing everything) would be over the
// limit at 50,000 pages however light it is here.
func TestPagesLightAtAnySize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two synthetic sites")
	}
	small, large := 300, 1200
	if raceEnabled {
		small, large = 150, 600 // the race detector makes builds several times slower
	}
	heaviest := map[int]pageWeight{}
	for _, n := range []int{small, large} {
		dest := buildSynth(t, n)
		pages := htmlWeights(t, dest)
		for _, p := range pages {
			if p.size > render.PageWeightLimit {
				t.Errorf("%d-page site: %s weighs %d KB, over the limit of %d KB", n, p.path, p.size>>10, render.PageWeightLimit>>10)
			}
			if p.size > heaviest[n].size {
				heaviest[n] = p
			}
		}
	}
	a, b := heaviest[small], heaviest[large]
	t.Logf("heaviest page: %d pages: %s, %d KB; %d pages: %s, %d KB", small, a.path, a.size>>10, large, b.path, b.size>>10)
	if b.size > a.size*5/4 {
		t.Errorf("the heaviest page grows with the site: %s weighs %d KB at %d pages, %s %d KB at %d pages",
			a.path, a.size>>10, small, b.path, b.size>>10, large)
	}
}

type pageWeight struct {
	path string
	size int64
}

// buildSynth builds a synthetic site of n pages and returns its output folder.
func buildSynth(t *testing.T, n int) string {
	t.Helper()
	site := filepath.Join(t.TempDir(), "site")
	if err := synth.Generate(site, n, "zh", 1); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: dest, Now: synth.Now, NoGit: true}); err != nil {
		t.Fatalf("build %d-page site: %v", n, err)
	}
	return dest
}

// htmlWeights lists every HTML file under dir with its size.
func htmlWeights(t *testing.T, dir string) []pageWeight {
	t.Helper()
	var out []pageWeight
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, pageWeight{filepath.ToSlash(rel), info.Size()})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
