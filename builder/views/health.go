package views

import (
	"cmp"
	"slices"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/search/misses"
)

// StalePage is a page whose review is overdue.
type StalePage struct {
	Path     string     `json:"path"`
	Owner    string     `json:"owner"`
	Reviewed *time.Time `json:"reviewed"`
	Due      time.Time  `json:"due"`
	// Lastmod is the page's last change (its last git commit, else front
	// matter) and ChangedBy who made it (from git; the builder fills it):
	// a page changed since its review was due may just need a new date.
	Lastmod   *time.Time `json:"lastmod"`
	ChangedBy string     `json:"changed_by"`
}

// Health is the content health report.
type Health struct {
	Stale     []StalePage               `json:"stale"`     // by owner, then most overdue first
	Ownerless []string                  `json:"ownerless"` // pages no one keeps true
	Orphans   []string                  `json:"orphans"`   // pages nothing links to or names
	Coverage  map[string]map[string]int `json:"coverage"`  // stage → type → published pages
	// Extensions beyond the contract's health.json:
	UncoveredCompetitors []string        `json:"competitors_without_cases"`
	TrainingWithoutQuiz  []string        `json:"training_without_quiz"`
	MissingBattlecards   []MissingRecord `json:"competitors_without_battlecard"` // named by cases, no published battlecard
	// SearchMisses are what readers searched for and did not find, most
	// frequent first, from the site's search miss log (package
	// search/misses); the builder fills them in, as they come from no page.
	SearchMisses []misses.Miss `json:"search_misses"`
}

// MissingRecord is a competitor that published cases name but that has no
// published battlecard (it is a draft, not yet published or expired), so
// no win rate can be shown for it.
type MissingRecord struct {
	Path  string   `json:"path"`  // the reference as the cases write it
	Cases []string `json:"cases"` // the cases naming it, by path
}

// CoverageTypes are the columns of the stage × type matrix.
var CoverageTypes = []string{content.TypeScript, content.TypeCase, content.TypeCompetitor, content.TypeTraining, content.TypeRetro, content.TypePage}

// Report computes the health of the published pages at now. inbound
// counts, per content path, the other pages that link to or name it.
func Report(pages []*content.Page, now time.Time, stages []content.Choice, inbound map[string]int) Health {
	h := Health{Stale: []StalePage{}, Ownerless: []string{}, Orphans: []string{}, Coverage: map[string]map[string]int{},
		UncoveredCompetitors: []string{}, TrainingWithoutQuiz: []string{}, MissingBattlecards: []MissingRecord{},
		SearchMisses: []misses.Miss{}}
	for _, s := range stages {
		h.Coverage[s.Key] = map[string]int{}
		for _, t := range CoverageTypes {
			h.Coverage[s.Key][t] = 0
		}
	}
	for _, p := range pages {
		if p.IsSection {
			continue
		}
		if p.Stale(now) {
			sp := StalePage{Path: p.Path, Owner: p.Owner, Due: p.ReviewDue()}
			if !p.Reviewed.IsZero() {
				r := p.Reviewed
				sp.Reviewed = &r
			}
			if !p.Lastmod.IsZero() {
				m := p.Lastmod
				sp.Lastmod = &m
			}
			h.Stale = append(h.Stale, sp)
		}
		if p.Owner == "" {
			h.Ownerless = append(h.Ownerless, p.Path)
		}
		if inbound[p.Path] == 0 {
			h.Orphans = append(h.Orphans, p.Path)
		}
		for _, s := range p.Stages {
			if row, ok := h.Coverage[s]; ok {
				row[p.Type]++
			}
		}
		if p.Training != nil && len(p.Training.Quiz) == 0 {
			h.TrainingWithoutQuiz = append(h.TrainingWithoutQuiz, p.Path)
		}
	}
	cards := map[string]bool{}
	for _, c := range Competitors(pages) {
		cards[c.Path] = true
		if len(c.Cases) == 0 {
			h.UncoveredCompetitors = append(h.UncoveredCompetitors, c.Path)
		}
	}
	h.MissingBattlecards = missingBattlecards(pages, cards)
	slices.SortFunc(h.Stale, func(a, b StalePage) int {
		return cmp.Or(cmp.Compare(a.Owner, b.Owner), a.Due.Compare(b.Due), cmp.Compare(a.Path, b.Path))
	})
	for _, l := range [][]string{h.Ownerless, h.Orphans, h.TrainingWithoutQuiz} {
		slices.Sort(l)
	}
	return h
}

// missingBattlecards lists the competitors cases name that are not among
// the published battlecards, by path.
func missingBattlecards(pages []*content.Page, cards map[string]bool) []MissingRecord {
	named := map[string][]string{}
	for _, p := range pages {
		if p.Case == nil || p.IsSection {
			continue
		}
		for _, c := range uniq(p.Case.Competitors) {
			if !cards[c] {
				named[c] = append(named[c], p.Path)
			}
		}
	}
	out := []MissingRecord{}
	for c, cases := range named {
		slices.Sort(cases)
		out = append(out, MissingRecord{Path: c, Cases: cases})
	}
	slices.SortFunc(out, func(a, b MissingRecord) int { return cmp.Compare(a.Path, b.Path) })
	return out
}
