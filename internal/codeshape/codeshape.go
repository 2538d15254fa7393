// Package codeshape measures the shape of the project's Go source, so that
// the measures of issue 13 are kept by a test rather than by review:
//
//   - how long each function is: the lines inside its body braces, for every
//     function declared in a non-test, non-generated file;
//   - where a package-level variable is changed after start-up: assigned
//     (=, op=, ++, --, range with =), or its address taken (&v), anywhere but
//     in its own declaration and the package's init functions — including
//     through a field, an index or a pointer (v.f = x, v[k] = x, *v = x), and
//     from another package (pkg.V = x). Such a variable is a switch that
//     changes the behaviour of everything after it (the removed SetUnion was
//     one); tests that need another behaviour pass it in instead.
//
// The source is read through an fs.FS and parsed with go/parser only (no type
// checking): a name is taken to be the package variable when the parser did
// not resolve it to a local declaration. Directories named testdata or vendor,
// and those starting with "." or "_", are skipped like the go tool skips them;
// a directory holding a go.mod starts a module of its own.
package codeshape

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Func is one function declared outside tests.
type Func struct {
	Pos   token.Position // of the func keyword; Filename is relative to the scanned root
	Name  string         // "Name" or "Recv.Name"
	Lines int            // lines inside the body's braces
}

// Write is one change of a package-level variable outside its declaration
// and init.
type Write struct {
	Pos  token.Position
	Var  string // import path + "." + variable name
	In   string // the function it happens in (or "var x" for an initialiser)
	Test bool   // it happens in a test file
}

// Report is what Scan found.
type Report struct {
	Funcs  []Func  // in file and line order
	Writes []Write // in file and line order
}

// Longer returns the functions with more than max body lines, longest first.
func (r Report) Longer(max int) []Func {
	var out []Func
	for _, f := range r.ByLength() {
		if f.Lines > max {
			out = append(out, f)
		}
	}
	return out
}

// ByLength returns the functions longest first (ties in file order).
func (r Report) ByLength() []Func {
	out := append([]Func(nil), r.Funcs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Lines > out[j].Lines })
	return out
}

// Median is the median body length: the middle one of the sorted lengths,
// the upper of the two middle ones for an even count; 0 for no functions.
func (r Report) Median() int {
	if len(r.Funcs) == 0 {
		return 0
	}
	lines := make([]int, len(r.Funcs))
	for i, f := range r.Funcs {
		lines[i] = f.Lines
	}
	sort.Ints(lines)
	return lines[len(lines)/2]
}

// Scan parses every .go file below fsys's root and measures it.
func Scan(fsys fs.FS) (Report, error) {
	fset := token.NewFileSet()
	pkgs, err := load(fsys, fset)
	if err != nil {
		return Report{}, err
	}
	var r Report
	for _, p := range pkgs.sorted() {
		for _, f := range p.files {
			if !f.test {
				r.Funcs = append(r.Funcs, funcs(fset, f.ast)...)
			}
			r.Writes = append(r.Writes, writes(fset, pkgs, p, f)...)
		}
	}
	return r, nil
}

// funcs measures the functions declared in one file.
func funcs(fset *token.FileSet, f *ast.File) []Func {
	var out []Func
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		out = append(out, Func{Pos: fset.Position(fd.Pos()), Name: funcName(fd), Lines: bodyLines(fset, fd.Body)})
	}
	return out
}

// bodyLines counts the lines between a body's braces; a body written on the
// line of its braces counts one line when it holds a statement.
func bodyLines(fset *token.FileSet, b *ast.BlockStmt) int {
	open, end := fset.Position(b.Lbrace).Line, fset.Position(b.Rbrace).Line
	if open == end {
		return min(1, len(b.List))
	}
	return end - open - 1
}

// funcName names a function as the report prints it: "Name" or "Recv.Name".
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

// String prints a function as file:line: Name (N lines).
func (f Func) String() string {
	return fmt.Sprintf("%s:%d: %s (%d lines)", f.Pos.Filename, f.Pos.Line, f.Name, f.Lines)
}

// String prints a write as file:line: pkg.var changed in fn.
func (w Write) String() string {
	return fmt.Sprintf("%s:%d: %s changed in %s", w.Pos.Filename, w.Pos.Line, w.Var, w.In)
}

// isTestFile reports whether name is a test file by the go tool's rule.
func isTestFile(name string) bool {
	return strings.HasSuffix(name, "_test.go")
}

// skipDir reports whether the go tool would skip a directory of this name.
func skipDir(name string) bool {
	return name == "testdata" || name == "vendor" ||
		(name != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")))
}

// importPath joins a module path and a directory inside that module.
func importPath(module, rel string) string {
	if rel == "." || rel == "" {
		return module
	}
	return path.Join(module, rel)
}

// parseFile parses one file with comments (to tell generated files) and
// object resolution (to tell locals from package variables).
func parseFile(fsys fs.FS, fset *token.FileSet, name string) (*ast.File, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err // names the file; load adds the package's prefix
	}
	return parser.ParseFile(fset, name, src, parser.ParseComments)
}
