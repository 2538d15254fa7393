package codeshape_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/playbook-sales/playbook/internal/codeshape"
)

// Issue 13's measures for code outside tests.
const (
	maxLines  = 80 // body lines of one function
	maxMedian = 10 // median body lines over all functions
)

// notSwitches are package variables that are changed after init but are not
// switches. Each needs a reason; none does today (a sync.Once, sync.Map or
// sync.Pool is used through methods, which this check does not count).
var notSwitches = map[string]string{}

// TestShape holds the module and the bench/ module to the measures: no
// function over maxLines body lines, a median of at most maxMedian, and no
// package-level variable changed outside its declaration and init (in tests
// neither: a test that needs another behaviour passes it in).
func TestShape(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	r, err := codeshape.Scan(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	logShape(t, r)
	for _, p := range problems(r, func(key string) bool { return notSwitches[key] != "" }) {
		t.Error(p)
	}
}

// logShape prints the median and the longest functions (go test -v).
func logShape(t *testing.T, r codeshape.Report) {
	t.Logf("%d functions outside tests, median %d body lines (at most %d), longest:", len(r.Funcs), r.Median(), maxMedian)
	for _, f := range r.ByLength()[:min(10, len(r.Funcs))] {
		t.Logf("  %s", f)
	}
	for _, w := range r.Writes {
		t.Logf("  package variable changed: %s", w)
	}
}

// problems lists what breaks the measures in r, leaving out the functions
// ("file: Name") and variables ("path.name") for which allowed is true.
func problems(r codeshape.Report, allowed func(key string) bool) []string {
	var out []string
	for _, f := range r.Longer(maxLines) {
		if !allowed(f.Pos.Filename + ": " + f.Name) {
			out = append(out, fmt.Sprintf("%s: over %d lines: split it into named steps", f, maxLines))
		}
	}
	if m := r.Median(); m > maxMedian {
		out = append(out, fmt.Sprintf("median function is %d body lines, over %d", m, maxMedian))
	}
	for _, w := range r.Writes {
		if !allowed(w.Var) {
			out = append(out, fmt.Sprintf("%s: package-level variable changed after init: pass it in instead", w))
		}
	}
	return out
}

// TestRules runs the measures over the small modules in testdata/*.txtar:
// each archive's comment lists the problems expected, one a line.
func TestRules(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.txtar: %v", err)
	}
	for _, name := range files {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			for _, f := range a.Files {
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
			r, err := codeshape.Scan(fsys)
			if err != nil {
				t.Fatal(err)
			}
			got := problems(r, func(string) bool { return false })
			want := lines(string(a.Comment))
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// lines returns the non-empty lines of s.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestScanError: a file that does not parse stops the scan with its name
// and line, rather than being measured as if it had no functions.
func TestScanError(t *testing.T) {
	fsys := fstest.MapFS{"go.mod": {Data: []byte("module example.com/m\n")}, "a/a.go": {Data: []byte("package a\n\nfunc {\n")}}
	_, err := codeshape.Scan(fsys)
	if err == nil || !strings.Contains(err.Error(), "a/a.go:3:") {
		t.Fatalf("Scan: %v, want an error at a/a.go:3", err)
	}
}
