package builder

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/views"
)

// Warning is a health finding: not an error, but something to fix.
type Warning struct {
	Kind    string `json:"kind"` // stale, ownerless, overdue, orphan
	Path    string `json:"path"` // content path of the page (the retro for overdue actions)
	File    string `json:"file"`
	Message string `json:"message"`
}

// Check validates the site as Build does and derives the health findings,
// without writing anything. Content errors come back as content.Errors.
func Check(ctx context.Context, o Options) (*Site, []Warning, error) {
	o.Dest = os.DevNull // never written; keeps normalize's destination check quiet
	if err := o.normalize(); err != nil {
		return nil, nil, err
	}
	cfg, err := config.Load(os.DirFS(o.Site))
	if err != nil {
		return nil, nil, err
	}
	if err := o.applyNow(cfg); err != nil {
		return nil, nil, err
	}
	site, _, err := Load(ctx, o, cfg)
	if err != nil {
		return nil, nil, err
	}
	return site, site.warnings(), nil
}

func (s *Site) warnings() []Warning {
	var ws []Warning
	file := func(path string) string {
		if p := s.byPath[path]; p != nil {
			return p.File
		}
		return ""
	}
	h := s.health(s.Now)
	for _, st := range h.Stale {
		ws = append(ws, Warning{Kind: "stale", Path: st.Path, File: file(st.Path),
			Message: fmt.Sprintf("review was due %s (owner %s)%s", s.day(st.Due), orNone(st.Owner), s.lastChange(st))})
	}
	for _, p := range h.Ownerless {
		ws = append(ws, Warning{Kind: "ownerless", Path: p, File: file(p), Message: "no owner: set owner: to who keeps this page true"})
	}
	for _, a := range views.Actions(s.contentPages(), s.Now) {
		if a.Overdue {
			ws = append(ws, Warning{Kind: "overdue", Path: a.Retro, File: file(a.Retro),
				Message: fmt.Sprintf("action %q (owner %s) was due %s", a.What, orNone(a.Owner), a.Due.In(s.Config.Location).Format("2006-01-02"))})
		}
	}
	for _, p := range h.Orphans {
		ws = append(ws, Warning{Kind: "orphan", Path: p, File: file(p), Message: "no page links to or names this page"})
	}
	return ws
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
