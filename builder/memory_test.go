package builder_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/playbook-sales/playbook/builder"
)

// TestRenderFSMatchesBuild: the golden sites of testdata/sites, read from
// memory (fstest.MapFS) instead of a folder, render file for file what
// `playbook build` writes from the same files on disk, and the contract
// site's api/pages.json is its golden file.
func TestRenderFSMatchesBuild(t *testing.T) {
	eachSite(t, func(t *testing.T, file string) {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		mem, golden := fstest.MapFS{}, map[string][]byte{}
		dir := t.TempDir()
		for _, f := range ar.Files {
			// .playbook/ holds serve's state (the miss log), not sources:
			// RenderFS reads none, so the folder gets none either
			if name, ok := strings.CutPrefix(f.Name, "golden/"); ok {
				golden[name] = f.Data
			} else if f.Name != "want" && !strings.HasPrefix(f.Name, ".playbook/") {
				mem[f.Name] = &fstest.MapFile{Data: f.Data}
				writeFile(t, filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data)
			}
		}
		got, memErr := builder.RenderFS(context.Background(), mem, builder.Options{Now: testNow})
		_, diskErr := builder.Build(context.Background(), builder.Options{Site: dir, Now: testNow, NoGit: true})
		if (memErr == nil) != (diskErr == nil) {
			t.Fatalf("from memory: %v; from a folder: %v", memErr, diskErr)
		}
		if diskErr != nil {
			if memErr.Error() != diskErr.Error() {
				t.Errorf("errors from memory:\n%v\nfrom a folder:\n%v", memErr, diskErr)
			}
			return
		}
		for path, data := range got {
			disk, err := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(path)))
			if err != nil || !bytes.Equal(data, disk) {
				t.Errorf("%s from memory differs from the build's (%v)", path, err)
			}
		}
		if want, ok := golden["pages.json"]; ok && !bytes.Equal(got["api/pages.json"], want) {
			t.Errorf("api/pages.json from memory differs from golden/pages.json")
		}
	})
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
