// Package content turns content files into typed pages and checks them.
//
// A content file is markdown with front matter (YAML between ---, TOML
// between +++, or a JSON object). Parse decodes one file into a Page and
// reports every bad field with its line; Check validates what only the whole
// site can tell: references, URLs claimed twice and prerequisite cycles.
// The package imports nothing else of Playbook, so any tool can use it.
package content

import (
	"time"
)

// Page types of the content contract.
const (
	TypeScript     = "script"
	TypeCase       = "case"
	TypeCompetitor = "competitor"
	TypeTraining   = "training"
	TypeRetro      = "retro"
	TypePage       = "page"
)

// Types lists the page types in display order.
var Types = []string{TypeScript, TypeCase, TypeCompetitor, TypeTraining, TypeRetro, TypePage}

// sectionTypes maps a first folder to the type its pages get.
var sectionTypes = map[string]string{
	"scripts":     TypeScript,
	"cases":       TypeCase,
	"competitors": TypeCompetitor,
	"training":    TypeTraining,
	"retros":      TypeRetro,
}

// TypeSection returns the folder that holds pages of type t ("" for page).
func TypeSection(t string) string {
	for s, tt := range sectionTypes {
		if tt == t {
			return s
		}
	}
	return ""
}

// Page is one content file, decoded and typed.
type Page struct {
	Path      string // content path without .md, e.g. "cases/donglin-bank"; names the page in refs and the API
	File      string // path shown in errors, e.g. "content/cases/donglin-bank.md"
	Type      string
	Section   string // first folder, "" at the root
	Slug      string
	URL       string // site-relative clean URL, e.g. "/cases/donglin-bank/"
	IsSection bool   // an _index.md: the text of a list page, not a page of its own

	Title       string
	Summary     string // from front matter; the builder fills it from the body when empty
	Aliases     []string
	Weight      int
	Date        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Draft       bool
	Tags        []string
	Industries  []string
	Regions     []string
	Stages      []string
	Roles       []string
	Owner       string
	Reviewed    time.Time
	ReviewEvery Duration
	Related     []string // refs to any page; every type may carry them

	Script     *Script
	Case       *Case
	Competitor *Competitor
	Training   *Training
	Retro      *Retro

	// Extra holds front matter keys outside the contract, so themes can use them.
	Extra map[string]any

	Body           []byte // markdown after the front matter
	BodyLine       int    // line of the file on which Body starts (1-based)
	HasFrontMatter bool
	Format         string // yaml, toml, json or "" when there is none

	lines      map[string]int // front matter key → line in File, for site-level errors
	aliasLines []int          // the line of each of Aliases
}

// Line returns the line of a front matter key, or the first line of the file.
func (p *Page) Line(key string) int {
	if l, ok := p.lines[key]; ok {
		return l
	}
	return 1
}

// AliasLine returns the line on which Aliases[i] is written.
func (p *Page) AliasLine(i int) int {
	if i < len(p.aliasLines) {
		return p.aliasLines[i]
	}
	return p.Line("aliases")
}

// Visible reports whether the page is published at now under the given
// switches for drafts, future and expired pages.
func (p *Page) Visible(now time.Time, drafts, future, expired bool) bool {
	if p.Draft && !drafts {
		return false
	}
	if !p.PublishDate.IsZero() && p.PublishDate.After(now) && !future {
		return false
	}
	if !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(now) && !expired {
		return false
	}
	return true
}

// ReviewDue is when the page must be reviewed again: reviewed (else
// lastmod, else date) plus review_every. Zero means never.
func (p *Page) ReviewDue() time.Time {
	if p.ReviewEvery == 0 {
		return time.Time{}
	}
	from := p.Reviewed
	if from.IsZero() {
		from = p.Lastmod
	}
	if from.IsZero() {
		from = p.Date
	}
	if from.IsZero() {
		return time.Time{}
	}
	return p.ReviewEvery.After(from)
}

// Stale reports whether the review is overdue at now.
func (p *Page) Stale(now time.Time) bool {
	due := p.ReviewDue()
	return !due.IsZero() && due.Before(now)
}

// Refs lists every frontmatter reference of the page with its key.
func (p *Page) Refs() []Ref {
	var refs []Ref
	add := func(key, want string, paths []string) {
		for _, t := range paths {
			refs = append(refs, Ref{Key: key, Target: t, Want: want})
		}
	}
	add("related", "", p.Related)
	if k, ok := kinds[p.Type]; ok && k.refs != nil {
		k.refs(p, add)
	}
	return refs
}

// Ref is a reference from front matter to another page.
type Ref struct {
	Key    string // front matter key holding it
	Target string // content path as written, normalised (no .md)
	Want   string // required type of the target, "" for any
}
