package builder_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/internal/stage"
)

// snapshot describes every entry under root by slash path: folders, links
// with their targets, files with their mode and bytes.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[rel] = "link " + target
			return err
		case d.IsDir():
			out[rel] = "dir " + info.Mode().String()
		default:
			b, err := os.ReadFile(p)
			out[rel] = fmt.Sprintf("file %s %q", info.Mode(), b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s disappeared", p)
		} else if a != b {
			t.Errorf("%s changed: %s → %s", p, b, a)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s appeared", p)
		}
	}
}

// files writes name → content under dir; a name ending in / is a folder,
// content "->target" a symbolic link.
func files(t *testing.T, dir string, entries map[string]string) {
	t.Helper()
	for name, data := range entries {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasSuffix(name, "/"):
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(data, "->"):
			err = os.Symlink(data[2:], p)
		default:
			err = os.WriteFile(p, []byte(data), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// previousBuild builds site into dest, as an earlier run did.
func previousBuild(t *testing.T, site, dest string) {
	t.Helper()
	if _, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: dest, Now: testNow}); err != nil {
		t.Fatal(err)
	}
}

// marker is the text an earlier build left in OutputMarker.
func marker(t *testing.T) string {
	t.Helper()
	site, dest := extract(t, "publishing"), filepath.Join(t.TempDir(), "out")
	previousBuild(t, site, dest)
	b, err := os.ReadFile(filepath.Join(dest, builder.OutputMarker))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var legacy = map[string]string{"404.html": "x", "sitemap.xml": "x", "api/pages.json": "[]", "scripts/index.html": "x"}

// TestDestReplace: a build replaces a missing destination, an empty folder
// or one a build wrote; anything else — a foreign folder, a file, a link —
// is refused with ErrDest and left exactly as it was, byte for byte.
func TestDestReplace(t *testing.T) {
	mark := marker(t)
	tests := []struct {
		name string
		// setup makes the destination; dir is a new folder beside the site,
		// site the site. It returns -d ("" for the default, SITE/public).
		setup func(t *testing.T, dir, site string) string
		ok    bool
	}{
		{"missing", func(t *testing.T, dir, _ string) string { return filepath.Join(dir, "out") }, true},
		{"missing, with missing parents", func(t *testing.T, dir, _ string) string { return filepath.Join(dir, "a", "b", "out") }, true},
		{"empty folder", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"out/": ""})
			return filepath.Join(dir, "out")
		}, true},
		{"previous build", func(t *testing.T, dir, site string) string {
			previousBuild(t, site, filepath.Join(dir, "out"))
			return filepath.Join(dir, "out")
		}, true},
		{"previous build at SITE/public", func(t *testing.T, _, site string) string {
			previousBuild(t, site, "")
			return ""
		}, true},
		{"SITE/public of a Playbook without the marker", func(t *testing.T, _, site string) string {
			files(t, filepath.Join(site, "public"), legacy)
			return ""
		}, true},
		{"folder with a thesis", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"victim/docs/thesis.txt": "years of work", "victim/notes.md": "n"})
			return filepath.Join(dir, "victim")
		}, false},
		{"folder with only a hidden file", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"out/.git/HEAD": "ref: refs/heads/main"})
			return filepath.Join(dir, "out")
		}, false},
		{"SITE/public with the user's files", func(t *testing.T, _, site string) string {
			files(t, filepath.Join(site, "public"), map[string]string{"thesis.txt": "x"})
			return ""
		}, false},
		{"-d folder that looks like an unmarked build", func(t *testing.T, dir, _ string) string {
			files(t, filepath.Join(dir, "www"), legacy)
			files(t, filepath.Join(dir, "www"), map[string]string{"other-site/index.html": "x"})
			return filepath.Join(dir, "www")
		}, false},
		{"marker with another text", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"out/" + builder.OutputMarker: "mine\n", "out/thesis.txt": "x"})
			return filepath.Join(dir, "out")
		}, false},
		{"marker that is a link to a real one", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"real/" + builder.OutputMarker: mark, "out/thesis.txt": "x",
				"out/" + builder.OutputMarker: "->" + filepath.Join(dir, "real", builder.OutputMarker)})
			return filepath.Join(dir, "out")
		}, false},
		{"a file", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"thesis.txt": "years of work"})
			return filepath.Join(dir, "thesis.txt")
		}, false},
		{"a link to an empty folder", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"www/": "", "out": "->www"})
			return filepath.Join(dir, "out")
		}, false},
		{"a link to a previous build", func(t *testing.T, dir, site string) string {
			previousBuild(t, site, filepath.Join(dir, "www"))
			files(t, dir, map[string]string{"out": "->www"})
			return filepath.Join(dir, "out")
		}, false},
		{"a dangling link", func(t *testing.T, dir, _ string) string {
			files(t, dir, map[string]string{"out": "->nowhere"})
			return filepath.Join(dir, "out")
		}, false},
		{"SITE/public as a link", func(t *testing.T, dir, site string) string {
			files(t, dir, map[string]string{"www/": ""})
			files(t, site, map[string]string{"public": "->" + filepath.Join(dir, "www")})
			return ""
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, dir := extract(t, "publishing"), t.TempDir()
			dest := tt.setup(t, dir, site)
			if dest == "" {
				dir = site // where the destination lives
			}
			before := snapshot(t, dir)
			index := snapshot(t, site)
			_, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: dest, Now: testNow})
			if !tt.ok {
				if !errors.Is(err, builder.ErrDest) {
					t.Fatalf("Build = %v, want ErrDest", err)
				}
				sameTree(t, before, snapshot(t, dir))
				sameTree(t, index, snapshot(t, site)) // no search index written either
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if dest == "" {
				dest = filepath.Join(site, "public")
			}
			clean := filepath.Join(t.TempDir(), "clean")
			previousBuild(t, site, clean)
			sameTree(t, snapshot(t, clean), snapshot(t, dest)) // the previous content is all gone
		})
	}
}

