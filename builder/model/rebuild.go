package model

import (
	"reflect"
	"slices"
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
