package model

import (
	"html/template"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/gitinfo"
	"github.com/playbook-sales/playbook/builder/markdown"
	"github.com/playbook-sales/playbook/builder/views"
)

// Page is a published page: its content, rendered body and place in the site.
type Page struct {
	*content.Page
	Content  template.HTML      // the rendered body
	TOC      []markdown.Heading // level 2–3 headings
	Text     string             // plain text of the body, for search
	Headings []string           // every heading's text, for search
	// LastCommit is the last git commit that changed the page's file; nil
	// outside git, with --no-git, for uncommitted files and beyond a
	// shallow clone's history (builder/gitinfo).
	LastCommit *gitinfo.Commit

	site      *Site
	linked    []string // content paths the body links to
	targets   []string // content paths the body names, published or not (renderBody)
	backlinks []*Page
	slides    []Slide  // a training module's slides, or its body as one part (training.go)
	item      Fragment // the page's rendered list entry, shared by every list
	card      Fragment // a script's card in the script library, talk track included
	api       Fragment // its entry in api/pages.json, which shows the talk track too
	talk      talk     // what the body says to customers and keeps in (talk.go)
}

// RelURL is the page's URL with the site's base path, e.g. "/kb/cases/acme/".
func (p *Page) RelURL() string { return p.site.Rel(p.URL) }

// Permalink is the page's absolute URL when baseURL is set, else RelURL.
func (p *Page) Permalink() string { return p.site.Abs(p.URL) }

// RefPages returns the published pages a front matter list names, in order:
// "competitors", "prerequisites", "materials" or "related".
func (p *Page) RefPages(key string) []*Page {
	var out []*Page
	for _, r := range p.Refs() {
		if r.Key != key {
			continue
		}
		if t := p.site.byPath[r.Target]; t != nil {
			out = append(out, t)
		}
	}
	return out
}

// Backlinks are the published pages that refer or link to this one.
func (p *Page) Backlinks() []*Page { return p.backlinks }

// Stale reports whether the review is overdue at the build clock.
func (p *Page) Stale() bool { return p.Page.Stale(p.site.Now) }

// Hidden reports whether the page would be hidden from a default build:
// a draft, or not yet published, or expired. Themes mark such pages.
func (p *Page) Hidden() bool { return !p.Visible(p.site.Now, false, false, false) }

// Record is a battlecard's win/loss record from the cases naming it; nil
// for pages that are not battlecards.
func (p *Page) Record() *views.CompetitorStat {
	if st, ok := p.site.records[p.Path]; ok {
		return &st
	}
	return nil
}

// Params are the page's front matter keys outside the contract.
func (p *Page) Params() map[string]any { return p.Extra }

// Section is a first-level content folder and its list page.
type Section struct {
	Name  string // folder name, e.g. "cases"
	Type  string // type of its pages
	URL   string
	Index *Page // its _index.md, if any
	Pages []*Page
	label string // the theme's name for the section
}

// Title is the _index.md title, else the theme's name for the section
// (i18n key section.NAME), else the folder name.
func (s *Section) Title() string {
	if s.Index != nil {
		return s.Index.Title
	}
	if s.label != "" {
		return s.label
	}
	return s.Name
}

// Taxonomy is one classification with a page per term.
type Taxonomy struct {
	Name  string // tags, stages, roles, industries, regions
	URL   string
	Terms []*Term
}

// Term is one value of a taxonomy and the pages that carry it.
type Term struct {
	Name  string // display name
	Key   string // URL segment
	URL   string
	Pages []*Page
}

// Site is everything the templates see.
type Site struct {
	Config     *config.Config
	Now        time.Time
	BasePath   string // "/" or "/kb/": prefixed to every link
	BaseURL    string // scheme://host/path/ or "" when not configured
	Pages      []*Page
	Sections   []*Section
	Taxonomies []*Taxonomy
	Home       *Page // content/_index.md, if any
	Version    string
	GitNote    string // why pages lack git dates where the site is in git; said once by the command

	byPath   map[string]*Page
	records  map[string]views.CompetitorStat // battlecard path → record
	related  relatedCache                    // related pages by shared fields, computed on first use
	content  *content.Site                   // every parsed page, hidden ones too
	misses   MissReport                      // the search miss log (misses.go; read by builder/misses.go)
	synonyms [][]string                      // built-in and synonyms.yaml groups, read once by load
	every    map[*content.Page]*Page         // every parsed page as rendered, hidden ones too (serve reuses them)
	memo     siteMemo                        // site-wide views read by many outputs, computed once (memo.go)
}

// Rel prefixes a site-relative URL with the base path.
func (s *Site) Rel(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return strings.TrimSuffix(s.BasePath, "/") + "/" + strings.TrimPrefix(u, "/")
}

// Abs returns an absolute URL when baseURL is set, else the Rel URL.
func (s *Site) Abs(u string) string {
	if s.BaseURL == "" {
		return s.Rel(u)
	}
	return strings.TrimSuffix(s.BaseURL, "/") + "/" + escapePath(strings.TrimPrefix(u, "/"))
}

// Ref returns the published page at a content path, or nil.
func (s *Site) Ref(path string) *Page { return s.byPath[content.NormalizeRef(path)] }

// Section returns the section of that folder name, or nil.
func (s *Site) Section(name string) *Section {
	for _, sec := range s.Sections {
		if sec.Name == name {
			return sec
		}
	}
	return nil
}

// Taxonomy returns the taxonomy of that name, or nil.
func (s *Site) Taxonomy(name string) *Taxonomy {
	for _, t := range s.Taxonomies {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// PagesOfType returns the published pages of one type.
func (s *Site) PagesOfType(t string) []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if p.Type == t {
			out = append(out, p)
		}
	}
	return out
}

// Recent returns the n most recently changed pages.
func (s *Site) Recent(n int) []*Page {
	out := append([]*Page(nil), s.Pages...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Lastmod.After(out[j].Lastmod) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// escapePath percent-encodes each segment of a URL path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// sortPages orders pages by weight (unweighted last), newest date, then title.
func sortPages(ps []*Page) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if (a.Weight == 0) != (b.Weight == 0) {
			return a.Weight != 0
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.Path < b.Path
	})
}

// Item is the page's entry in lists (the theme's partials/item.html),
// rendered once and shared by every list that shows it.
func (p *Page) Item() *Fragment { return &p.item }

// Card is a script's card in the script library, talk track included,
// rendered once per body.
func (p *Page) Card() *Fragment { return &p.card }

// APIEntry is the page's entry in api/pages.json, encoded once per body:
// the fragment holds JSON, not HTML.
func (p *Page) APIEntry() *Fragment { return &p.api }

// SetLabel gives the section the theme's name for it (i18n key
// section.NAME), which Title falls back on: the theme is known only when
// the site is rendered.
func (s *Section) SetLabel(label string) { s.label = label }
