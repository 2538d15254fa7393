package builder

// The search miss report (package search/misses) on the health page, in
// api/health.json and in playbook check. It is read from the site's
// .playbook/search-misses.jsonl when the site is loaded: derived data
// Playbook itself writes (serve) or a collector of the built site's
// reports appends, never content. A log that cannot be read leaves the
// report empty and never fails a build; check says why.

import (
	"context"
	"maps"

	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/search/misses"
)

// loadMisses reads the search miss log of the site folder.
func loadMisses(site string) model.MissReport {
	if site == "" { // a site read from an fs.FS (RenderFS) has no folder to keep a log in
		return model.MissReport{}
	}
	r, err := misses.Load(site)
	return model.MissReport{Report: r, Err: err}
}

// RefreshMisses reads the search miss log again and renders the outputs
// showing it anew into a new snapshot, for serve, which appends to the log
// as readers search. After a failed update it does nothing: the next good
// build reads the log anyway.
func (l *Live) RefreshMisses(ctx context.Context) error {
	if !l.good || l.snap == nil {
		return nil
	}
	l.site.SetMisses(loadMisses(l.o.Site))
	files := maps.Clone(l.snap.Files)
	var redo []render.Output
	for _, o := range l.outs {
		if render.ShowsMisses(o.Path()) {
			redo = append(redo, o)
		}
	}
	if err := renderInto(ctx, files, redo); err != nil {
		l.good = false // the next update builds everything, and reports it
		return err
	}
	l.snap = &Snapshot{Files: files, Site: l.site}
	return nil
}
