package builder_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/render"
)

// offlineOf builds site at now into dest and returns the build id of its
// sw.js and its offline.json.
func offlineOf(t *testing.T, site, dest string, now time.Time) (string, struct {
	Build string
	Keep  []string
}) {
	t.Helper()
	o := builder.Options{Site: site, Dest: dest, Now: now, NoGit: true, BaseURL: "https://kb.example.com/kb/"}
	if _, err := builder.Build(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	sw, err := os.ReadFile(filepath.Join(dest, render.ServiceWorker))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`var BUILD ?= ?"([0-9a-f]{16})"`).FindSubmatch(sw)
	if m == nil {
		t.Fatalf("sw.js has no build id: %.200s", sw)
	}
	var list struct {
		Build string
		Keep  []string
	}
	data, err := os.ReadFile(filepath.Join(dest, render.OfflineList))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	return string(m[1]), list
}

// TestOfflineBuildID: the service worker's id changes exactly when the
// output does, offline.json agrees with it and lists what a rep keeps, and
// serve holds no service worker.
func TestOfflineBuildID(t *testing.T) {
	site := copySample(t)
	dest := filepath.Join(t.TempDir(), "public")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	id1, list := offlineOf(t, site, dest, now)
	if list.Build != id1 {
		t.Errorf("offline.json is of build %s, sw.js of %s", list.Build, id1)
	}
	for _, want := range []string{"./", "scripts/", "search/", "search/meta.json", "css/playbook.css", "js/search/ui.js", "js/search/analyze.js", "js/search/query.js", "js/search/engine.js", "js/search/snippet.js", "manifest.webmanifest"} {
		if !slices.Contains(list.Keep, want) {
			t.Errorf("offline.json does not keep %s", want)
		}
	}
	for _, k := range list.Keep {
		if strings.HasPrefix(k, "/") || strings.Contains(k, "://") {
			t.Errorf("offline.json lists %s: want paths relative to the base path", k)
		}
	}
	t.Run("same output, same id", func(t *testing.T) {
		if id, _ := offlineOf(t, site, dest, now); id != id1 {
			t.Errorf("rebuilding the same site gave id %s, then %s", id1, id)
		}
	})
	t.Run("changed output, new id", func(t *testing.T) {
		p := filepath.Join(site, "content", "scripts", "价格异议处理.md")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, append(data, "\n补一句。\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		if id, _ := offlineOf(t, site, dest, now); id == id1 {
			t.Errorf("a changed page kept the build id %s", id)
		}
	})
	t.Run("serve has no service worker", func(t *testing.T) {
		live, err := builder.NewLive(context.Background(), builder.Options{Site: site, Now: now, NoGit: true})
		if err != nil {
			t.Fatal(err)
		}
		files := live.Snapshot().Files
		for _, name := range []string{render.ServiceWorker, render.OfflineList} {
			if _, ok := files[name]; ok {
				t.Errorf("serve holds %s", name)
			}
		}
		if _, ok := files["manifest.webmanifest"]; !ok {
			t.Error("serve has no manifest.webmanifest, which its pages link")
		}
	})
}
