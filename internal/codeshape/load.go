package codeshape

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// pkg is one package: the files of one directory with one package clause
// (an external test package, foo_test, is a package of its own).
type pkg struct {
	path  string
	files []*file
	vars  map[string]bool // package-level variables declared outside tests
}

type file struct {
	ast  *ast.File
	test bool
}

// packages maps an import path (with "_test" for an external test package)
// to its package.
type packages map[string]*pkg

// sorted returns the packages in import path order, so reports are stable.
func (ps packages) sorted() []*pkg {
	out := make([]*pkg, 0, len(ps))
	for _, p := range ps {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// load parses the .go files below fsys's root, leaving out generated files
// and the directories the go tool leaves out.
func load(fsys fs.FS, fset *token.FileSet) (packages, error) {
	pkgs := packages{}
	modules := map[string]string{} // directory → its module's path
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDir(d.Name()) {
				return fs.SkipDir
			}
			return enterDir(fsys, name, modules)
		}
		if path.Ext(name) != ".go" {
			return nil
		}
		return pkgs.add(fsys, fset, name, modules[path.Dir(name)])
	})
	if err != nil {
		return nil, fmt.Errorf("codeshape: %w", err)
	}
	return pkgs, nil
}

// enterDir records the module path of a directory: its own go.mod's, or
// else its parent's import path extended by its name.
func enterDir(fsys fs.FS, dir string, modules map[string]string) error {
	data, err := fs.ReadFile(fsys, path.Join(dir, "go.mod"))
	if err == nil {
		modules[dir] = modulePath(data)
		return nil
	}
	if dir == "." {
		modules[dir] = "" // no go.mod: import paths are the directories
		return nil
	}
	modules[dir] = importPath(modules[path.Dir(dir)], path.Base(dir))
	return nil
}

// modulePath reads the module line of a go.mod file.
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// add parses one file into its package, unless it is generated.
func (ps packages) add(fsys fs.FS, fset *token.FileSet, name, importPath string) error {
	f, err := parseFile(fsys, fset, name)
	if err != nil || ast.IsGenerated(f) {
		return err
	}
	test := isTestFile(name)
	key := importPath
	if test && strings.HasSuffix(f.Name.Name, "_test") {
		key += "_test"
	}
	p := ps[key]
	if p == nil {
		p = &pkg{path: key, vars: map[string]bool{}}
		ps[key] = p
	}
	p.files = append(p.files, &file{ast: f, test: test})
	if !test {
		for _, name := range topVars(f) {
			p.vars[name.Name] = true
		}
	}
	return nil
}

// topVars returns the names declared by a file's package-level var decls.
func topVars(f *ast.File) []*ast.Ident {
	var out []*ast.Ident
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				if n.Name != "_" {
					out = append(out, n)
				}
			}
		}
	}
	return out
}
