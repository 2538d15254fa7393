package render

// What each output shows of the pages, declared beside it in outputs():
// serve's incremental rebuild (builder/live.go, livepages.go) reads the
// declaration to re-render only the outputs a save can have changed.
// Build never reads it. An output declared with a nil deps func shows
// everything as far as serve knows and is rendered again after every save:
// a new output is correct without a declaration, only slower.
//
// Every HTML output also shows the site's frame — the sections and search
// suggestions in the header, the taxonomies in the footer — which no output
// declares: when the frame changes, serve renders every output (siteFrame).

import (
	"slices"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
)

// Deps is what one output shows of the pages. Pages are named by content
// path ("cases/acme"); page sets by the keys of the set functions below.
type Deps struct {
	bodies []string // pages whose rendered body it shows
	cards  []string // pages whose body it shows only as their script card, which a body edit splices
	pages  []string // pages whose fields it shows: title, URL, summary, front matter
	sets   []string // page sets it lists: a page joining, leaving or changing in one re-renders it
	// shape is what it shows of a whole list beyond the pages it names (a
	// page of a paged list: the list's size and totals); a change re-renders it.
	shape string
}

// Page set keys. A page belongs to setAll, its section's, its type's, and
// for each taxonomy value it carries, the term's and the taxonomy's.
const setAll = "all"

func sectionSet(name string) string         { return "section:" + name }
func typeSet(t string) string               { return "type:" + t }
func taxonomySet(tax string) string         { return "taxonomy:" + tax }
func termSet(tax, key string) string        { return "term:" + tax + "/" + key }
func typeSets(types ...string) (s []string) { return appendTypeSets(nil, types...) }

func appendTypeSets(s []string, types ...string) []string {
	for _, t := range types {
		s = append(s, typeSet(t))
	}
	return s
}

// none is the declaration of an output that shows no page (the 404 page
// shows only the frame; stylesheets nothing).
func none() Deps { return Deps{} }

// showsAll declares an output that lists every page.
func showsAll() Deps { return Deps{sets: []string{setAll}} }

// pagesJSONDeps: api/pages.json lists every page and, from each script's
// body, its lines to say and internal sections (builder/model/talk.go).
func (s *rendering) pagesJSONDeps() Deps {
	d := showsAll()
	for _, p := range s.Published() {
		if p.Script != nil && !p.IsSection {
			d.bodies = append(d.bodies, p.Path)
		}
	}
	return d
}

// declared gives the outputs of outs that declare nothing the declaration
// d: the pages of a paged list or board all show what the whole list shows.
func declared(d func() Deps, outs []Output) []Output {
	for i := range outs {
		if outs[i].deps == nil {
			outs[i].deps = d
		}
	}
	return outs
}

// showsTypes declares an output that lists the pages of some types.
func showsTypes(types ...string) func() Deps {
	return func() Deps { return Deps{sets: typeSets(types...)} }
}

// PageSets are the sets p belongs to.
func PageSets(p *model.Page) []string {
	sets := []string{setAll, sectionSet(p.Section), typeSet(p.Type)}
	for tax := range model.TaxonomyNames() {
		for _, v := range model.PageTerms(p, tax) {
			sets = append(sets, termSet(tax, termKeyOf(tax, v)), taxonomySet(tax))
		}
	}
	return sets
}

// termKeyOf is the key of a taxonomy value: configured stages and roles
// are keys already; free-text terms are slugged (termKey).
func termKeyOf(tax, v string) string {
	if tax == "stages" || tax == "roles" {
		return v
	}
	return model.TermKey(v)
}

// singleDeps declares a page's own output: its body and fields, and the
// titles of the pages it lists — those it refers to, those referring to it
// (its backlinks, a battlecard's cases) and its similar pages.
func singleDeps(p *model.Page) func() Deps {
	return func() Deps {
		d := Deps{bodies: []string{p.Path}, pages: []string{p.Path}}
		for _, r := range p.Refs() {
			d.pages = append(d.pages, r.Target)
		}
		for _, b := range p.Backlinks() {
			d.pages = append(d.pages, b.Path)
		}
		for _, r := range p.Similar() {
			d.pages = append(d.pages, r.Path)
		}
		return d
	}
}

