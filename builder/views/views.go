// Package views derives the sales views of a site from its pages: the
// competitor matrix with win rates from cases, the retro action board, the
// training calendar and tracks, and the content health report. Every view
// is a pure function of the published pages and the build clock; nothing in
// it is typed in twice.
package views

import (
	"cmp"
	"slices"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
)

// CompetitorStat is one battlecard with the record of the cases naming it.
type CompetitorStat struct {
	Path    string   `json:"path"`
	Name    string   `json:"name"`
	Won     int      `json:"won"`
	Lost    int      `json:"lost"`
	Open    int      `json:"open"`
	WinRate *float64 `json:"win_rate"` // won ÷ (won + lost); nil with no decided case
	Cases   []string `json:"cases"`
}

// Competitors computes the win rate against every battlecard from the
// cases that name it. Open cases are counted but never change the rate.
func Competitors(pages []*content.Page) []CompetitorStat {
	out := []CompetitorStat{} // [] in competitors.json, not null
	index := map[string]int{}
	for _, p := range pages {
		if p.Competitor != nil && !p.IsSection {
			index[p.Path] = len(out)
			out = append(out, CompetitorStat{Path: p.Path, Name: p.Competitor.Name, Cases: []string{}})
		}
	}
	for _, p := range pages {
		if p.Case == nil {
			continue
		}
		for _, c := range uniq(p.Case.Competitors) {
			i, ok := index[c]
			if !ok {
				continue
			}
			s := &out[i]
			switch p.Case.Outcome {
			case "won":
				s.Won++
			case "lost":
				s.Lost++
			default:
				s.Open++
			}
			s.Cases = append(s.Cases, p.Path)
		}
	}
	for i := range out {
		s := &out[i]
		if d := s.Won + s.Lost; d > 0 {
			r := float64(s.Won) / float64(d)
			s.WinRate = &r
		}
		slices.Sort(s.Cases)
	}
	slices.SortFunc(out, func(a, b CompetitorStat) int { return cmp.Compare(a.Path, b.Path) })
	return out
}

// MinDecided is the fewest decided cases a win rate needs before it says
// more than the cases themselves: below it the rate is a small sample.
const MinDecided = 3

// Decided counts the won and lost cases, those a win rate is made of.
func (s CompetitorStat) Decided() int { return s.Won + s.Lost }

// SmallSample tells a win rate from fewer than MinDecided decided cases,
// which a reader must not take for a trend (1 of 1 is 100%).
func (s CompetitorStat) SmallSample() bool {
	return s.WinRate != nil && s.Decided() < MinDecided
}

func uniq(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// ActionItem is one retro action on the board.
type ActionItem struct {
	What    string     `json:"what"`
	Owner   string     `json:"owner"`
	Due     *time.Time `json:"due"`
	Status  string     `json:"status"`
	Overdue bool       `json:"overdue"` // open and due before the clock
	Retro   string     `json:"retro"`   // content path of the retro
}

// Actions lists every retro action: overdue first, then open, then done
// and dropped; within each, by due date (undated last), then retro.
func Actions(pages []*content.Page, now time.Time) []ActionItem {
	out := []ActionItem{} // [] in actions.json, not null
	for _, p := range pages {
		if p.Retro == nil {
			continue
		}
		for _, a := range p.Retro.Actions {
			it := ActionItem{What: a.What, Owner: a.Owner, Status: a.Status, Retro: p.Path}
			if !a.Due.IsZero() {
				d := a.Due
				it.Due = &d
				it.Overdue = a.Status == "open" && d.Before(now)
			}
			out = append(out, it)
		}
	}
	rank := func(a ActionItem) int {
		switch {
		case a.Overdue:
			return 0
		case a.Status == "open":
			return 1
		case a.Status == "done":
			return 2
		}
		return 3
	}
	slices.SortStableFunc(out, func(a, b ActionItem) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), compareDue(a.Due, b.Due), cmp.Compare(a.Retro, b.Retro))
	})
	return out
}

func compareDue(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Compare(*b)
}
