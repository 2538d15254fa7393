package builder

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/playbook-sales/playbook/builder/source"
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

// Check validates the site as Build does and derives the health findings,
// without writing the site. Content errors come back as content.Errors;
// any other error is the one Build would give.
func Check(ctx context.Context, o Options) (*Site, []Warning, error) {
	o.Dest = os.DevNull // never written; keeps normalize's destination check quiet
	if err := o.normalize(); err != nil {
		return nil, nil, err
	}
	src, cfg, err := openSite(&o)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	site, _, err := load(ctx, src, o, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := dryRun(ctx, o, src, site); err != nil {
		return nil, nil, err
	}
	return site, site.warnings(), nil
}

// dryRun does what Build does after Load — plan the outputs, copy the
// static files and render every output (Load read the synonyms) — into a
// temporary folder that it then removes, so that any site Build would fail
// on fails Check with the same error. Only the search index itself is left
// out: it depends on no content rule, and its static files wait for it.
func dryRun(ctx context.Context, o Options, src *source.Site, site *Site) error {
	plan, err := site.planWith(src)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "playbook-check-")
	if err != nil {
		return fmt.Errorf("create check folder: %w", err)
	}
	defer os.RemoveAll(dir)
	plan.outs = withoutSearchData(plan.outs)
	_, err = renderAll(ctx, &dirCache{made: map[string]bool{}, root: dir}, plan)
	return err
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
// calendar entries (.ics) and the page addresses printed on handouts can
// only be relative, and neither a calendar app nor paper can follow a
// relative link. It is "" when baseURL is set or nothing needs it. It is a
// note, not a health warning: a site previewed locally needs no baseURL.
func (s *Site) BaseURLNote() string {
	if s.BaseURL != "" || len(s.modules()) == 0 {
		return ""
	}
	return "playbook.yaml: baseURL: not set, so the links in the training calendar (.ics) and the page URLs " +
		"printed on handouts are relative and lead nowhere from a calendar app or paper; " +
		"set baseURL: https://… in playbook.yaml or pass --base-url"
}
