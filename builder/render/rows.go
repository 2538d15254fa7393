package render

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

	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/theme"
	"golang.org/x/sync/errgroup"
)

const (
	shardsURL   = "/lists/" // folder of the entry shards
	shardBudget = 16 << 10  // entry HTML per shard: a few shards make a page of results
)

// itemHTML is p's entry in lists (partials/item.html), rendered once. An
// error is reported by the outputs that show the entry.
func itemHTML(th *theme.Theme, p *model.Page) (template.HTML, error) {
	return p.Item().Get(func() (template.HTML, error) { return th.Partial("partials/item.html", p) })
}

func (s *rendering) itemHTML(th *theme.Theme, p *model.Page) template.HTML {
	h, _ := itemHTML(th, p)
	return h
}

// prerenderEntries renders every page's list entry, and every script's
// card, on all cores: paging needs their sizes before the outputs render.
func (s *rendering) prerenderEntries(th *theme.Theme) {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range s.Pages {
		g.Go(func() error {
			itemHTML(th, p)
			if p.Script != nil {
				ScriptCard(th, p)
			}
			return nil
		})
	}
	_ = g.Wait() // errors are the outputs' to report
}

// shardSet places entries into shards in the order they are first used.
type shardSet struct {
	kind  string // "items" or "cards"
	html  func(*model.Page) template.HTML
	frag  func(*model.Page) *model.Fragment // the fragment html renders
	order []*model.Page
	at    map[*model.Page][2]int // shard, position
	read  map[*model.Page]*readOnce
}

func (ss *shardSet) entry(p *model.Page) model.Entry {
	r := ss.read[p]
	r.once.Do(func() { r.e = ss.frag(p).Entry(ss.html(p)) })
	return r.e
}

// readOnce is an entry's facets, read once however many lists show it.
type readOnce struct {
	once sync.Once
	e    model.Entry
}

func (ss *shardSet) use(pages []*model.Page) {
	if ss.at == nil {
		ss.at, ss.read = map[*model.Page][2]int{}, map[*model.Page]*readOnce{}
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
func (ss *shardSet) outputs() []Output {
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
	var outs []Output
	for k := 0; k+1 < len(bounds) && len(ss.order) > 0; k++ {
		part := ss.order[bounds[k]:bounds[k+1]]
		outs = append(outs, Output{
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
func (ss *shardSet) deps(part []*model.Page) func() Deps {
	return func() Deps {
		var d Deps
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
func (s *rendering) rowsOutput(pager *Pager, pages []*model.Page, shards *shardSet, c claim) Output {
	shards.use(pages)
	return Output{path: strings.TrimPrefix(pager.Rows, "/"), claim: c, deps: shards.rowsDeps(pages), render: func(w io.Writer) error {
		return writeRows(w, s.Rel(pager.Shards), pages, shards)
	}}
}

// rowsDeps declares the rows.json of a list of pages: their entries, as a
// shard of them (deps), and where each entry is in the shards, which moves
// when an entry is added or removed before it in any list of the site.
func (ss *shardSet) rowsDeps(pages []*model.Page) func() Deps {
	return func() Deps {
		d := ss.deps(pages)()
		var b strings.Builder
		for _, p := range pages {
			at := ss.at[p]
			b.WriteString(strconv.Itoa(at[0]) + "," + strconv.Itoa(at[1]) + ";")
		}
		d.shape = b.String()
		return d
	}
}

// rowsFile is rows.json.
type rowsFile struct {
	Total  int         `json:"total"`
	Shards string      `json:"shards"`
	Facets [][3]string `json:"facets"`
	Attrs  []string    `json:"attrs"`
	Rows   [][4]any    `json:"rows"`
}

func writeRows(w io.Writer, base string, pages []*model.Page, shards *shardSet) error {
	f := rowsFile{Total: len(pages), Shards: base, Facets: [][3]string{}, Attrs: []string{}, Rows: make([][4]any, 0, len(pages))}
	facetIx, attrIx := map[[2]string]int{}, map[string]int{}
	for _, p := range pages {
		e := shards.entry(p)
		fs, as := []int{}, []int{}
		for _, fv := range e.Facets {
			i, ok := facetIx[[2]string{fv[0], fv[1]}]
			if !ok {
				i = len(f.Facets)
				facetIx[[2]string{fv[0], fv[1]}] = i
				f.Facets = append(f.Facets, fv)
			}
			fs = append(fs, i)
		}
		for _, a := range e.Attrs {
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