// TestDestRefusedMessage: the message names the folder, what is in it and
// what to do.
func TestDestRefusedMessage(t *testing.T) {
	site, dir := extract(t, "publishing"), t.TempDir()
	files(t, dir, map[string]string{"victim/docs/thesis.txt": "x", "victim/a.md": "", "victim/b.md": "", "victim/c.md": ""})
	dest := filepath.Join(dir, "victim")
	_, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: dest, Now: testNow})
	for _, want := range []string{dest, "a.md, b.md, c.md, 1 more", builder.OutputMarker, "empty the folder or pick another one with -d"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build = %v\nwant it to say %q", err, want)
		}
	}
}

// TestStaticMarkerName: a static file named like the marker would pass a
// foreign file off as Playbook's; the build fails naming it, touching
// nothing.
func TestStaticMarkerName(t *testing.T) {
	site, dir := extract(t, "publishing"), t.TempDir()
	dest := filepath.Join(dir, "out")
	previousBuild(t, site, dest)
	files(t, site, map[string]string{"static/" + builder.OutputMarker: "anything\n"})
	before := snapshot(t, dir)
	_, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: dest, Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "static/"+builder.OutputMarker) {
		t.Fatalf("Build = %v, want an error naming static/%s", err, builder.OutputMarker)
	}
	sameTree(t, before, snapshot(t, dir))
}

// TestStageLeftovers: a build removes the stage folders killed builds left
// beside the destination and beside the search index — marked, with the
// lock free — and keeps those of a build still running and anything that
// is not a stage of ours.
func TestStageLeftovers(t *testing.T) {
	site, dir := extract(t, "publishing"), t.TempDir()
	dest := filepath.Join(dir, "out")
	mark := marker(t)
	indexDir := filepath.Join(site, ".playbook")
	for _, parent := range []string{dir, indexDir} {
		files(t, parent, map[string]string{
			".playbook-build-out-killed/" + builder.OutputMarker: mark,
			".playbook-build-out-killed/index.html":              "half a build",
			".index-build-killed/" + builder.OutputMarker:        mark,
			".index-build-killed/index/store":                    "half an index",
			".playbook-build-mine/thesis.txt":                    "not ours: no marker",
			".index-build-mine/thesis.txt":                       "not ours: no marker",
		})
	}
	var running []string
	for _, p := range []struct{ parent, prefix string }{
		{dir, ".playbook-build-out-"}, {indexDir, ".index-build-"},
	} {
		d, err := stage.New(p.parent, p.prefix) // a build in progress
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		files(t, d.Path, map[string]string{"index.html": "being written"})
		running = append(running, d.Path)
	}

	previousBuild(t, site, dest)

	gone := []string{
		filepath.Join(dir, ".playbook-build-out-killed"),
		filepath.Join(indexDir, ".index-build-killed"),
	}
	kept := append([]string{
		filepath.Join(dir, ".playbook-build-mine", "thesis.txt"),
		filepath.Join(dir, ".index-build-killed", "index", "store"), // another prefix beside the output: not the index's
		filepath.Join(indexDir, ".index-build-mine", "thesis.txt"),
		filepath.Join(indexDir, ".playbook-build-out-killed", "index.html"), // the site's stage prefix, but not beside its output
	}, running...)
	for _, p := range gone {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s: left behind (%v)", p, err)
		}
	}
	for _, p := range kept {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("removed what it must keep: %v", err)
		}
	}
	for _, p := range running {
		if b, err := os.ReadFile(filepath.Join(p, "index.html")); string(b) != "being written" {
			t.Errorf("a running build's stage was touched: %q, %v", b, err)
		}
	}
}
