package model

import (
	"iter"
	"maps"
	"sort"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/views"
)

// PagesByPath lists the published pages by content path, for stable files.
func (s *Site) PagesByPath() []*Page {
	out := append([]*Page(nil), s.Pages...)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// ContentPages returns the published pages' content, for the views.
func (s *Site) ContentPages() []*content.Page {
	return s.memo.contentPages(func() []*content.Page {
		out := make([]*content.Page, 0, len(s.Pages))
		for _, p := range s.PagesByPath() {
			out = append(out, p.Page)
		}
		return out
	})
}

// Calendar is the training calendar of the published pages (views.Calendar),
// shared: callers must not change it.
func (s *Site) Calendar() views.Training {
	return s.memo.calendar(func() views.Training { return views.Calendar(s.ContentPages()) })
}

// inbound counts, per content path, the published pages naming or linking to it.
func (s *Site) inbound() map[string]int {
	m := map[string]int{}
	for _, p := range s.Pages {
		m[p.Path] = len(p.backlinks)
	}
	return m
}

// PageAt returns the published page at a content path ("cases/acme"), or nil.
func (s *Site) PageAt(path string) *Page { return s.byPath[path] }

// Published are the published pages, section indexes included, by content
// path, in no order.
func (s *Site) Published() iter.Seq2[string, *Page] { return maps.All(s.byPath) }

// Parsed are every page the site was made of, hidden ones too, as parsed.
func (s *Site) Parsed() []*content.Page { return s.content.Pages }

// Synonyms are the search synonym groups, built-in and from synonyms.yaml.
func (s *Site) Synonyms() [][]string { return s.synonyms }

// SetMisses replaces the search miss report, which serve reads again as
// readers search; the only change made to a site once it is made.
func (s *Site) SetMisses(r MissReport) { s.misses = r }
