package render

// Paged lists: a list of pages (a section, a term, a nested _index.md, the
// script library) that would outgrow a phone is split into pages of at most
// listBudget bytes of entries, /URL/, /URL/page/2/, …, each a whole HTML page
// that works without JavaScript and prints as shown. The filters and totals
// still cover the whole list: a paged list also writes /URL/rows.json, the
// facets and totals data of every entry, and the entries' HTML lives in
// shared shards (rows.go) that playbook.js loads on demand for a filtered
// view. A list that fits one page is written as before, with no rows.json.

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/theme"
)

// PageWeightLimit is the most any HTML page of a built site may weigh,
// uncompressed, whatever the site's size (issue 12): a rep's phone must open
// it. Lists are split to stay under it; tests and the harness in bench/ check it.
const PageWeightLimit = 300 << 10

const (
	// listBudget is the entries' HTML per list page: the page around them
	// (head, header, filter bar, pager, footer) stays far below the rest of
	// PageWeightLimit.
	listBudget = 160 << 10
	// viewSize is the entries per page of a filtered view (playbook.js): a
	// few shards' worth, loaded at once.
	viewSize   = 30
	matrixCard = "partials/matrixcard.html"
)

// Pager is a list page's place in its list. Templates range over Data.Pages
// (this page's entries) and read the list's size and totals from here.
type Pager struct {
	Number int           // this page, from 1
	Count  int           // pages of the list
	Total  int           // entries of the whole list
	All    []*model.Page // the whole list, for totals
	URL    string        // the list's first page, site-relative
	Rows   string        // site-relative URL of rows.json; "" when the list is one page
	Shards string        // site-relative folder of the entry shards rows.json points into
}

// PageSize is the entries per page of a filtered view of the list.
func (p *Pager) PageSize() int { return viewSize }

// PageURL is the site-relative URL of page n of the list.
func (p *Pager) PageURL(n int) string {
	if n <= 1 {
		return p.URL
	}
	return p.URL + "page/" + strconv.Itoa(n) + "/"
}

// Prev and Next are the neighbouring pages' URLs, "" at the ends.
func (p *Pager) Prev() string {
	if p.Number <= 1 {
		return ""
	}
	return p.PageURL(p.Number - 1)
}

func (p *Pager) Next() string {
	if p.Number >= p.Count {
		return ""
	}
	return p.PageURL(p.Number + 1)
}

// PagerLink is one numbered link of the pager; Gap marks "…" before it.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// Links are the first, the last and the pages near this one, so that the
// pager stays one line at any list size.
func (p *Pager) Links() []PagerLink {
	var out []PagerLink
	last := 0
	for n := 1; n <= p.Count; n++ {
		if n != 1 && n != p.Count && (n < p.Number-2 || n > p.Number+2) {
			continue
		}
		out = append(out, PagerLink{Number: n, URL: p.PageURL(n), Current: n == p.Number, Gap: last != 0 && n != last+1})
		last = n
	}
	return out
}

// split cuts n entries, entry i weighing size(i) bytes, into pages of at
// most listBudget bytes and model.ListMaxEntries entries (at least one entry a
// page). It returns each page's first entry, and n.
func split(n int, size func(i int) int) []int {
	bounds := []int{0}
	weight, count := 0, 0
	for i := range n {
		w := size(i)
		if count > 0 && (weight+w > listBudget || count == model.ListMaxEntries) {
			bounds = append(bounds, i)
			weight, count = 0, 0
		}
		weight += w
		count++
	}
	return append(bounds, n)
}

// lister makes the outputs of lists, paged or not, and of the entry shards
// the paged ones point into.
type lister struct {
	s            *rendering
	th           *theme.Theme
	items, cards shardSet
}

func (s *rendering) newLister(th *theme.Theme) *lister {
	s.prerenderEntries(th)
	l := &lister{s: s, th: th}
	l.items = shardSet{kind: "items", html: func(p *model.Page) template.HTML { return s.itemHTML(th, p) },
		frag: (*model.Page).Item}
	l.cards = shardSet{kind: "cards", html: func(p *model.Page) template.HTML { h, _ := ScriptCard(th, p); return h },
		frag: (*model.Page).Card}
	return l
}

// shardOutputs are the shard files of the lists made so far; call it last.
func (l *lister) shardOutputs() []Output {
	return append(l.items.outputs(), l.cards.outputs()...)
}

