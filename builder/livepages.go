package builder

// Serve's rebuild after pages are edited beyond their body, added, removed
// or renamed (ChangePages). The site model is made again from the parsed
// pages — cheap — keeping the rendered markdown of every page whose file
// and link targets did not change; then only the outputs whose declared
// dependencies (render/deps.go) changed are rendered, the others keep
// their bytes.
//
// Site-wide views whose inputs a save did not touch are carried over too
// (model.CarryViews): the similar pages of the pages no changed page shares
// a value with, and the training calendar while no module changed; list
// entries, script cards and api/pages.json entries of unchanged pages
// (model.KeepFragments).
//
// A page counts as changed when its file changed, its body was rendered
// again (a page it links to changed) or, for a battlecard, its record did.
// An output is rendered again when it shows a changed page (by body, card
// or fields), lists a page set a changed page left, joined or is in, names
// other pages than before (new backlinks, similar pages, a list's cards),
// is new, declares nothing, or when the site's frame changed.

import (
	"context"
	"path"
	"sort"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/builder/source"
)

// pages brings the build up to date after content files changed; edited
// are their paths relative to content/ ("cases/acme.md").
func (l *Live) pages(ctx context.Context, edited []string) (Change, error) {
	l.good = false
	src, err := source.Open(l.o.Site)
	if err != nil {
		return ChangePages, err
	}
	defer src.Close()
	o := l.o
	if err := o.applyNow(l.cfg); err != nil { // as openSite did for the full build
		return ChangePages, err
	}
	pages, fms, files, errs := l.reread(src, edited)
	in := siteInput{o: o, cfg: l.cfg, pages: pages, synonyms: l.site.Synonyms(), hist: l.o.history, misses: *l.site.SearchMisses()}
	fresh := map[string]bool{}
	in.reuse = l.site.Reuse(files, fresh)
	site, _, err := in.build(ctx, errs)
	if err != nil {
		return ChangePages, err
	}
	// Before the outputs are listed: listing them renders the list entries.
	changed := model.ChangedPages(l.site, site, fresh)
	model.KeepFragments(l.site, site, changed)
	model.CarryViews(l.site, site)
	th, err := loadTheme(src, site)
	if err != nil {
		return ChangePages, err
	}
	outs := render.WithoutSearchData(render.Outputs(site, th, &render.StaticSearch{}))
	if err := render.CheckOutputs(outs, staticClaims(l.statics)); err != nil {
		return ChangePages, err
	}
	next, redo, decl := l.stale(site, outs, changed)
	if err := renderInto(ctx, next, redo); err != nil {
		return ChangePages, err
	}
	l.site, l.th, l.outs, l.src = site, th, outs, fms
	l.indexDeps(decl)
	l.snap = &Snapshot{Files: next, Site: site}
	l.good = true
	return ChangePages, nil
}

// reread lists content/ again and parses the files that are new or
// edited; the others keep their parsed page. It returns the pages in the order Load reads them,
// the front matters, the content paths of the files that changed, added or
// removed ones included, and the content errors.
func (l *Live) reread(src *source.Site, edited []string) ([]*content.Page, map[string][]byte, map[string]bool, content.Errors) {
	walked, errs := src.Walk("content", source.Hidden)
	redo := map[string]bool{}
	for _, rel := range edited {
		redo[rel] = true
	}
	known := map[string]*content.Page{}
	for _, p := range l.site.Parsed() {
		known[p.File] = p
	}
	fms := make(map[string][]byte, len(l.src))
	changed := map[string]bool{}
	var pages []*content.Page
	sort.Slice(walked, func(i, j int) bool { return walked[i].Name < walked[j].Name })
	for _, f := range walked {
		if f.Dir || !strings.EqualFold(path.Ext(f.Name), ".md") {
			continue
		}
		old := known[f.Name]
		delete(known, f.Name)
		p, fm, ferrs := l.parse(src, f, old, redo)
		errs = append(errs, ferrs...)
		if p == nil {
			continue
		}
		if fm != nil {
			fms[strings.TrimPrefix(f.Name, "content/")] = fm
		}
		if p != old {
			changed[p.Path] = true
			if old != nil {
				changed[old.Path] = true
			}
		}
		pages = append(pages, p)
	}
	for _, gone := range known {
		changed[gone.Path] = true
	}
	return pages, fms, changed, errs
}

// parse returns the page of file f: old when the file was not edited and
// the build knows what old was parsed from (frontMatters), else the file
// parsed again.
func (l *Live) parse(src *source.Site, f source.File, old *content.Page, edited map[string]bool) (*content.Page, []byte, content.Errors) {
	rel := strings.TrimPrefix(f.Name, "content/")
	if fm := l.src[rel]; old != nil && fm != nil && !edited[rel] {
		return old, fm, nil
	}
	data, err := src.ReadFile(f, source.MaxFileSize)
	if err != nil {
		return nil, nil, content.Errors{source.AsError(f.Name, err)}
	}
	p, errs := content.Parse(rel, data, l.cfg.Rules())
	return p, frontMatter(data, p), errs
}

// stale copies the previous snapshot's files that are still current into
// a new map, and returns it with the outputs to render into it and the
// declarations of outs.
func (l *Live) stale(site *model.Site, outs []render.Output, changed map[string]bool) (map[string][]byte, []render.Output, []*render.Deps) {
	sets := touchedSets(l.site, site, changed)
	frame := render.SiteFrame(l.site) != render.SiteFrame(site)
	prev := make(map[string]*render.Deps, len(l.outs))
	for i, o := range l.outs {
		prev[o.Path()] = l.decl[i]
	}
	next := make(map[string][]byte, len(l.snap.Files))
	for p, b := range l.snap.Files {
		if _, out := prev[p]; !out {
			next[p] = b // a static file
		}
	}
	var redo []render.Output
	decl := declare(outs)
	for i, o := range outs {
		old, had := prev[o.Path()]
		d := decl[i]
		if frame || !had || old == nil || d == nil || !d.Equal(*old) || d.Hit(changed, sets) {
			redo = append(redo, o)
			continue
		}
		next[o.Path()] = l.snap.Files[o.Path()]
	}
	return next, redo, decl
}

// touchedSets are the page sets a change shows in: those of each changed
// page before and after, and those of the cases whose lists entries name
// a changed battlecard.
func touchedSets(old, cur *model.Site, changed map[string]bool) map[string]bool {
	sets := map[string]bool{}
	for _, s := range []*model.Site{old, cur} {
		for path, p := range s.Published() {
			if changed[path] || model.NamesChanged(p, changed) {
				for _, k := range render.PageSets(p) {
					sets[k] = true
				}
			}
		}
	}
	return sets
}
