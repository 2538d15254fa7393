package source_test

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/source"
)

const secret = "root:x:0:0 OUTSIDE"

// setup makes a site folder with static/ok.txt and a folder outside it
// holding secret.txt and a folder secrets/, and returns both.
func setup(t *testing.T) (site, outside string) {
	t.Helper()
	base := t.TempDir()
	site, outside = filepath.Join(base, "site"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(site, "static", "sub"), filepath.Join(outside, "secrets")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(site, "static", "ok.txt"), "ok")
	write(t, filepath.Join(site, "static", "sub", "deep.txt"), "deep")
	write(t, filepath.Join(outside, "secret.txt"), secret)
	write(t, filepath.Join(outside, "secrets", "key.txt"), secret)
	return site, outside
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestWalkRule: Walk follows links that stay in the site, and names every
// link that leaves it, loops, dangles, and every file that is not regular.
func TestWalkRule(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, site, outside string)
		wantErr string // in the error for the file static/x…; "" for none
		want    []string
	}{
		{"file link outside", func(t *testing.T, site, outside string) {
			symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(site, "static", "x.txt"))
		}, "static/x.txt:1: file: leads outside the site folder", nil},
		{"relative file link outside", func(t *testing.T, site, outside string) {
			symlink(t, "../../outside/secret.txt", filepath.Join(site, "static", "x.txt"))
		}, "static/x.txt:1: file: leads outside the site folder", nil},
		{"folder link outside", func(t *testing.T, site, outside string) {
			symlink(t, filepath.Join(outside, "secrets"), filepath.Join(site, "static", "x"))
		}, "static/x:1: file: leads outside the site folder", nil},
		{"chain of links ending outside", func(t *testing.T, site, outside string) {
			symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(site, "static", "sub", "hop"))
			symlink(t, "sub/hop", filepath.Join(site, "static", "x.txt"))
		}, "static/x.txt:1: file: leads outside the site folder", nil},
		{"link to /dev/zero", func(t *testing.T, site, outside string) {
			symlink(t, "/dev/zero", filepath.Join(site, "static", "x.txt"))
		}, "static/x.txt:1: file: leads outside the site folder, to /dev/zero", nil},
		{"link loop", func(t *testing.T, site, outside string) {
			symlink(t, "x.b", filepath.Join(site, "static", "x.a"))
			symlink(t, "x.a", filepath.Join(site, "static", "x.b"))
		}, "static/x.a:1: file: symlink loop", nil},
		{"folder link to its parent", func(t *testing.T, site, outside string) {
			symlink(t, "..", filepath.Join(site, "static", "sub", "x"))
		}, "static/sub/x:1: file: a symlink leads to the folder static, which is read already", nil},
		{"dangling link", func(t *testing.T, site, outside string) {
			symlink(t, "gone.txt", filepath.Join(site, "static", "x.txt"))
		}, "static/x.txt:1: file: symlink to gone.txt, which does not exist", nil},
		{"named pipe", func(t *testing.T, site, outside string) {
			if err := syscall.Mkfifo(filepath.Join(site, "static", "x.txt"), 0o644); err != nil {
				t.Skip("no named pipes:", err)
			}
		}, "static/x.txt:1: file: not a regular file (a named pipe)", nil},
		{"socket", func(t *testing.T, site, outside string) {
			l, err := net.Listen("unix", filepath.Join(site, "static", "x.sock"))
			if err != nil {
				t.Skip("no unix sockets:", err)
			}
			t.Cleanup(func() { l.Close() })
		}, "static/x.sock:1: file: not a regular file (a socket)", nil},
		{"file link inside", func(t *testing.T, site, outside string) {
			symlink(t, "sub/deep.txt", filepath.Join(site, "static", "x.txt"))
		}, "", []string{"static/x.txt"}},
		{"absolute file link inside", func(t *testing.T, site, outside string) {
			symlink(t, filepath.Join(site, "static", "ok.txt"), filepath.Join(site, "static", "x.txt"))
		}, "", []string{"static/x.txt"}},
		{"chain of links inside", func(t *testing.T, site, outside string) {
			write(t, filepath.Join(site, "elsewhere.txt"), "in the site")
			symlink(t, "../../elsewhere.txt", filepath.Join(site, "static", "sub", "hop"))
			symlink(t, "sub/hop", filepath.Join(site, "static", "x.txt"))
		}, "", []string{"static/sub/hop", "static/x.txt"}},
		{"folder link inside", func(t *testing.T, site, outside string) {
			os.MkdirAll(filepath.Join(site, "assets", "img"), 0o755)
			write(t, filepath.Join(site, "assets", "img", "logo.png"), "png")
			symlink(t, "../assets", filepath.Join(site, "static", "x"))
		}, "", []string{"static/x", "static/x/img", "static/x/img/logo.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, outside := setup(t)
			tt.make(t, site, outside)
			src, err := source.Open(site)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			files, errs := src.Walk("static", nil)
			got := map[string]bool{}
			for _, f := range files {
				got[f.Name] = true
				if !f.Dir {
					data, err := src.ReadFile(f, source.MaxFileSize)
					if err != nil {
						t.Errorf("ReadFile(%s): %v", f.Name, err)
					}
					if strings.Contains(string(data), secret) {
						t.Errorf("%s read the file outside the site", f.Name)
					}
				}
			}
			for _, name := range []string{"static", "static/ok.txt", "static/sub", "static/sub/deep.txt"} {
				if !got[name] {
					t.Errorf("Walk left out %s (got %v)", name, keys(got))
				}
			}
			for _, name := range tt.want {
				if !got[name] {
					t.Errorf("Walk left out %s (got %v)", name, keys(got))
				}
			}
			if tt.wantErr == "" {
				if errs != nil {
					t.Fatalf("Walk errors: %v", errs)
				}
				return
			}
			found := false
			for _, e := range errs {
				found = found || strings.HasPrefix(e.Error(), tt.wantErr)
				if e.Zh() == "" { // a zh-CN site shows every message in Chinese
					t.Errorf("%s: no Chinese text", e)
				}
			}
			if !found {
				t.Fatalf("Walk errors = %v, want one starting %q", errs, tt.wantErr)
			}
		})
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestReadFileLimit: a file over the limit is an error naming its size.
func TestReadFileLimit(t *testing.T) {
	site, _ := setup(t)
	write(t, filepath.Join(site, "static", "big.txt"), strings.Repeat("长", 100)) // 300 bytes
	src, err := source.Open(site)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	f, err := src.Stat("static/big.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		limit   int64
		wantErr string
	}{
		{300, ""},
		{299, "static/big.txt:1: file: 0.0 MB (300 bytes), over the limit of 0.0 MB"},
	} {
		data, err := src.ReadFile(f, tt.limit)
		if tt.wantErr == "" {
			if err != nil || len(data) != 300 {
				t.Errorf("limit %d: %d bytes, %v", tt.limit, len(data), err)
			}
			continue
		}
		var ce *content.Error
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tt.wantErr) {
			t.Errorf("limit %d: %v, want %q", tt.limit, err, tt.wantErr)
		}
	}
}