// list renders the list d (its Pages the whole list) at url with layout:
// one output when it fits a page, else one per page and the list's
// rows.json.
func (l *lister) list(url, layout string, d *Data, c claim) []Output {
	s, th := l.s, l.th
	d.Site, d.URL = s.Site, url
	all := d.Pages
	if d.Section != nil && layout == theme.KindSection && !d.Listing {
		switch d.Section.Type {
		case "script":
			return l.library(url, d, c)
		case "training": // the calendar, and the list of its sessions when it shows some
			return l.calendar(url, d, c)
		}
	}
	size := func(i int) int { return len(s.itemHTML(th, all[i])) }
	if d.Section != nil && d.Section.Name == "competitors" && layout == theme.KindSection {
		size = func(i int) int { // the matrix shows cards, not items
			if h, err := th.Partial(matrixCard, all[i]); err == nil {
				return len(h)
			}
			return len(s.itemHTML(th, all[i])) // a theme without the card's partial
		}
	}
	bounds := split(len(all), size)
	pager := &Pager{Count: len(bounds) - 1, Total: len(all), All: all, URL: url}
	if pager.Count < 1 {
		pager.Count = 1
	}
	var outs []Output
	if pager.Count > 1 {
		pager.Rows, pager.Shards = url+"rows.json", shardsURL+"items/"
		outs = append(outs, s.rowsOutput(pager, all, &l.items, c))
	}
	shape := l.listShape(d, layout, pager)
	for n := 1; n <= pager.Count; n++ {
		pd := *d
		pp := *pager
		pp.Number = n
		pd.Pager, pd.URL = &pp, pager.PageURL(n)
		if pager.Count > 1 {
			pd.Pages = all[bounds[n-1]:bounds[n]]
		}
		out := pageOutput(th, layout, &pd, c)
		if pager.Count > 1 && shape != "" {
			out.deps = listPageDeps(d.Page, pd.Pages, false, shape)
		}
		outs = append(outs, out)
	}
	return outs
}

// listShape is what every page of the paged list d shows of the whole list
// (listPageDeps): its title, size and, for the case library, its totals.
// It is "" for the competitor matrix, whose pages declare the whole list.
func (l *lister) listShape(d *Data, layout string, pager *Pager) string {
	shape := fmt.Sprintf("%s\x00%d\x00%d", d.Title, pager.Count, pager.Total)
	if d.Section != nil && layout == theme.KindSection {
		switch d.Section.Type {
		case content.TypeCompetitor:
			return ""
		case content.TypeCase:
			shape += fmt.Sprintf("\x00%+v", l.s.CaseTotals(pager.All))
		}
	}
	return shape
}

// pageOutput renders d with layout at d.URL.
func pageOutput(th *theme.Theme, layout string, d *Data, c claim) Output {
	return Output{path: strings.TrimPrefix(d.URL, "/") + "index.html", claim: c, render: func(w io.Writer) error {
		return th.Execute(w, layout, d)
	}}
}

// libraryEntry is one card of the script library: a script under one of
// its stages and its channel.
type libraryEntry struct {
	stage, channel int // indexes into the library and the stage's channels
	page           *model.Page
}

// libraryOutputs pages the script library of d: its cards in library order
// (stage, then channel), each page regrouped under the stage and channel
// headings of its cards, with the whole library's counts.
func (l *lister) library(url string, d *Data, c claim) []Output {
	s, th := l.s, l.th
	lib, entries := s.libraryEntries(d.Pages)
	bounds := split(len(entries), func(i int) int {
		h, _ := ScriptCard(th, entries[i].page)
		return len(h)
	})
	pager := &Pager{Count: max(1, len(bounds)-1), Total: len(entries), All: d.Pages, URL: url}
	var outs []Output
	if pager.Count > 1 {
		pager.Rows, pager.Shards = url+"rows.json", shardsURL+"cards/"
		pages := make([]*model.Page, len(entries))
		for i, e := range entries {
			pages[i] = e.page
		}
		outs = append(outs, s.rowsOutput(pager, pages, &l.cards, c))
	}
	for n := 1; n <= pager.Count; n++ {
		pd := *d
		pp := *pager
		pp.Number = n
		pd.Pager, pd.URL = &pp, pager.PageURL(n)
		lo, hi := bounds[n-1], bounds[n]
		var dep func() Deps
		if pager.Count > 1 {
			dep = listPageDeps(d.Page, entryPages(entries[lo:hi]), true, libraryShape(d, pager, lib))
		}
		// The library is read when the page renders, as the template once
		// did: serve renders it again after a script's edit.
		outs = append(outs, Output{path: strings.TrimPrefix(pd.URL, "/") + "index.html", claim: c, deps: dep, render: func(w io.Writer) error {
			ld := pd
			lib, entries := s.libraryEntries(ld.Pages)
			ld.Library = lib
			if pager.Count > 1 {
				ld.Library = regroup(lib, entries[min(lo, len(entries)):min(hi, len(entries))])
			}
			return th.Execute(w, theme.KindSection, &ld)
		}})
	}
	return outs
}

