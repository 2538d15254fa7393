package builder

// The data of paged lists (paging.go) for playbook.js's filters:
//
//   - /URL/rows.json, one per paged list:
//     {"total": N, "shards": "/lists/items/", "facets": [[facet, value, label], …],
//     "attrs": ["outcome=won", …], "rows": [[shard, pos, [facet…], [attr…]], …]}
//     — every entry of the list in order, its facet values (indexes into
//     facets) and the data-* attributes of its <li> (a case's outcome, deal
//     and cycle, for the totals), as indexes into attrs.
//   - /lists/items/K.json and /lists/cards/K.json: JSON arrays of entries'
//     HTML (list items, script cards), each entry once for the whole site,
//     in shards of about shardBudget bytes, so that a filtered view loads
//     only the shards of the entries it shows.
//
// The facets are read back from the entry's HTML (its data-facet and
// data-value elements, the chip label their text), so the theme's item
// templates stay the one place that says what a list can be filtered by.

import (
	"encoding/json"
	"html/template"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/playbook-sales/playbook/builder/theme"
	"golang.org/x/net/html"
	"golang.org/x/sync/errgroup"
)

const (
	shardsURL   = "/lists/" // folder of the entry shards
	shardBudget = 16 << 10  // entry HTML per shard: a few shards make a page of results
)

// itemHTML is p's entry in lists (partials/item.html), rendered once. An
// error is reported by the outputs that show the entry.
func (p *Page) itemHTML(th *theme.Theme) (template.HTML, error) {
	return p.item.get(func() (template.HTML, error) { return th.Partial("partials/item.html", p) })
}

func (s *Site) itemHTML(th *theme.Theme, p *Page) template.HTML {
	h, _ := p.itemHTML(th)
	return h
}

// prerenderEntries renders every page's list entry, and every script's
// card, on all cores: paging needs their sizes before the outputs render.
func (s *Site) prerenderEntries(th *theme.Theme) {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range s.Pages {
		g.Go(func() error {
			p.itemHTML(th)
			if p.Script != nil {
				p.scriptCard(th)
			}
			return nil
		})
	}
	_ = g.Wait() // errors are the outputs' to report
}

// shardSet places entries into shards in the order they are first used.
type shardSet struct {
	kind  string // "items" or "cards"
	html  func(*Page) template.HTML
	frag  func(*Page) *fragment // the fragment html renders
	order []*Page
	at    map[*Page][2]int // shard, position
	read  map[*Page]*readOnce
}

// readOnce is an entry's facets, read once however many lists show it.
type readOnce struct {
	once sync.Once
	e    entry
}

func (ss *shardSet) entry(p *Page) entry {
	r := ss.read[p]
	r.once.Do(func() { r.e = ss.frag(p).readEntry(ss.html(p)) })
	return r.e
}

func (ss *shardSet) use(pages []*Page) {
	if ss.at == nil {
		ss.at, ss.read = map[*Page][2]int{}, map[*Page]*readOnce{}
	}
	for _, p := range pages {
		if _, ok := ss.at[p]; !ok {
			ss.at[p] = [2]int{-1, -1}
			ss.read[p] = &readOnce{}
			ss.order = append(ss.order, p)
		}
	}
}

// outputs cuts the used entries into shards and lists their files.
func (ss *shardSet) outputs() []output {
	bounds := []int{0}
	weight := 0
	for i, p := range ss.order {
		if w := len(ss.html(p)); i > bounds[len(bounds)-1] && weight+w > shardBudget {
			bounds = append(bounds, i)
			weight = 0
		}
		weight += len(ss.html(p))
		ss.at[p] = [2]int{len(bounds) - 1, i - bounds[len(bounds)-1]}
	}
	bounds = append(bounds, len(ss.order))
	var outs []output
	for k := 0; k+1 < len(bounds) && len(ss.order) > 0; k++ {
		part := ss.order[bounds[k]:bounds[k+1]]
		outs = append(outs, output{
			path:  strings.TrimPrefix(shardsURL, "/") + ss.kind + "/" + strconv.Itoa(k) + ".json",
			claim: generated("(list data)"),
			deps:  ss.deps(part),
			render: func(w io.Writer) error {
				list := make([]string, len(part))
				for i, p := range part {
					list[i] = string(ss.html(p))
				}
				return json.NewEncoder(w).Encode(list)
			},
		})
	}
	return outs
}

