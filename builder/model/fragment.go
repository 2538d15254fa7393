package model

import (
	"html/template"
	"strings"
	"sync"

	"golang.org/x/net/html"
)

// Fragment is a piece of a page rendered once and shared by the outputs
// that show it.
type Fragment struct {
	once sync.Once
	html template.HTML
	err  error
	made bool // rendered: serve hands it on to the next build of an unchanged page
	// facets is what a filter reads of html (builder/render/rows.go), read once and
	// handed on with it.
	facets     sync.Once
	entry      Entry
	entryReady bool
}

// Get renders the fragment on first use.
func (f *Fragment) Get(render func() (template.HTML, error)) (template.HTML, error) {
	f.once.Do(func() { f.html, f.err = render(); f.made = true })
	return f.html, f.err
}

// Keep gives f the rendering of old, when old has one: serve's rebuild
// keeps the list entries of pages that did not change (builder/livepages.go).
func (f *Fragment) Keep(old *Fragment) {
	if old.made && old.err == nil {
		html := old.html
		f.once.Do(func() { f.html, f.made = html, true })
		if old.entryReady {
			e := old.entry
			f.facets.Do(func() { f.entry, f.entryReady = e, true })
		}
	}
}

// Entry is what a filter reads of the fragment's html, h.
func (f *Fragment) Entry(h template.HTML) Entry {
	f.facets.Do(func() { f.entry, f.entryReady = readEntry(h), true })
	return f.entry
}

// Entry is what filters need of an entry's HTML.
type Entry struct {
	Facets [][3]string // facet, value, label; each pair once
	Attrs  []string    // name=value of the data-* attributes of the entry's root
}

// readEntry reads the facets and root attributes out of an entry's HTML, as
// playbook.js reads them from the page of a list that fits one page: a
// facet's label is its element's text, and a facet value counts once.
func readEntry(h template.HTML) Entry {
	var e Entry
	type reading struct{ depth, at int }
	var open []reading
	var labels []strings.Builder
	z := html.NewTokenizer(strings.NewReader(string(h)))
	depth := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return dedupe(e)
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if depth == 0 && e.Attrs == nil {
				e.Attrs = rootAttrs(t)
			}
			if tt == html.SelfClosingTagToken || voidElement(t.Data) {
				continue
			}
			if f, v := attr(t, "data-facet"), attr(t, "data-value"); f != "" && v != "" {
				open = append(open, reading{depth, len(e.Facets)})
				e.Facets = append(e.Facets, [3]string{f, v, ""})
				labels = append(labels, strings.Builder{})
			}
			depth++
		case html.EndTagToken:
			depth--
			if n := len(open); n > 0 && open[n-1].depth == depth {
				e.Facets[open[n-1].at][2] = strings.Join(strings.Fields(labels[n-1].String()), " ")
				open, labels = open[:n-1], labels[:n-1]
			}
		case html.TextToken:
			for i := range labels {
				labels[i].Write(z.Text())
			}
		}
	}
}

// dedupe keeps the first of each facet and value.
func dedupe(e Entry) Entry {
	seen := map[[2]string]bool{}
	out := e.Facets[:0]
	for _, f := range e.Facets {
		if k := [2]string{f[0], f[1]}; !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	e.Facets = out
	return e
}

func rootAttrs(t html.Token) []string {
	var out []string
	for _, a := range t.Attr {
		if name, ok := strings.CutPrefix(a.Key, "data-"); ok {
			out = append(out, name+"="+a.Val)
		}
	}
	return out
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func voidElement(tag string) bool {
	switch tag {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return true
	}
	return false
}

// Shown is the fragment as last rendered, "" before it is first used.
func (f *Fragment) Shown() template.HTML { return f.html }
