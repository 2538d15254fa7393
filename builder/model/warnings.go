package model

import (
	"fmt"
	"time"

	"github.com/playbook-sales/playbook/builder/views"
)

// Warning is a health finding: not an error, but something to fix.
type Warning struct {
	Kind    string `json:"kind"` // stale, ownerless, overdue, orphan, talk
	Path    string `json:"path"` // content path of the page (the retro for overdue actions)
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"` // where in the file, when the finding has a place
	Message string `json:"message"`
}

// Warnings are the site's health findings for playbook check: stale and
// ownerless pages, overdue actions, orphans and talk-track findings.
func (s *Site) Warnings() []Warning {
	var ws []Warning
	file := func(path string) string {
		if p := s.byPath[path]; p != nil {
			return p.File
		}
		return ""
	}
	h := s.HealthAt(s.Now)
	for _, st := range h.Stale {
		ws = append(ws, Warning{Kind: "stale", Path: st.Path, File: file(st.Path),
			Message: fmt.Sprintf("review was due %s (owner %s)%s", s.day(st.Due), orNone(st.Owner), s.lastChange(st))})
	}
	for _, p := range h.Ownerless {
		ws = append(ws, Warning{Kind: "ownerless", Path: p, File: file(p), Message: "no owner: set owner: to who keeps this page true"})
	}
	for _, a := range views.Actions(s.ContentPages(), s.Now) {
		if a.Overdue {
			ws = append(ws, Warning{Kind: "overdue", Path: a.Retro, File: file(a.Retro),
				Message: fmt.Sprintf("action %q (owner %s) was due %s", a.What, orNone(a.Owner), a.Due.In(s.Config.Location).Format("2006-01-02"))})
		}
	}
	for _, p := range h.Orphans {
		ws = append(ws, Warning{Kind: "orphan", Path: p, File: file(p), Message: "no page links to or names this page"})
	}
	return append(ws, s.talkWarnings()...)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// day writes t as a date in the site's zone.
func (s *Site) day(t time.Time) string { return t.In(s.Config.Location).Format("2006-01-02") }

// lastChange tells when and by whom a stale page last changed, where git
// knows: beside the review date, it says whether the page is kept up.
func (s *Site) lastChange(st views.StalePage) string {
	if st.Lastmod == nil || st.ChangedBy == "" {
		return ""
	}
	return fmt.Sprintf("; last changed %s by %s", s.day(*st.Lastmod), st.ChangedBy)
}

// BaseURLNote says what a site with training but no baseURL loses: its
// Calendar entries (.ics) and the page addresses printed on handouts can
// only be relative, and neither a calendar app nor paper can follow a
// relative link. It is "" when baseURL is set or nothing needs it. It is a
// note, not a health warning: a site previewed locally needs no baseURL.
func (s *Site) BaseURLNote() string {
	if s.BaseURL != "" || len(s.Modules()) == 0 {
		return ""
	}
	return "playbook.yaml: baseURL: not set, so the links in the training calendar (.ics) and the page URLs " +
		"printed on handouts are relative and lead nowhere from a calendar app or paper; " +
		"set baseURL: https://… in playbook.yaml or pass --base-url"
}

// talkWarnings are a script's talk-track findings for check: no line to
// say (every copy button would be empty), and headings that read like
// internal guidance without the mark (their quotes would be copied).
func (s *Site) talkWarnings() []Warning {
	var ws []Warning
	for _, p := range s.PagesByPath() {
		if p.Script == nil {
			continue
		}
		if len(p.talk.say) == 0 {
			ws = append(ws, Warning{Kind: "talk", Path: p.Path, File: p.File, Line: p.BodyLine,
				Message: `body: no line to say: quote what the rep says to the customer with "> " so that copy buttons have it`})
		}
		for _, u := range p.talk.unmarked {
			ws = append(ws, Warning{Kind: "talk", Path: p.Path, File: p.File, Line: u.Line,
				Message: fmt.Sprintf("body: heading %q reads like internal guidance; end it with {.internal} so that none of it is copied", u.Heading)})
		}
	}
	return ws
}
