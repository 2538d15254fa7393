package views

import (
	"cmp"
	"slices"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
)

// Session is one scheduled training module.
type Session struct {
	Path    string    `json:"path"`
	Title   string    `json:"title"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Trainer string    `json:"trainer"`
	Tracks  []string  `json:"tracks"`
}

// Training is the calendar and the learning tracks.
type Training struct {
	Sessions []Session           `json:"sessions"` // by start time
	Tracks   map[string][]string `json:"tracks"`   // track → modules in prerequisite order
}

// Calendar lists sessions by time and orders each track's modules so that
// every module comes after its prerequisites — also those reached through
// modules outside the track — with ties broken by session time, then title.
// Prerequisite cycles are rejected earlier, by content.Site.Check.
func Calendar(pages []*content.Page) Training {
	t := Training{Sessions: []Session{}, Tracks: map[string][]string{}}
	byPath := map[string]*content.Page{}
	members := map[string][]*content.Page{}
	for _, p := range pages {
		if p.Training == nil || p.IsSection {
			continue
		}
		byPath[p.Path] = p
		for _, tr := range p.Training.Tracks {
			members[tr] = append(members[tr], p)
		}
		if !p.Training.Session.IsZero() {
			t.Sessions = append(t.Sessions, Session{Path: p.Path, Title: p.Title, Start: p.Training.Session,
				End:     p.Training.Session.Add(time.Duration(p.Training.Duration) * time.Minute),
				Trainer: p.Training.Trainer, Tracks: content.NonNil(p.Training.Tracks)})
		}
	}
	slices.SortFunc(t.Sessions, func(a, b Session) int { return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Title, b.Title)) })
	for name, ms := range members {
		t.Tracks[name] = order(ms, byPath)
	}
	return t
}

// order sorts one track topologically (Kahn), choosing the earliest
// session, then the title, among the modules whose prerequisites are done.
func order(ms []*content.Page, byPath map[string]*content.Page) []string {
	in := map[string]bool{}
	for _, m := range ms {
		in[m.Path] = true
	}
	deps := map[string]map[string]bool{} // module → track members it needs first
	for _, m := range ms {
		deps[m.Path] = map[string]bool{}
		seen := map[string]bool{}
		var walk func(p *content.Page)
		walk = func(p *content.Page) {
			for _, pre := range p.Training.Prerequisites {
				q := byPath[pre]
				if q == nil || seen[pre] {
					continue
				}
				seen[pre] = true
				if in[pre] && pre != m.Path {
					deps[m.Path][pre] = true
				}
				walk(q)
			}
		}
		walk(m)
	}
	less := func(a, b *content.Page) int {
		sa, sb := a.Training.Session, b.Training.Session
		if sa.IsZero() != sb.IsZero() { // unscheduled modules after scheduled ones
			if sa.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(sa.Compare(sb), cmp.Compare(a.Title, b.Title), cmp.Compare(a.Path, b.Path))
	}
	done := map[string]bool{}
	out := []string{}
	for len(out) < len(ms) {
		var next *content.Page
		for _, m := range ms {
			if done[m.Path] || !ready(deps[m.Path], done) {
				continue
			}
			if next == nil || less(m, next) < 0 {
				next = m
			}
		}
		if next == nil { // a cycle: cannot happen after Check, but never loop forever
			break
		}
		done[next.Path] = true
		out = append(out, next.Path)
	}
	return out
}

func ready(deps map[string]bool, done map[string]bool) bool {
	for d := range deps {
		if !done[d] {
			return false
		}
	}
	return true
}
