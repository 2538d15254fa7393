package stage

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

const prefix = ".playbook-build-public-"

// TestMain lets a test run this binary as a build that makes a stage folder
// and then waits to be killed.
func TestMain(m *testing.M) {
	if parent := os.Getenv("STAGE_TEST_HOLD"); parent != "" {
		d, err := New(parent, prefix)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(d.Path)
		io.Copy(io.Discard, os.Stdin) // until killed
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// holder starts a process that owns a stage folder in parent and returns
// the folder and a func that kills the process with SIGKILL and waits.
func holder(t *testing.T, parent string) (string, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STAGE_TEST_HOLD="+parent)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() {
		cmd.Process.Kill()
		cmd.Wait()
		stdin.Close()
	}
	t.Cleanup(kill)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("holder: %v", err)
	}
	return strings.TrimSpace(line), kill
}

// write makes the files of a folder: name → content ("/" ending: a folder).
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func age(t *testing.T, p string) {
	t.Helper()
	old := time.Now().Add(-StaleAfter - time.Minute)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
}

// TestSweep: Sweep removes a folder only when its name has the prefix, it
// holds Playbook's marker and no running build holds the marker's lock.
func TestSweep(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("locks are Unix-only; elsewhere Sweep goes by age")
	}
	tests := []struct {
		name   string
		setup  func(t *testing.T, parent string) string // returns the folder to look at
		remove bool
	}{
		{"leftover of a build killed with SIGKILL", func(t *testing.T, parent string) string {
			p, kill := holder(t, parent)
			kill()
			return p
		}, true},
		{"stage of a build running in another process", func(t *testing.T, parent string) string {
			p, _ := holder(t, parent)
			return p
		}, false},
		{"stage of a build running in this process", func(t *testing.T, parent string) string {
			d, err := New(parent, prefix)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			return d.Path
		}, false},
		{"marked, unlocked: an older build's leftover", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"1")
			write(t, p, map[string]string{Marker: markerText, "index.html": "x"})
			return p
		}, true},
		{"prefix without marker: not ours", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"mine")
			write(t, p, map[string]string{"thesis.txt": "years of work"})
			age(t, p)
			return p
		}, false},
		{"marker with other text: not ours", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"2")
			write(t, p, map[string]string{Marker: "my notes\n", "thesis.txt": "x"})
			age(t, filepath.Join(p, Marker))
			return p
		}, false},
		{"marker that is a link: not ours", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"3")
			write(t, parent, map[string]string{"real/" + Marker: markerText})
			write(t, p, map[string]string{"thesis.txt": "x"})
			if err := os.Symlink(filepath.Join(parent, "real", Marker), filepath.Join(p, Marker)); err != nil {
				t.Fatal(err)
			}
			return p
		}, false},
		{"link named like a stage to a marked folder", func(t *testing.T, parent string) string {
			target := filepath.Join(parent, "target")
			write(t, target, map[string]string{Marker: markerText})
			p := filepath.Join(parent, prefix+"4")
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			return target
		}, false},
		{"marked folder without the prefix", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, "public")
			write(t, p, map[string]string{Marker: markerText})
			return p
		}, false},
		{"empty stage just made (killed before its marker, or starting)", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"5")
			write(t, p, map[string]string{"./": ""})
			return p
		}, false},
		{"empty stage an hour old", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"6")
			write(t, p, map[string]string{"./": ""})
			age(t, p)
			return p
		}, true},
		{"marker being written by its owner", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"7")
			write(t, p, map[string]string{Marker: ""})
			return p
		}, false},
		{"marker half written by its owner", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"9")
			write(t, p, map[string]string{Marker: markerText[:10]})
			return p
		}, false},
		{"empty marker an hour old", func(t *testing.T, parent string) string {
			p := filepath.Join(parent, prefix+"8")
			write(t, p, map[string]string{Marker: ""})
			age(t, filepath.Join(p, Marker))
			return p
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			p := tt.setup(t, parent)
			removed := Sweep(parent, prefix)
			_, err := os.Lstat(p)
			if gone := os.IsNotExist(err); gone != tt.remove {
				t.Fatalf("%s removed = %t, want %t (Sweep removed %v)", filepath.Base(p), gone, tt.remove, removed)
			}
			if tt.remove != slices.Contains(removed, p) {
				t.Errorf("Sweep returned %v", removed)
			}
		})
	}
}

