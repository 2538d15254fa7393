package builder_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/internal/synth"
)

// On a site large enough for paged lists and paged health and action
// boards, which the sample site is too small to have, serve's result after
// each kind of save is still file-for-file what a build makes: front
// matter edited, pages added, deleted and renamed.
func TestLiveMatchesCleanBuildPaged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a synthetic site again after each save")
	}
	n, steps := 400, 10
	if raceEnabled {
		n, steps = 250, 5
	}
	site := filepath.Join(t.TempDir(), "site")
	if err := synth.Generate(site, n, "zh", 1); err != nil {
		t.Fatal(err)
	}
	o := builder.Options{Site: site, Now: synth.Now, Drafts: true, Future: true, NoGit: true}
	ctx := context.Background()
	live, err := builder.NewLive(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !pagedHealth(live.Snapshot().Files) {
		t.Fatal("the synthetic site has no paged health list: the test would not try one")
	}
	kinds := []string{"title", "tags", "add", "rename", "delete", "stages", "outcome", "slug", "untag", "delete-page", "competitor-name"}
	r := rand.New(rand.NewPCG(3, 9))
	for i := range steps {
		name := kinds[i%len(kinds)]
		before := snapshotFiles(t, site)
		do := edits[name]
		if name == "rename" {
			do = renameAny
		}
		what := do(r, site, i)
		if what == "" {
			continue
		}
		_, lerr := live.Update(ctx, changedPaths(before, snapshotFiles(t, site)))
		want, berr := freshBuild(t, o)
		step := fmt.Sprintf("step %d (%s)", i, what)
		if (lerr == nil) != (berr == nil) {
			t.Fatalf("%s: serve error %v, build error %v", step, lerr, berr)
		}
		if berr != nil { // a page others link to was deleted or renamed: put it back
			if _, err := live.Update(ctx, restoreFiles(site, before)); err != nil {
				t.Fatalf("%s, undone: %v", step, err)
			}
			if want, berr = freshBuild(t, o); berr != nil {
				t.Fatal(berr)
			}
		}
		diffFiles(t, step, live.Snapshot().Files, want)
	}
}

// renameAny moves a page to another file name; one that others link to
// breaks the build, and is moved back.
func renameAny(r *rand.Rand, site string, n int) string {
	f, _ := pick(r, site, func(p string, _ []byte) bool { return !strings.HasSuffix(p, "_index.md") })
	to := filepath.Join(filepath.Dir(f), fmt.Sprintf("renamed-%d.md", n))
	if err := os.Rename(f, to); err != nil {
		return ""
	}
	return "renamed " + f + " to " + to
}

// pagedHealth reports whether the build has a health list of more than one page.
func pagedHealth(files map[string][]byte) bool {
	for p := range files {
		if strings.HasPrefix(p, "health/") && strings.Contains(p, "/page/2/") {
			return true
		}
	}
	return false
}
