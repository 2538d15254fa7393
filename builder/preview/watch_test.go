package preview

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// watchSite starts a watcher on a new site with content/ and static/.
func watchSite(t *testing.T, opts WatchOptions) (string, *Watcher) {
	t.Helper()
	site := writeSite(t, map[string]string{
		"playbook.yaml":          "title: t\n",
		"content/scripts/a.md":   "---\ntitle: A\n---\n",
		"content/scripts/b.md":   "---\ntitle: B\n---\n",
		"static/css/site.css":    "body{}\n",
		"archetypes/script.md":   "---\ntitle: x\n---\n",
		"notes/not-watched.txt":  "x",
		"content/guides/keep.md": "---\ntitle: K\n---\n",
		"shared/assets/app.js":   "1",
	})
	// A folder linked from inside the site is watched as the build reads
	// it, under the link's name.
	if err := os.Symlink("../shared/assets", filepath.Join(site, "static", "assets")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w, err := Watch(ctx, site, opts)
	if err != nil {
		t.Fatal(err)
	}
	return site, w
}

// batch waits for the next batch and returns it relative to site.
func batch(t *testing.T, site string, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Batches():
		var rel []string
		for _, p := range b {
			r, _ := filepath.Rel(site, p)
			rel = append(rel, filepath.ToSlash(r))
		}
		return rel
	case <-time.After(10 * time.Second):
		t.Fatal("no batch of changes")
		return nil
	}
}

// noBatch checks that nothing more arrives for a while.
func noBatch(t *testing.T, site string, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Errorf("unexpected batch: %v", b)
	case <-time.After(d):
	}
}

func write(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherSavePatterns(t *testing.T) {
	tests := []struct {
		name string
		save func(t *testing.T, site string, w *Watcher)
		want []string
	}{
		{"in-place write", func(t *testing.T, site string, w *Watcher) {
			write(t, filepath.Join(site, "content/scripts/a.md"), "---\ntitle: A2\n---\n")
		}, []string{"content/scripts/a.md"}},
		{"rename-style save (temp file renamed over)", func(t *testing.T, site string, w *Watcher) {
			tmp := filepath.Join(site, "content/scripts/.a.md.tmp")
			write(t, tmp, "---\ntitle: A3\n---\n")
			if err := os.Rename(tmp, filepath.Join(site, "content/scripts/a.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/scripts/a.md"}},
		{"vim: backup, swap file, 4913 probe", func(t *testing.T, site string, w *Watcher) {
			dir := filepath.Join(site, "content/scripts")
			write(t, filepath.Join(dir, ".b.md.swp"), "swap")
			write(t, filepath.Join(dir, "4913"), "")
			os.Remove(filepath.Join(dir, "4913"))
			os.Rename(filepath.Join(dir, "b.md"), filepath.Join(dir, "b.md~"))
			write(t, filepath.Join(dir, "b.md"), "---\ntitle: B2\n---\n")
			os.Remove(filepath.Join(dir, "b.md~"))
			os.Remove(filepath.Join(dir, ".b.md.swp"))
		}, []string{"content/scripts/b.md"}},
		{"new folders with a file", func(t *testing.T, site string, w *Watcher) {
			write(t, filepath.Join(site, "content/new/deeper/c.md"), "---\ntitle: C\n---\n")
		}, []string{"content/new", "content/new/deeper", "content/new/deeper/c.md"}},
		{"config and static", func(t *testing.T, site string, w *Watcher) {
			write(t, filepath.Join(site, "playbook.yaml"), "title: t2\n")
			write(t, filepath.Join(site, "static/css/site.css"), "body{color:red}\n")
		}, []string{"playbook.yaml", "static/css/site.css"}},
		{"a file in a folder linked from static", func(t *testing.T, site string, w *Watcher) {
			write(t, filepath.Join(site, "shared/assets/app.js"), "2")
		}, []string{"static/assets/app.js"}},
		{"a link leading out: reported, its folder never watched", func(t *testing.T, site string, w *Watcher) {
			outside := t.TempDir()
			write(t, filepath.Join(outside, "secret.txt"), "1")
			if err := os.Symlink(outside, filepath.Join(site, "static", "leak")); err != nil {
				t.Fatal(err)
			}
			if got := batch(t, site, w); !slices.Equal(got, []string{"static/leak"}) {
				t.Errorf("batch %v, want the link", got)
			}
			write(t, filepath.Join(outside, "secret.txt"), "2") // must bring no batch
			write(t, filepath.Join(site, "content/guides/keep.md"), "---\ntitle: K3\n---\n")
		}, []string{"content/guides/keep.md"}},
		{"emacs lock and unwatched folder ignored", func(t *testing.T, site string, w *Watcher) {
			write(t, filepath.Join(site, "notes/other.txt"), "x")
			write(t, filepath.Join(site, "content/scripts/.#a.md"), "lock")
			write(t, filepath.Join(site, "content/guides/keep.md"), "---\ntitle: K2\n---\n")
		}, []string{"content/guides/keep.md"}},
	}
	for _, mode := range []struct {
		name string
		opts WatchOptions
	}{{"fsnotify", WatchOptions{}}, {"poll", WatchOptions{Poll: 50 * time.Millisecond}}} {
		t.Run(mode.name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					site, w := watchSite(t, mode.opts)
					time.Sleep(2 * mode.opts.Poll) // the poller's first walk
					tc.save(t, site, w)
					got := batch(t, site, w)
					// Events for new folders depend on timing (and the poller
					// sees only files); the files in them are what must come.
					isDir := func(p string) bool {
						st, err := os.Stat(filepath.Join(site, p))
						return err == nil && st.IsDir()
					}
					got = slices.DeleteFunc(got, isDir)
					want := slices.DeleteFunc(slices.Clone(tc.want), isDir)
					if !slices.Equal(got, want) {
						t.Errorf("batch %v, want %v", got, want)
					}
					noBatch(t, site, w, 300*time.Millisecond)
				})
			}
		})
	}
}

// While the consumer is busy building, any number of saves make exactly
// one more batch.
func TestWatcherSavesDuringBuildMakeOneBatch(t *testing.T) {
	site, w := watchSite(t, WatchOptions{Quiet: 20 * time.Millisecond})
	a := filepath.Join(site, "content/scripts/a.md")
	write(t, a, "1")
	if got := batch(t, site, w); !slices.Equal(got, []string{"content/scripts/a.md"}) {
		t.Fatalf("first batch %v", got)
	}
	// "Building": nobody reads Batches while these saves happen, spread
	// over more than the quiet period.
	for i := 0; i < 5; i++ {
		write(t, a, strings.Repeat("x", i+2))
		write(t, filepath.Join(site, "content/scripts/b.md"), strings.Repeat("y", i+2))
		time.Sleep(40 * time.Millisecond)
	}
	if got := batch(t, site, w); !slices.Equal(got, []string{"content/scripts/a.md", "content/scripts/b.md"}) {
		t.Errorf("batch after the build %v", got)
	}
	noBatch(t, site, w, 300*time.Millisecond)
}