// TestStatOfWholePaths: names through linked folders, the site reached
// through a link, and names that do not exist.
func TestStatOfWholePaths(t *testing.T) {
	site, outside := setup(t)
	symlink(t, filepath.Join(outside, "secrets"), filepath.Join(site, "out"))
	symlink(t, "static", filepath.Join(site, "in"))
	viaLink := filepath.Join(t.TempDir(), "link-to-site")
	symlink(t, site, viaLink)
	src, err := source.Open(viaLink)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Stat("out/key.txt"); err == nil || !strings.Contains(err.Error(), "leads outside the site folder") {
		t.Errorf("Stat through a folder link outside: %v", err)
	}
	if f, err := src.Stat("in/sub/deep.txt"); err != nil || f.Name != "in/sub/deep.txt" || f.Size != 4 {
		t.Errorf("Stat through a folder link inside: %+v, %v", f, err)
	}
	if _, err := src.Stat("static/none.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a missing file: %v, want ErrNotExist", err)
	}
	if _, err := src.Stat("../outside/secret.txt"); err == nil {
		t.Error("Stat of ../ gave no error")
	}
}

// TestFS: the fs.FS view refuses what Walk refuses, and reports missing
// files as fs.ErrNotExist, as config and theme loaders expect.
func TestFS(t *testing.T) {
	site, outside := setup(t)
	symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(site, "static", "x.txt"))
	src, err := source.Open(site)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	fsys := src.FS("static")
	if b, err := fs.ReadFile(fsys, "ok.txt"); err != nil || string(b) != "ok" {
		t.Errorf("ReadFile(ok.txt) = %q, %v", b, err)
	}
	if b, err := fs.ReadFile(fsys, "x.txt"); err == nil || !strings.HasPrefix(err.Error(), "static/x.txt:1: file: leads outside") {
		t.Errorf("ReadFile(x.txt) = %q, %v; want the link refused", b, err)
	}
	if _, err := fsys.Open("x.txt"); err == nil {
		t.Error("Open(x.txt) of a link outside gave no error")
	}
	if _, err := fs.ReadFile(fsys, "none.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(none.txt): %v, want ErrNotExist", err)
	}
	if names, err := fs.Glob(fsys, "sub/*.txt"); err != nil || len(names) != 1 {
		t.Errorf("Glob(sub/*.txt) = %v, %v", names, err)
	}
}