// libraryShape is what every page of a paged library shows of the whole
// (listPageDeps): its size and each stage's count.
func libraryShape(d *Data, pager *Pager, lib []model.ScriptStage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\x00%d\x00%d", d.Title, pager.Count, pager.Total)
	for _, st := range lib {
		fmt.Fprintf(&b, "\x00%s\x00%s\x00%d", st.Stage, st.Name, st.Count)
	}
	return b.String()
}

func entryPages(entries []libraryEntry) []*model.Page {
	out := make([]*model.Page, len(entries))
	for i, e := range entries {
		out[i] = e.page
	}
	return out
}

// regroup is the library of the entries of one page, under their stages and
// channels; a stage keeps the count of the whole library.
func regroup(lib []model.ScriptStage, entries []libraryEntry) []model.ScriptStage {
	var out []model.ScriptStage
	for _, e := range entries {
		st := lib[e.stage]
		if len(out) == 0 || out[len(out)-1].Stage != st.Stage {
			out = append(out, model.ScriptStage{Stage: st.Stage, Name: st.Name, Count: st.Count})
		}
		cur := &out[len(out)-1]
		ch := st.Channels[e.channel].Channel
		if len(cur.Channels) == 0 || cur.Channels[len(cur.Channels)-1].Channel != ch {
			cur.Channels = append(cur.Channels, model.ScriptChannel{Channel: ch})
		}
		last := &cur.Channels[len(cur.Channels)-1]
		last.Pages = append(last.Pages, e.page)
	}
	return out
}

// sessionsPath is the list of every training module, under the section.
const sessionsPath = "sessions/"

// calendar renders the training section d at url: its calendar, and when
// the calendar shows only some sessions, every module as a list at
// url+sessionsPath.
func (l *lister) calendar(url string, d *Data, c claim) []Output {
	d.Pager = &Pager{Number: 1, Count: 1, Total: len(d.Pages), All: d.Pages, URL: url}
	outs := []Output{pageOutput(l.th, theme.KindSection, d, c)}
	if l.s.TrainingCalendar().Window().Cut {
		ld := *d
		ld.Listing, ld.Pager, ld.Title = true, nil, l.th.T("calendar.all_sessions")
		outs = append(outs, l.list(url+sessionsPath, theme.KindSection, &ld, c)...)
	}
	return outs
}

// trackStepWeight is a learning track step's HTML besides its title and
// those of its outside prerequisites.
const trackStepWeight = 600

// trackOutputs renders track t on pages of steps; every page heads with the
// whole track's size and lists, for training.js's progress, the modules of
// every step.
func (s *rendering) trackOutputs(th *theme.Theme, t *model.Track) []Output {
	bounds := split(len(t.Steps), func(i int) int {
		w := trackStepWeight + len(t.Steps[i].Page.Title)
		for _, o := range t.Steps[i].Outside {
			w += 200 + len(o.Title)
		}
		return w
	})
	pager := &Pager{Count: max(1, len(bounds)-1), Total: len(t.Steps), URL: t.URL}
	var outs []Output
	for n := 1; n <= pager.Count; n++ {
		pp := *pager
		pp.Number = n
		d := &trainingData{Data: &Data{Site: s.Site, Kind: kindTrack, Title: t.Name, URL: pager.PageURL(n), Pager: &pp}, Track: t,
			Steps: t.Steps, First: 1}
		if len(bounds) > 2 {
			d.Steps, d.First = t.Steps[bounds[n-1]:bounds[n]], bounds[n-1]+1
		}
		outs = append(outs, Output{path: strings.TrimPrefix(d.URL, "/") + "index.html", claim: trackClaim(t), render: func(w io.Writer) error {
			return th.Execute(w, kindTrack, d)
		}})
	}
	return outs
}

// libraryEntries is the script library of pages and its cards in order.
func (s *rendering) libraryEntries(pages []*model.Page) ([]model.ScriptStage, []libraryEntry) {
	lib := s.ScriptLibrary(pages)
	var entries []libraryEntry
	for si, st := range lib {
		for ci, ch := range st.Channels {
			for _, p := range ch.Pages {
				entries = append(entries, libraryEntry{si, ci, p})
			}
		}
	}
	return lib, entries
}
