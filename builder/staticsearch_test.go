package builder_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/search"
)

// readSearch returns every file of the static search of a build, by path.
func readSearch(t *testing.T, dest string) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join(dest, "search")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStaticSearchHidden: drafts, future and expired pages leave no trace in
// the static search — not a page entry, not a term only they contain, not a
// facet value — unless the build lets them in.
func TestStaticSearchHidden(t *testing.T) {
	tests := []struct {
		name    string
		o       builder.Options
		docs    int
		present []string
		absent  []string
	}{
		{"default", builder.Options{}, 1, []string{"正常话术"}, []string{"草稿", "draft", "明年促销", "future", "去年促销", "expired"}},
		{"drafts", builder.Options{Drafts: true}, 2, []string{"正常话术", "草稿话术", "草稿专用"}, []string{"明年促销", "去年促销"}},
		{"all", builder.Options{Drafts: true, Future: true, Expired: true}, 4, []string{"明年促销", "去年促销"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := extract(t, "publishing")
			o := tt.o
			o.Site, o.Now = site, testNow
			res, err := builder.Build(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			files := readSearch(t, res.Dest)
			var meta search.StaticMeta
			if err := json.Unmarshal([]byte(files["meta.json"]), &meta); err != nil {
				t.Fatal(err)
			}
			if meta.Docs != tt.docs {
				t.Errorf("meta.json lists %d pages, want %d", meta.Docs, tt.docs)
			}
			pages := 0
			for p, data := range files {
				if strings.HasPrefix(p, "d/") {
					var records []search.StaticDoc
					if err := json.Unmarshal([]byte(data), &records); err != nil {
						t.Fatalf("%s: %v", p, err)
					}
					pages += len(records)
				}
			}
			if pages != tt.docs {
				t.Errorf("%d page records, want %d", pages, tt.docs)
			}
			if _, ok := files["index.html"]; !ok {
				t.Error("no results page search/index.html")
			}
			var all strings.Builder
			for _, data := range files {
				all.WriteString(data)
			}
			for _, s := range tt.present {
				if !strings.Contains(all.String(), s) {
					t.Errorf("the static search lacks %q", s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(all.String(), s) {
					t.Errorf("the static search holds %q of a hidden page", s)
				}
			}
		})
	}
}
