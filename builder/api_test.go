package builder_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/builder"
)

// TestAPIListsNeverNull: a list in public/api/*.json is [] when empty,
// never null, on a site without competitors, cases, retros or training as
// on a full one; null stands only for an unset date or an undefined rate.
func TestAPIListsNeverNull(t *testing.T) {
	nullable := map[string]bool{"date": true, "lastmod": true, "reviewed": true, "closed": true,
		"session": true, "due": true, "win_rate": true,
		"last_change": true} // pages.json: the file's last git commit, where there is one
	sites := map[string]func(t *testing.T) string{
		"one plain page": func(t *testing.T) string {
			return writeSite(t, map[string]string{
				"playbook.yaml":     "title: x\n",
				"content/a.md":      "---\ntitle: a\n---\nbody\n",
				"content/b/c.md":    "# c\n",
				"content/_index.md": "---\ntitle: home\n---\n",
			})
		},
		"contract": func(t *testing.T) string { return extract(t, "contract") },
	}
	for name, mk := range sites {
		t.Run(name, func(t *testing.T) {
			site := mk(t)
			if _, err := builder.Build(context.Background(), builder.Options{Site: site, Now: testNow}); err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(site, "public", "api", "*.json"))
			if len(files) < 5 {
				t.Fatalf("api files: %v", files)
			}
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					t.Fatal(err)
				}
				walkNulls(filepath.Base(f), v, func(at, key string) {
					if !nullable[key] {
						t.Errorf("%s: null at %s", filepath.Base(f), at)
					}
				})
			}
		})
	}
}

// walkNulls calls null for every null in v, with its path and key.
func walkNulls(at string, v any, null func(at, key string)) {
	switch x := v.(type) {
	case nil:
		null(at, "")
	case map[string]any:
		for k, e := range x {
			if e == nil {
				null(at+"."+k, k)
				continue
			}
			walkNulls(at+"."+k, e, null)
		}
	case []any:
		for _, e := range x {
			walkNulls(at+"[]", e, null)
		}
	}
}

// writeSite writes files (slash paths) into a new site folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