// TestCreate: new files go inside the site, through links inside it, and
// never through a link leading out.
func TestCreate(t *testing.T) {
	site, outside := setup(t)
	symlink(t, filepath.Join(outside, "secrets"), filepath.Join(site, "static", "out"))
	os.MkdirAll(filepath.Join(site, "shared"), 0o755)
	symlink(t, filepath.Join(site, "shared"), filepath.Join(site, "static", "in"))
	src, err := source.Open(site)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if f, err := src.Create("static/out/new/x.md"); err == nil {
		f.Close()
		t.Error("Create through a folder link outside the site succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "secrets", "new")); err == nil {
		t.Error("Create made a folder outside the site")
	}
	f, err := src.Create("static/in/new/x.md")
	if err != nil {
		t.Fatalf("Create through a folder link inside: %v", err)
	}
	f.Close()
	if _, err := os.Stat(filepath.Join(site, "shared", "new", "x.md")); err != nil {
		t.Error(err)
	}
	if _, err := src.Create("static/ok.txt"); err == nil {
		t.Error("Create replaced a file")
	}
}

// TestRuleFromFS: the same rule over a file system in memory
// (fstest.MapFS, as golden-site tests use): links inside are followed,
// links out of the site, dangling or in a loop are errors naming the link.
func TestRuleFromFS(t *testing.T) {
	link := func(target string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
	}
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		"static/ok.txt":        file("ok"),
		"static/sub/deep.txt":  file("deep"),
		"static/in.txt":        link("sub/deep.txt"),
		"static/up.txt":        link("../static/ok.txt"),
		"static/folder":        link("sub"),
		"static/through.txt":   link("folder/../ok.txt"),
		"static/out.txt":       link("../../outside/secret.txt"),
		"static/abs.txt":       link("/etc/passwd"),
		"static/gone.txt":      link("nothing.txt"),
		"static/loop.txt":      link("loop.txt"),
		"static/sub/again":     link(".."),
		"content/page.md":      file("---\ntitle: x\n---\n"),
		"content/linked-in.md": link("page.md"),
	}
	src := source.FromFS(fsys)
	defer src.Close()
	files, errs := src.Walk("static", nil)
	var got []string
	for _, f := range files {
		if !f.Dir {
			data, err := src.ReadFile(f, source.MaxFileSize)
			if err != nil {
				t.Fatalf("read %s: %v", f.Name, err)
			}
			got = append(got, f.Name+"="+string(data))
		}
	}
	// static/folder is walked before static/sub, the folder it leads to
	want := []string{"static/folder/deep.txt=deep", "static/in.txt=deep", "static/ok.txt=ok", "static/through.txt=ok", "static/up.txt=ok"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files read = %q, want %q", got, want)
	}
	wantErrs := map[string]string{
		"static/abs.txt":      "leads outside the site folder, to /etc/passwd",
		"static/gone.txt":     "symlink to nothing.txt, which does not exist",
		"static/loop.txt":     "symlink loop",
		"static/out.txt":      "leads outside the site folder, to ../outside/secret.txt",
		"static/sub":          "which is read already",
		"static/folder/again": "which is read already",
	}
	for _, e := range errs {
		var ce *content.Error
		if !errors.As(e, &ce) {
			t.Errorf("error %v is not a *content.Error", e)
			continue
		}
		w, ok := wantErrs[ce.File]
		if !ok {
			t.Errorf("unexpected error %v", e)
			continue
		}
		if !strings.Contains(e.Error(), w) {
			t.Errorf("error %q, want it to say %q", e, w)
		}
		delete(wantErrs, ce.File)
	}
	for name, w := range wantErrs {
		t.Errorf("no error for %s, want %q", name, w)
	}
	if _, err := src.Create("content/new.md"); err == nil {
		t.Error("Create on a site read from an fs.FS succeeded, want an error")
	}
}
