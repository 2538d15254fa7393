package main

import (
	"crypto/sha256"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestMakeRelease runs `make release` for linux/amd64 only (the four
// platforms take minutes; each is the same command) and checks what a
// team downloads: a static binary named by version, platform and
// architecture, its SHA-256 in SHA256SUMS, and `version` naming the commit.
func TestMakeRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles playbook; skipped with -short")
	}
	for _, tool := range []string{"make", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", root}, args...)...).Output()
		if err != nil {
			t.Skipf("not a git work tree: git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	version, commit := git("describe", "--tags", "--always", "--dirty"), git("rev-parse", "HEAD")
	dist := t.TempDir()
	cmd := exec.Command("make", "-C", root, "release", "PLATFORMS=linux/amd64", "DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make release: %v\n%s", err, out)
	}
	name := "playbook-" + version + "-linux-amd64"
	bin := filepath.Join(dist, name)
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if want := fmt.Sprintf("%x  %s\n", sha256.Sum256(data), name); err != nil || string(sums) != want {
		t.Errorf("SHA256SUMS = %q (%v), want %q", sums, err, want)
	}
	checkStatic(t, bin)
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return
	}
	out, err := exec.Command(bin, "version").Output()
	want := fmt.Sprintf("playbook %s (commit %s, built ", version, commit[:12])
	if err != nil || !strings.HasPrefix(string(out), want) {
		t.Errorf("version = %q (%v), want it to begin %q", out, err, want)
	}
}

// checkStatic fails unless the ELF binary needs no dynamic loader or library.
func checkStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s asks for a dynamic loader: not static", bin)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s needs %v: not static", bin, libs)
	}
}