// listDeps declares a list: the pages of its sets, and its own _index.md,
// body and fields, when it has one.
func listDeps(index *model.Page, sets ...string) func() Deps {
	return func() Deps {
		d := Deps{sets: sets}
		if index != nil {
			d.bodies, d.pages = []string{index.Path}, []string{index.Path}
		}
		return d
	}
}

// sectionDeps declares a section's list, or a nested _index.md's list of
// the pages below it: the section's pages and its type's (the training
// calendar shows every module), its _index.md, and in a script library
// each listed script's body, shown as its card.
func sectionDeps(sec *model.Section, index *model.Page, listed []*model.Page) func() Deps {
	return func() Deps {
		d := listDeps(index, sectionSet(sec.Name), typeSet(sec.Type))()
		if isScriptSection(sec) {
			for _, p := range listed {
				d.cards = append(d.cards, p.Path)
			}
		}
		return d
	}
}

// listPageDeps declares one page of a paged list: the list's _index.md,
// the entries on the page — their fields, the battlecards a case's entry
// names and, as cards shows them, the scripts' bodies — and the whole
// list's shape. A page joining or leaving the list, or moving in it,
// changes the pages' entries or the shape, and re-renders only the pages
// whose entries or counts change.
func listPageDeps(index *model.Page, entries []*model.Page, cards bool, shape string) func() Deps {
	return func() Deps {
		d := listDeps(index)()
		d.shape = shape
		for _, p := range entries {
			d.pages = append(d.pages, p.Path)
			if p.Case != nil {
				for _, r := range p.Refs() {
					if r.Key == "competitors" {
						d.pages = append(d.pages, r.Target)
					}
				}
			}
			if cards {
				d.cards = append(d.cards, p.Path)
			}
		}
		return d
	}
}

// moduleDeps declares a training module's slides, handout or calendar
// entry: its body and fields, and the titles of the pages it refers to.
func moduleDeps(p *model.Page) func() Deps {
	return func() Deps {
		d := Deps{bodies: []string{p.Path}, pages: []string{p.Path}}
		for _, r := range p.Refs() {
			d.pages = append(d.pages, r.Target)
		}
		return d
	}
}

// Bodies are the pages whose rendered body the output shows.
func (d Deps) Bodies() []string { return d.bodies }

// Cards are the pages whose body the output shows only as their script
// card, which serve splices after a body edit.
func (d Deps) Cards() []string { return d.cards }

// Equal reports whether two declarations name the same pages and sets.
func (d Deps) Equal(e Deps) bool {
	return slices.Equal(d.bodies, e.bodies) && slices.Equal(d.cards, e.cards) &&
		slices.Equal(d.pages, e.pages) && slices.Equal(d.sets, e.sets) && d.shape == e.shape
}

// Hit reports whether the output shows a changed page or set.
func (d Deps) Hit(changed, sets map[string]bool) bool {
	for _, list := range [][]string{d.bodies, d.cards, d.pages} {
		for _, p := range list {
			if changed[p] {
				return true
			}
		}
	}
	for _, s := range d.sets {
		if sets[s] {
			return true
		}
	}
	return false
}

// SiteFrame is what every HTML output shows of the site beside its own
// content: the header's sections and search suggestions, and the footer's
// taxonomies.
func SiteFrame(s *model.Site) string {
	var b strings.Builder
	for _, p := range s.HeaderObjections() {
		b.WriteString(p.RelURL() + "\x00" + p.Script.Objection + "\n")
	}
	for _, sec := range s.Sections {
		b.WriteString(sec.Name + "\x00" + sec.URL + "\x00" + sec.Title() + "\x00" + sec.Type + "\n")
	}
	for _, t := range s.Taxonomies {
		if len(t.Terms) > 0 {
			b.WriteString(t.Name + "\n")
		}
	}
	return b.String()
}

// isScriptSection reports whether sec is a script library.
func isScriptSection(sec *model.Section) bool { return sec.Type == content.TypeScript }
