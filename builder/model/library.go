package model

import (
	"sort"
	"sync"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/views"
)

// maxRelated caps the "related content" list of a page.
const maxRelated = 5

// relatedCache holds the related pages of a site, computed on first use
// from its published pages (views.Related).
type relatedCache struct {
	once   sync.Once
	byPath map[string][]views.Match
}

// RelatedPage is a page related to another by the fields they share.
type RelatedPage struct {
	*Page
	Shared []string // competitor, track, customer, industry, stage, tag, region, role
}

// Similar lists the pages sharing structured fields with this one (same
// competitor, track, customer, industry, stage …), best first, at most 5.
// Pages the page lists already are left out: those its front matter names
// as related and those linking to it (a battlecard's cases among them).
func (p *Page) Similar() []RelatedPage {
	s := p.site
	var out []RelatedPage
	for _, m := range s.relatedByPath()[p.Path] {
		if q := s.byPath[m.Path]; q != nil {
			out = append(out, RelatedPage{Page: q, Shared: m.Shared})
		}
	}
	return out
}

// DealBand is a case's deal-size band for the library's filter
// (views.DealBands), or "".
func (p *Page) DealBand() string {
	if p.Case == nil {
		return ""
	}
	return views.DealBand(p.Case.DealSize)
}

// CaseTotals sums up the cases of a list: outcomes, won value, median cycle.
func (s *Site) CaseTotals(pages []*Page) views.CaseTotals {
	return views.Totals(contentOf(pages))
}

// ScriptStage is one stage of the script library.
type ScriptStage struct {
	Stage    string // key; "" for scripts without a stage
	Name     string // display name
	Count    int
	Channels []ScriptChannel
}

// ScriptChannel is the scripts of one stage and channel.
type ScriptChannel struct {
	Channel string
	Pages   []*Page
}

// ScriptLibrary groups a list's scripts by stage in the configured process
// order, then channel (views.ScriptLibrary).
func (s *Site) ScriptLibrary(pages []*Page) []ScriptStage {
	var out []ScriptStage
	for _, g := range views.ScriptLibrary(contentOf(pages), s.Config.Stages) {
		st := ScriptStage{Stage: g.Stage, Count: g.Count}
		if g.Stage != "" {
			st.Name = s.Config.StageName(g.Stage)
		}
		for _, c := range g.Channels {
			ch := ScriptChannel{Channel: c.Channel}
			for _, cp := range c.Pages {
				ch.Pages = append(ch.Pages, s.byPath[cp.Path])
			}
			st.Channels = append(st.Channels, ch)
		}
		out = append(out, st)
	}
	return out
}

func contentOf(pages []*Page) []*content.Page {
	out := make([]*content.Page, len(pages))
	for i, p := range pages {
		out[i] = p.Page
	}
	return out
}

// BattlecardCases are the published cases naming this battlecard in their
// "competitors" list: won, then lost, then open; within each the latest
// closed first, then by title. Empty for other pages.
func (p *Page) BattlecardCases() []*Page {
	r := p.Record()
	if r == nil {
		return nil
	}
	out := make([]*Page, 0, len(r.Cases))
	for _, c := range r.Cases {
		if q := p.site.byPath[c]; q != nil && q.Case != nil {
			out = append(out, q)
		}
	}
	rank := map[string]int{"won": 0, "lost": 1}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		ra, oka := rank[a.Case.Outcome]
		rb, okb := rank[b.Case.Outcome]
		if !oka {
			ra = 2
		}
		if !okb {
			rb = 2
		}
		if ra != rb {
			return ra < rb
		}
		if !a.Case.Closed.Equal(b.Case.Closed) {
			return a.Case.Closed.After(b.Case.Closed)
		}
		return a.Title < b.Title
	})
	return out
}

// Mentions are the pages that link to or name this battlecard without
// being one of its cases: the scripts, training and retros that refer to it.
func (p *Page) Mentions() []*Page {
	cases := map[*Page]bool{}
	for _, c := range p.BattlecardCases() {
		cases[c] = true
	}
	var out []*Page
	for _, b := range p.backlinks {
		if !cases[b] {
			out = append(out, b)
		}
	}
	return out
}

// linksTo reports whether other refers or links to page: such pages are
// listed on the page already.
func (s *Site) linksTo(page, other string) bool {
	p := s.byPath[page]
	if p == nil {
		return false
	}
	for _, b := range p.backlinks {
		if b.Path == other {
			return true
		}
	}
	return false
}
