// Package theme loads the templates, UI strings and assets of a theme: the
// embedded default theme with a site's themes/NAME/ laid over it file by file.
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Kinds of output, each rendered by layouts/KIND.html; pages use
// layouts/single/TYPE.html, and a section's list of pages of one type the
// "list" template of layouts/list/TYPE.html inside layouts/section.html.
const (
	KindHome     = "home"
	KindSection  = "section"
	KindTaxonomy = "taxonomy" // the list of all terms of one taxonomy
	KindTerm     = "term"     // the pages of one term
	Kind404      = "404"
	KindAlias    = "alias"
)

// Theme is a parsed theme, safe for concurrent Execute calls.
type Theme struct {
	templates map[string]*template.Template
	base      *template.Template // baseof and partials, for Partial
	entry     map[string]string  // template to execute per layout: baseof.html, or the file itself when it defines no "main"
	strings   map[string]string
}

// Layered returns a file system in which files of top hide those of base.
func Layered(top, base fs.FS) fs.FS {
	if top == nil {
		return base
	}
	return layered{top: top, base: base}
}

type layered struct{ top, base fs.FS }

// Open opens name in top, else in base. A file top has but cannot open
// (a link leading out of the site, say) is that error, never base's file
// in silence.
func (l layered) Open(name string) (fs.File, error) {
	f, err := l.top.Open(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return l.base.Open(name)
}

// ReadFile reads name from top, else from base, each through its own
// ReadFile: a site's theme folder keeps its reader's size limit.
func (l layered) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(l.top, name)
	if errors.Is(err, fs.ErrNotExist) {
		return fs.ReadFile(l.base, name)
	}
	return data, err
}

// ReadDir merges the entries of both layers.
func (l layered) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	var firstErr error
	for _, f := range []fs.FS{l.base, l.top} {
		es, err := fs.ReadDir(f, name)
		if err != nil {
			firstErr = err
			continue
		}
		for _, e := range es {
			seen[e.Name()] = e
		}
	}
	if len(seen) == 0 && firstErr != nil {
		return nil, firstErr
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// Load parses the theme in fsys for the given language; funcs are added to
// every template (the builder supplies URL and lookup helpers).
func Load(fsys fs.FS, lang string, funcs template.FuncMap) (*Theme, error) {
	t := &Theme{templates: map[string]*template.Template{}, entry: map[string]string{}}
	var err error
	if t.strings, err = loadStrings(fsys, lang); err != nil {
		return nil, err
	}
	all := template.FuncMap{"T": t.T}
	for k, v := range funcs {
		all[k] = v
	}
	base := template.New("_root").Funcs(all) // not a file name: re-defining the root by name drops its funcs
	if base, err = parseGlob(base, fsys, "layouts/baseof.html", "layouts/partials/*.html"); err != nil {
		return nil, err
	}
	defer func() { t.base = base }() // executed only after every layout is cloned from it
	kinds, _ := fs.Glob(fsys, "layouts/*.html")
	singles, _ := fs.Glob(fsys, "layouts/single/*.html")
	for _, file := range append(kinds, singles...) {
		if path.Base(file) == "baseof.html" {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(file, "layouts/"), ".html")
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if clone, err = parseGlob(clone, fsys, file); err != nil {
			return nil, err
		}
		t.templates[name] = clone
		t.entry[name] = "baseof.html"
		if clone.Lookup("main") == nil {
			t.entry[name] = path.Base(file)
		}
	}
	return t, t.loadLists(fsys)
}

// loadLists adds layouts/list/TYPE.html, each over a copy of the section
// layout, whose "list" block it fills.
func (t *Theme) loadLists(fsys fs.FS) error {
	lists, _ := fs.Glob(fsys, "layouts/list/*.html")
	section, ok := t.templates[KindSection]
	if !ok && len(lists) > 0 {
		return fmt.Errorf("theme: %s needs layouts/%s.html, which it fills", lists[0], KindSection)
	}
	for _, file := range lists {
		clone, err := section.Clone()
		if err != nil {
			return err
		}
		if clone, err = parseGlob(clone, fsys, file); err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(file, "layouts/"), ".html")
		t.templates[name], t.entry[name] = clone, t.entry[KindSection]
	}
	return nil
}

// ListTyped is the data of a section list that names the type of its
// pages: Execute renders it with layouts/list/TYPE.html when the theme has
// one.
type ListTyped interface{ ListType() string }

// layout is the layout that renders name with data.
func (t *Theme) layout(name string, data any) string {
	if lt, ok := data.(ListTyped); ok && name == KindSection {
		if list := "list/" + lt.ListType(); t.Has(list) {
			return list
		}
	}
	return name
}

func parseGlob(t *template.Template, fsys fs.FS, patterns ...string) (*template.Template, error) {
	for _, p := range patterns {
		files, err := fs.Glob(fsys, p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			src, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("theme: %w", err)
			}
			name := path.Base(f)
			if strings.HasPrefix(f, "layouts/partials/") {
				name = "partials/" + name
			}
			if _, err := t.New(name).Parse(string(src)); err != nil {
				return nil, fmt.Errorf("theme: %s: %w", f, err)
			}
		}
	}
	return t, nil
}

func loadStrings(fsys fs.FS, lang string) (map[string]string, error) {
	out := map[string]string{}
	for _, l := range []string{"en", lang} { // English fills strings a translation lacks
		data, err := fs.ReadFile(fsys, "i18n/"+l+".yaml")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		m := map[string]string{}
		if err := yaml.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("theme: i18n/%s.yaml: %w", l, err)
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// T returns the UI string for key, or the key itself when none is defined.
func (t *Theme) T(key string) string {
	if s, ok := t.strings[key]; ok {
		return s
	}
	return key
}

// Partial renders one partial ("partials/item.html") with data.
func (t *Theme) Partial(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := t.base.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("theme: %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil // html/template escaped it
}

// Has reports whether the theme has a layout of that name ("single/case").
func (t *Theme) Has(name string) bool { _, ok := t.templates[name]; return ok }

// Execute renders layout name ("home", "single/case", …) with data to w.
// It renders into a buffer first so a template error never leaves half a page.
func (t *Theme) Execute(w io.Writer, name string, data any) error {
	name = t.layout(name, data)
	tpl, ok := t.templates[name]
	if !ok {
		return fmt.Errorf("theme: no layout %q", name)
	}
	// Into a caller's buffer directly, cutting a failed page off again: a
	// list page of thousands of entries runs to megabytes, and copying it
	// through a second buffer doubled the cost of rendering it.
	if b, ok := w.(*bytes.Buffer); ok {
		n := b.Len()
		if err := tpl.ExecuteTemplate(b, t.entry[name], data); err != nil {
			b.Truncate(n)
			return fmt.Errorf("theme: layout %s: %w", name, err)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, t.entry[name], data); err != nil {
		return fmt.Errorf("theme: layout %s: %w", name, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
