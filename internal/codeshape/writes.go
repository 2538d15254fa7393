package codeshape

import (
	"go/ast"
	"go/token"
	"path"
	"strconv"
)

// finder looks for changes of package-level variables in one file.
type finder struct {
	fset    *token.FileSet
	pkgs    packages
	pkg     *pkg
	imports map[string]string // local name → import path
	top     map[*ast.Object]bool
	in      string // the function or declaration being walked
	test    bool   // the file is a test file
	out     []Write
}

// writes returns the changes of package-level variables in file f of p,
// leaving out p's init functions, where setting them is their declaration.
func writes(fset *token.FileSet, pkgs packages, p *pkg, f *file) []Write {
	w := &finder{fset: fset, pkgs: pkgs, pkg: p, imports: importNames(f.ast), top: map[*ast.Object]bool{}, test: f.test}
	for _, n := range topVars(f.ast) {
		w.top[n.Obj] = true
	}
	for _, d := range f.ast.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body != nil && !isInit(d) {
				w.in = funcName(d)
				ast.Inspect(d.Body, w.visit)
			}
		case *ast.GenDecl:
			w.walkValues(d)
		}
	}
	return w.out
}

// walkValues walks the initialisers of a var or const declaration: a
// function literal there may change another variable when it runs.
func (w *finder) walkValues(d *ast.GenDecl) {
	for _, s := range d.Specs {
		vs, ok := s.(*ast.ValueSpec)
		if !ok {
			continue
		}
		w.in = "var " + vs.Names[0].Name
		for _, v := range vs.Values {
			ast.Inspect(v, w.visit)
		}
	}
}

// isInit reports whether fd is a package init function.
func isInit(fd *ast.FuncDecl) bool {
	return fd.Recv == nil && fd.Name.Name == "init"
}

// importNames maps each import's local name to its path.
func importNames(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		name := path.Base(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		out[name] = p
	}
	return out
}

// visit records the statement or expression n if it changes a package
// variable.
func (w *finder) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE {
			w.changes(n.Lhs...)
		}
	case *ast.IncDecStmt:
		w.changes(n.X)
	case *ast.RangeStmt:
		if n.Tok == token.ASSIGN {
			w.changes(n.Key, n.Value)
		}
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			w.changes(n.X)
		}
	}
	return true
}

// changes records each of exprs that names a package variable.
func (w *finder) changes(exprs ...ast.Expr) {
	for _, e := range exprs {
		if e == nil {
			continue
		}
		v := w.target(e)
		if v == "" {
			continue
		}
		pos := w.fset.Position(e.Pos())
		if n := len(w.out); n > 0 && w.out[n-1].Var == v && w.out[n-1].Pos.Line == pos.Line {
			continue // a, a.b = … is one change of a line
		}
		w.out = append(w.out, Write{Pos: pos, Var: v, In: w.in, Test: w.test})
	}
}

// target returns the package variable that writing to e changes ("" for
// none): the variable itself, or the one whose field, element or pointee e is.
func (w *finder) target(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.SelectorExpr:
			if v := w.imported(x); v != "" {
				return v
			}
			e = x.X
		case *ast.Ident:
			return w.own(x)
		default:
			return ""
		}
	}
}

// imported returns "path.Name" when x is pkg.Name for an imported package
// that declares a variable Name.
func (w *finder) imported(x *ast.SelectorExpr) string {
	id, ok := x.X.(*ast.Ident)
	if !ok || id.Obj != nil {
		return ""
	}
	p, ok := w.imports[id.Name]
	if !ok || w.pkgs[p] == nil || !w.pkgs[p].vars[x.Sel.Name] {
		return ""
	}
	return p + "." + x.Sel.Name
}

// own returns "path.name" when id is a package variable of the file's own
// package: resolved by the parser to a package-level declaration of this
// file, or not resolved at all (declared in another file of the package).
func (w *finder) own(id *ast.Ident) string {
	if !w.pkg.vars[id.Name] {
		return ""
	}
	if id.Obj != nil && !w.top[id.Obj] {
		return "" // a local of the same name
	}
	return w.pkg.path + "." + id.Name
}