// deps declares a shard of part's entries: their fields and, for cards,
// their bodies; a case's list entry also names its battlecards.
func (ss *shardSet) deps(part []*Page) func() deps {
	return func() deps {
		var d deps
		for _, p := range part {
			d.pages = append(d.pages, p.Path)
			for _, r := range p.Refs() {
				if p.Case != nil && r.Key == "competitors" {
					d.pages = append(d.pages, r.Target)
				}
			}
			if ss.kind == "cards" {
				d.bodies = append(d.bodies, p.Path)
			}
		}
		return d
	}
}

// rowsOutput is the rows.json of a paged list of entries (pages, in list
// order; a script under two stages twice).
func (s *Site) rowsOutput(pager *Pager, pages []*Page, shards *shardSet, c claim) output {
	shards.use(pages)
	return output{path: strings.TrimPrefix(pager.Rows, "/"), claim: c, render: func(w io.Writer) error {
		return writeRows(w, s.Rel(pager.Shards), pages, shards)
	}}
}

// rowsFile is rows.json.
type rowsFile struct {
	Total  int         `json:"total"`
	Shards string      `json:"shards"`
	Facets [][3]string `json:"facets"`
	Attrs  []string    `json:"attrs"`
	Rows   [][4]any    `json:"rows"`
}

func writeRows(w io.Writer, base string, pages []*Page, shards *shardSet) error {
	f := rowsFile{Total: len(pages), Shards: base, Facets: [][3]string{}, Attrs: []string{}, Rows: make([][4]any, 0, len(pages))}
	facetIx, attrIx := map[[2]string]int{}, map[string]int{}
	for _, p := range pages {
		e := shards.entry(p)
		fs, as := []int{}, []int{}
		for _, fv := range e.facets {
			i, ok := facetIx[[2]string{fv[0], fv[1]}]
			if !ok {
				i = len(f.Facets)
				facetIx[[2]string{fv[0], fv[1]}] = i
				f.Facets = append(f.Facets, fv)
			}
			fs = append(fs, i)
		}
		for _, a := range e.attrs {
			i, ok := attrIx[a]
			if !ok {
				i = len(f.Attrs)
				attrIx[a] = i
				f.Attrs = append(f.Attrs, a)
			}
			as = append(as, i)
		}
		at := shards.at[p]
		f.Rows = append(f.Rows, [4]any{at[0], at[1], fs, as})
	}
	return json.NewEncoder(w).Encode(f)
}

// entry is what filters need of an entry's HTML.
type entry struct {
	facets [][3]string // facet, value, label; each pair once
	attrs  []string    // name=value of the data-* attributes of the entry's root
}

// readEntry reads the facets and root attributes out of an entry's HTML, as
// playbook.js reads them from the page of a list that fits one page: a
// facet's label is its element's text, and a facet value counts once.
func readEntry(h template.HTML) entry {
	var e entry
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
			if depth == 0 && e.attrs == nil {
				e.attrs = rootAttrs(t)
			}
			if tt == html.SelfClosingTagToken || voidElement(t.Data) {
				continue
			}
			if f, v := attr(t, "data-facet"), attr(t, "data-value"); f != "" && v != "" {
				open = append(open, reading{depth, len(e.facets)})
				e.facets = append(e.facets, [3]string{f, v, ""})
				labels = append(labels, strings.Builder{})
			}
			depth++
		case html.EndTagToken:
			depth--
			if n := len(open); n > 0 && open[n-1].depth == depth {
				e.facets[open[n-1].at][2] = strings.Join(strings.Fields(labels[n-1].String()), " ")
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
func dedupe(e entry) entry {
	seen := map[[2]string]bool{}
	out := e.facets[:0]
	for _, f := range e.facets {
		if k := [2]string{f[0], f[1]}; !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	e.facets = out
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