// TestKilledThenSwept: the stage of a running build survives a sweep, and
// the next sweep after the build is killed removes it.
func TestKilledThenSwept(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("locks are Unix-only")
	}
	parent := t.TempDir()
	p, kill := holder(t, parent)
	if removed := Sweep(parent, prefix); len(removed) > 0 {
		t.Fatalf("swept a running build's stage: %v", removed)
	}
	kill()
	if removed := Sweep(parent, prefix); !slices.Equal(removed, []string{p}) {
		t.Fatalf("after kill, Sweep removed %v, want %s", removed, p)
	}
}

// TestNewClose: a stage is marked while in use and gone after Close, with
// whatever was put in it.
func TestNewClose(t *testing.T) {
	parent := t.TempDir()
	d, err := New(parent, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(d.Path), prefix) || filepath.Dir(d.Path) != parent {
		t.Errorf("Path = %s, want %s/%s…", d.Path, parent, prefix)
	}
	if st, err := os.Stat(d.Path); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("stage folder: %v, %v; want mode 0755", st, err)
	}
	if !IsMarked(d.Path) {
		t.Error("a new stage is not marked")
	}
	write(t, d.Path, map[string]string{"a/b.html": "x"})
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(d.Path); !os.IsNotExist(err) {
		t.Errorf("after Close: %v", err)
	}
}

func TestIsMarked(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  bool
	}{
		{"marker", map[string]string{Marker: markerText}, true},
		{"marker of an older text, same first line", map[string]string{Marker: strings.SplitAfter(markerText, "\n")[0] + "other\n"}, true},
		{"no marker", map[string]string{"index.html": "x"}, false},
		{"empty marker", map[string]string{Marker: ""}, false},
		{"other text", map[string]string{Marker: "Written by me\n"}, false},
		{"marker is a folder", map[string]string{Marker + "/": ""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			if got := IsMarked(dir); got != tt.want {
				t.Errorf("IsMarked = %t, want %t", got, tt.want)
			}
		})
	}
}

// TestSweepWithoutLocks: where the file system has no locks, a marked
// leftover goes once it is StaleAfter old, and nothing unmarked ever goes.
func TestSweepWithoutLocks(t *testing.T) {
	noLocks := func(*os.File) error { return errors.ErrUnsupported }
	tests := []struct {
		name   string
		files  map[string]string
		aged   bool
		remove bool
	}{
		{"marked, fresh: may be running", map[string]string{Marker: markerText}, false, false},
		{"marked, an hour old", map[string]string{Marker: markerText}, true, true},
		{"unmarked, an hour old", map[string]string{"thesis.txt": "x"}, true, false},
		{"other marker text, an hour old", map[string]string{Marker: "mine\n"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			p := filepath.Join(parent, prefix+"x")
			write(t, p, tt.files)
			if tt.aged {
				age(t, p)
			}
			sweepWith(parent, prefix, noLocks)
			if _, err := os.Lstat(p); os.IsNotExist(err) != tt.remove {
				t.Errorf("removed = %t, want %t", os.IsNotExist(err), tt.remove)
			}
		})
	}
}

func TestSwapReplacesWholeFolder(t *testing.T) {
	for _, tc := range []struct {
		name     string
		previous bool // dst holds an earlier folder
	}{{"dst missing", false}, {"dst replaced", true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "new"), filepath.Join(dir, "site")
			writeFile(t, filepath.Join(src, "index.html"), "new")
			if tc.previous {
				writeFile(t, filepath.Join(dst, "index.html"), "old")
				writeFile(t, filepath.Join(dst, "gone.html"), "old only")
			}
			if err := Swap(src, dst); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(filepath.Join(dst, "index.html")); string(got) != "new" {
				t.Errorf("dst/index.html = %q, want the new folder's", got)
			}
			if _, err := os.Lstat(filepath.Join(dst, "gone.html")); err == nil {
				t.Error("dst keeps a file of the previous folder: a mix of old and new")
			}
		})
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
