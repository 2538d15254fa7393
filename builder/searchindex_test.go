package builder_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/search"
)

// exportIndex opens the site's search index and exports it as the static
// search would.
func exportIndex(t *testing.T, site string) (search.Meta, map[string][]byte) {
	t.Helper()
	idx, err := search.Open(builder.SearchIndexDir(site))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	files, err := idx.ExportStatic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return idx.Meta(), files
}

// TestBuildIndexAsReindex: the index Build writes beside the site holds
// what an index of the loaded site (playbook search's Reindex) holds, down
// to the static search's bytes: a guard for any change to when and how
// Build indexes (such as indexing while the markdown renders).
func TestBuildIndexAsReindex(t *testing.T) {
	site := copySample(t)
	o := builder.Options{Site: site, Now: testNow}
	res, err := builder.Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	meta, built := exportIndex(t, site)
	if meta.Docs != len(res.Site.Pages) || meta.Docs == 0 {
		t.Fatalf("index holds %d pages, the site publishes %d", meta.Docs, len(res.Site.Pages))
	}
	if _, err := builder.Reindex(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	_, again := exportIndex(t, site)
	if !reflect.DeepEqual(built, again) {
		t.Errorf("the build's index exports otherwise than Reindex's (%d and %d files)", len(built), len(again))
	}
}

// TestFailedBuildKeepsIndex: a build that fails (a broken link found while
// the markdown renders, a clash found when the outputs are listed) leaves
// the previous index in place and no partial one beside it.
func TestFailedBuildKeepsIndex(t *testing.T) {
	tests := []struct{ name, file, data string }{
		{"a broken link", "content/guides/broken.md", "---\ntitle: broken\n---\nsee [x](nowhere.md)\n"},
		{"a static file at a page", "static/guides/a/index.html", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := agreeSite(t, nil, nil)
			o := builder.Options{Site: site, Now: testNow}
			if _, err := builder.Build(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			before, _ := exportIndex(t, site)
			for name, data := range map[string]string{tt.file: tt.data, "content/guides/new.md": "---\ntitle: new\n---\nnew page\n"} {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(site, name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(site, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := builder.Build(context.Background(), o); err == nil {
				t.Fatal("the build succeeded; want it to fail")
			}
			after, _ := exportIndex(t, site)
			if after.Docs != before.Docs || !after.Built.Equal(before.Built) {
				t.Errorf("index after the failed build: %d pages built %v; want the previous one, %d pages built %v",
					after.Docs, after.Built, before.Docs, before.Built)
			}
			entries, err := os.ReadDir(filepath.Dir(builder.SearchIndexDir(site)))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".index-build-") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}
