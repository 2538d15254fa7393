package model

import (
	"reflect"
	"slices"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/views"
)

// Rebuilding: what serve carries over from the previous site model to the
// next one after a save, and which published pages differ between them.

// Reuse returns the Input.Reuse of a site made again after a save, s
// being the previous site: a page keeps its previous rendering when it was
// parsed from the same file and names none of the changed pages. The pages
// it renders again go into fresh.
func (s *Site) Reuse(changed, fresh map[string]bool) func(*Page) bool {
	return func(p *Page) bool {
		old := s.every[p.Page]
		keep := old != nil && !changed[p.Path]
		for _, t := range old.targetsOrNil() {
			keep = keep && !changed[t]
		}
		if !keep {
			fresh[p.Path] = true
			return false
		}
		p.Content, p.TOC, p.Text, p.Headings = old.Content, old.TOC, old.Text, old.Headings
		p.linked, p.targets, p.slides, p.talk = old.linked, old.targets, old.slides, old.talk
		return true
	}
}

func (p *Page) targetsOrNil() []string {
	if p == nil {
		return nil
	}
	return p.targets
}

// KeepFragments hands the list entries and script cards of pages that did
// not change on to the new build: a list of thousands of pages is then
// mostly copied.
func KeepFragments(old, cur *Site, changed map[string]bool) {
	for path, p := range cur.byPath {
		if o := old.byPath[path]; o != nil && !changed[path] && !NamesChanged(p, changed) && !NamesChanged(o, changed) {
			p.item.Keep(&o.item)
			p.card.Keep(&o.card)
			p.api.Keep(&o.api)
		}
	}
}

// ChangedPages lists the published pages that differ between two builds:
// added, removed, parsed again, rendered again, or with another record.
func ChangedPages(old, cur *Site, fresh map[string]bool) map[string]bool {
	changed := map[string]bool{}
	for path, p := range cur.byPath {
		o := old.byPath[path]
		if o == nil || o.Page != p.Page || fresh[path] && !sameBody(o, p) || !reflect.DeepEqual(old.records[path], cur.records[path]) {
			changed[path] = true
		}
	}
	for path := range old.byPath {
		if cur.byPath[path] == nil {
			changed[path] = true
		}
	}
	return changed
}

// sameBody reports whether a page rendered again came out as before,
// slides, speaker notes and the talk track's lines (with their file lines,
// which front matter can move) included.
func sameBody(a, b *Page) bool {
	return a.Content == b.Content && a.Text == b.Text && slices.Equal(a.slides, b.slides) &&
		slices.Equal(a.linked, b.linked) && slices.Equal(a.targets, b.targets) && reflect.DeepEqual(a.talk, b.talk)
}

// NamesChanged reports whether a case's list entry names a changed
// battlecard (partials/item.html shows their names).
func NamesChanged(p *Page, changed map[string]bool) bool {
	if p.Case == nil {
		return false
	}
	for _, r := range p.Refs() {
		if r.Key == "competitors" && changed[r.Target] {
			return true
		}
	}
	return false
}

// CarryViews gives cur, the site made again after a save, the site-wide
// views of old that the save cannot have changed, and works out the others
// from old's where it can, so that a save at 10,000 pages does not rank
// every page's similar pages again (views.RelatedAgain). Call it before
// anything reads cur's views.
func CarryViews(old, cur *Site) {
	oldPages, curPages := old.ContentPages(), cur.ContentPages()
	prev := old.relatedByPath()
	cur.related.once.Do(func() {
		cur.related.byPath = views.RelatedAgain(curPages, maxRelated, cur.linksTo, views.RelatedChange{
			Prev: prev, Changed: changedContent(oldPages, curPages), Again: backlinksChanged(old, cur)})
	})
	// The calendar is a function of the training modules alone: the same
	// parsed modules make the same calendar.
	if slices.Equal(trainingModules(oldPages), trainingModules(curPages)) {
		cal := old.Calendar()
		cur.memo.calendar(func() views.Training { return cal })
	}
}

// trainingModules are the pages views.Calendar reads, in order.
func trainingModules(pages []*content.Page) []*content.Page {
	var out []*content.Page
	for _, p := range pages {
		if p.Training != nil && !p.IsSection {
			out = append(out, p)
		}
	}
	return out
}

// relatedByPath is the site's ranking of similar pages, made on first use.
func (s *Site) relatedByPath() map[string][]views.Match {
	s.related.once.Do(func() { s.related.byPath = views.Related(s.ContentPages(), maxRelated, s.linksTo) })
	return s.related.byPath
}

// changedContent maps the content path of each page added, removed or
// parsed again between two lists of published pages to its two versions.
func changedContent(old, cur []*content.Page) map[string][2]*content.Page {
	before := make(map[string]*content.Page, len(old))
	for _, p := range old {
		before[p.Path] = p
	}
	changed := map[string][2]*content.Page{}
	for _, p := range cur {
		if o := before[p.Path]; o != p {
			changed[p.Path] = [2]*content.Page{o, p}
		}
		delete(before, p.Path)
	}
	for path, o := range before {
		changed[path] = [2]*content.Page{o, nil}
	}
	return changed
}

// backlinksChanged lists the pages of cur whose backlinks name other
// pages than in old.
func backlinksChanged(old, cur *Site) map[string]bool {
	again := map[string]bool{}
	for path, p := range cur.byPath {
		o := old.byPath[path]
		if o == nil || !slices.EqualFunc(o.backlinks, p.backlinks, func(a, b *Page) bool { return a.Path == b.Path }) {
			again[path] = true
		}
	}
	return again
}
