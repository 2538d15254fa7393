package search_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// internalPackages are bleve's storage internals: the index
// implementations and their segment formats. Search reaches the index
// through bleve's public API only (bleve, search, search/query,
// search/searcher, mapping and the bleve_index_api interfaces), so that a
// bleve upgrade cannot change what it reads.
var internalPackages = []string{
	"github.com/blevesearch/bleve/v2/index/",
	"github.com/blevesearch/scorch_segment_api",
	"github.com/blevesearch/zapx/",
	"github.com/blevesearch/upsidedown_store_api",
	"github.com/blevesearch/vellum",
}

// bleveInternals lists what a file does beyond bleve's public API: imports
// of internalPackages, and type assertions or type switches to a type of
// any bleve package but the query package, whose types a program builds
// itself (a reader or searcher asserted to its implementation is the reach).
func bleveInternals(fset *token.FileSet, f *ast.File) []string {
	var out []string
	bleveNames := map[string]bool{} // local names of the imported bleve packages
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		for _, p := range internalPackages {
			if strings.HasPrefix(path, p) || path == strings.TrimSuffix(p, "/") {
				out = append(out, fset.Position(imp.Pos()).String()+": imports "+path)
			}
		}
		if strings.HasPrefix(path, "github.com/blevesearch/") && path != "github.com/blevesearch/bleve/v2/search/query" {
			name := filepath.Base(path)
			if strings.HasPrefix(name, "v") && strings.Count(path, "/") == 3 { // .../bleve/v2
				name = filepath.Base(filepath.Dir(path))
			}
			if imp.Name != nil {
				name = imp.Name.Name
			}
			bleveNames[name] = true
		}
	}
	check := func(t ast.Expr) {
		if t == nil {
			return
		}
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		if sel, ok := t.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && bleveNames[id.Name] {
				out = append(out, fset.Position(t.Pos()).String()+": type assertion to "+id.Name+"."+sel.Sel.Name)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeAssertExpr:
			check(n.Type)
		case *ast.TypeSwitchStmt:
			for _, c := range n.Body.List {
				for _, e := range c.(*ast.CaseClause).List {
					check(e)
				}
			}
		}
		return true
	})
	return out
}

// TestPublicBleveAPIOnly: no file of the package but its tests reaches
// into bleve's internals.
func TestPublicBleveAPIOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range bleveInternals(fset, f) {
			t.Error(msg)
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("checked %d files: not the package's folder?", checked)
	}
}

// TestBleveInternalsFound: the check finds each kind of reach.
func TestBleveInternalsFound(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      int
	}{
		{"public API", `package p
import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)
func f(q query.Query, r index.IndexReader, x any) { _ = x.(error); _, _ = q.(*query.TermQuery); _ = bleve.New }`, 0},
		{"scorch import", `package p
import "github.com/blevesearch/bleve/v2/index/scorch"
var _ = scorch.Name`, 1},
		{"segment import", `package p
import segment "github.com/blevesearch/scorch_segment_api/v2"
var _ segment.Segment`, 1},
		{"assertion to an index interface", `package p
import index "github.com/blevesearch/bleve_index_api"
func f(r index.IndexReader) { _, _ = r.(index.IndexReaderRegexp) }`, 1},
		{"type switch on a searcher", `package p
import "github.com/blevesearch/bleve/v2/search/searcher"
func f(s any) {
	switch s.(type) {
	case *searcher.TermSearcher:
	}
}`, 1},
		{"renamed scorch import and assertion", `package p
import sc "github.com/blevesearch/bleve/v2/index/scorch"
func f(r any) { _ = r.(*sc.IndexSnapshot) }`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "x.go", tc.src, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := bleveInternals(fset, f); len(got) != tc.want {
				t.Errorf("found %d (%q), want %d", len(got), got, tc.want)
			}
		})
	}
}
