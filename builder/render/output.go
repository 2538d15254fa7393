package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/theme"
	"github.com/playbook-sales/playbook/themes"
)

// Output is one file of the built site: its path, how it renders, who
// claims the path and what it shows of the pages.
type Output struct {
	path   string // inside the output folder, slash-separated
	render func(w io.Writer) error
	claim  claim       // who wants the path (claims.go)
	deps   func() Deps // what it shows, for serve (deps.go); nil: everything
}

// Path is where the output goes, inside the output folder, slash-separated.
func (o Output) Path() string { return o.path }

// Render writes the output.
func (o Output) Render(w io.Writer) error { return o.render(w) }

// RenderedFor names the content file the output is rendered for, for
// errors: " (content/x.md)", or "" for an output of the whole site.
func (o Output) RenderedFor() string { return o.claim.forFile() }

// Declared is what the output shows of the pages, for serve's rebuild; nil
// when it declares nothing, which counts as showing everything.
func (o Output) Declared() *Deps {
	if o.deps == nil {
		return nil
	}
	d := o.deps()
	return &d
}

// Theme loads the theme top, the site's themes/NAME/ or nil, laid over the
// embedded default theme, with the template functions of site s.
func Theme(top fs.FS, s *model.Site) (*theme.Theme, error) {
	var th *theme.Theme
	funcs := (&rendering{Site: s}).funcs()
	// item renders a page's entry in lists once, however many lists (its
	// section, every tag, stage, role … page) show it.
	funcs["item"] = func(p *model.Page) (template.HTML, error) { return itemHTML(th, p) }
	// scriptCard renders a script's card in the script library once: the
	// library shows every talk track, and serve re-renders it after each
	// script edit, which must then redo only the edited card.
	funcs["scriptCard"] = func(p *model.Page) (template.HTML, error) { return ScriptCard(th, p) }
	th, err := theme.Load(theme.Layered(top, themes.Default), s.Config.Language, funcs)
	return th, err
}

// Outputs lists every file the site renders with theme th, each with who
// claims it (outputs). search hands the index build's result to the static
// search's files.
func Outputs(s *model.Site, th *theme.Theme, search *StaticSearch) []Output {
	return (&rendering{Site: s, static: search}).outputs(th)
}

// ScriptCard renders p's card in the script library once per body: the
// library shows every talk track, and serve, after a script edit, splices
// the new card in place of the old one (builder's Live.bodies).
func ScriptCard(th *theme.Theme, p *model.Page) (template.HTML, error) {
	return p.Card().Get(func() (template.HTML, error) { return th.Partial("partials/scriptcard.html", p) })
}

// outputs lists every file the site renders, each with who claims it. The
// order is the one claims and serve rely on: pages, then lists (whose
// shards the lister collects as it goes), boards, search and fixed files.
func (s *rendering) outputs(th *theme.Theme) []Output {
	lists := s.newLister(th) // section, nested and term lists, paged (paging.go)
	outs := s.pageOutputs(th)
	outs = append(outs, s.sectionOutputs(th, lists)...)
	outs = append(outs, s.nestedOutputs(lists)...)
	outs = append(outs, s.taxonomyOutputs(th, lists)...)
	outs = append(outs, s.themeBoardOutputs(th)...)
	outs = append(outs, lists.shardOutputs()...)
	outs = append(outs, s.trainingOutputs(th)...)
	outs = append(outs, s.staticSearchOutputs(th)...) // public/search/ (staticsearch.go)
	outs = append(outs, s.fileOutputs(th)...)
	outs = append(outs, declared(showsAll, s.sitemapOutputs())...) // sitemap.go
	return outs
}

// htmlOutput is the page at url (a folder's index.html) rendered by layout.
func (s *rendering) htmlOutput(th *theme.Theme, url, layout string, d *Data, c claim, dep func() Deps) Output {
	d.Site, d.URL = s.Site, url
	return Output{path: strings.TrimPrefix(url, "/") + "index.html", claim: c, deps: dep, render: func(w io.Writer) error {
		return th.Execute(w, layout, d)
	}}
}

// pageOutputs are the home page, each page's own and its aliases'.
func (s *rendering) pageOutputs(th *theme.Theme) []Output {
	home := &Data{Kind: theme.KindHome, Title: s.Config.Title, Page: s.Home, Pages: s.Recent(12)}
	homeClaim := generated("(home page)")
	if s.Home != nil {
		homeClaim = indexClaim(s.Home)
	}
	outs := []Output{s.htmlOutput(th, "/", theme.KindHome, home, homeClaim, listDeps(s.Home, setAll))}
	for _, p := range s.Published() {
		if !p.IsSection {
			outs = append(outs, s.singleOutputs(th, p)...)
		}
	}
	return outs
}

// singleOutputs are page p's own page, in its type's layout if the theme
// has one, and a redirect page for each of its aliases.
func (s *rendering) singleOutputs(th *theme.Theme, p *model.Page) []Output {
	layout := "single/" + p.Type
	if !th.Has(layout) {
		layout = "single/page"
	}
	outs := []Output{s.htmlOutput(th, p.URL, layout, &Data{Kind: "page", Title: p.Title, Page: p, Section: s.Section(p.Section)}, pageClaim(p), singleDeps(p))}
	for i, a := range p.Aliases {
		outs = append(outs, s.htmlOutput(th, a, theme.KindAlias, &Data{Kind: theme.KindAlias, Title: p.Title, Page: p, Target: p.RelURL()}, aliasClaim(p, i),
			func() Deps { return Deps{pages: []string{p.Path}} }))
	}
	return outs
}

// sectionOutputs are the (paged) lists of the top-level sections, each
// labelled by the theme's translation when it has one.
func (s *rendering) sectionOutputs(th *theme.Theme, lists *lister) []Output {
	var outs []Output
	for _, sec := range s.Sections {
		if key := "section." + sec.Name; th.T(key) != key {
			sec.SetLabel(th.T(key))
		}
		outs = append(outs, declared(sectionDeps(sec, sec.Index, sec.Pages),
			lists.list(sec.URL, theme.KindSection, &Data{Kind: theme.KindSection, Title: sec.Title(), Page: sec.Index, Section: sec, Pages: sec.Pages}, sectionClaim(sec)))...)
	}
	return outs
}

// nestedOutputs are the lists of nested _index.md pages: each lists the
// pages below it.
func (s *rendering) nestedOutputs(lists *lister) []Output {
	var outs []Output
	for _, p := range s.Published() {
		if !p.IsSection || p == s.Home || s.Section(p.Section) == nil || s.Section(p.Section).Index == p {
			continue
		}
		list := s.pagesUnder(strings.TrimSuffix(p.Path, "_index"))
		outs = append(outs, declared(sectionDeps(s.Section(p.Section), p, list),
			lists.list(p.URL, theme.KindSection, &Data{Kind: theme.KindSection, Title: p.Title, Page: p, Section: s.Section(p.Section), Pages: list}, indexClaim(p)))...)
	}
	return outs
}

// pagesUnder returns the site's pages whose path starts with prefix, in
// the site's order.
func (s *rendering) pagesUnder(prefix string) []*model.Page {
	var list []*model.Page
	for _, q := range s.Pages {
		if strings.HasPrefix(q.Path, prefix) {
			list = append(list, q)
		}
	}
	return list
}

// taxonomyOutputs are each taxonomy's page and its terms' (paged) lists.
func (s *rendering) taxonomyOutputs(th *theme.Theme, lists *lister) []Output {
	var outs []Output
	for _, t := range s.Taxonomies {
		by := generated("(taxonomy " + t.Name + ")")
		outs = append(outs, s.htmlOutput(th, t.URL, theme.KindTaxonomy, &Data{Kind: theme.KindTaxonomy, Title: th.T("taxonomy." + t.Name), Taxonomy: t}, by, listDeps(nil, taxonomySet(t.Name))))
		for _, term := range t.Terms {
			outs = append(outs, declared(listDeps(nil, termSet(t.Name, term.Key)),
				lists.list(term.URL, theme.KindTerm, &Data{Kind: theme.KindTerm, Title: term.Name, Taxonomy: t, Term: term, Pages: term.Pages}, by))...)
		}
	}
	return outs
}

// themeBoardOutputs are the action and health boards, for a theme that has
// their layouts (boardpages.go).
func (s *rendering) themeBoardOutputs(th *theme.Theme) []Output {
	var outs []Output
	if th.Has(kindActions) {
		outs = append(outs, declared(showsTypes(content.TypeRetro), s.actionsOutputs(th))...)
	}
	if th.Has(kindHealth) {
		outs = append(outs, declared(showsAll, s.healthOutputs(th))...)
	}
	return outs
}

// fileOutputs are the site's fixed files: the 404 page, the web app
// manifest, the JSON API and the highlighting styles.
func (s *rendering) fileOutputs(th *theme.Theme) []Output {
	file := func(path, what string, dep func() Deps, render func(io.Writer) error) Output {
		return Output{path: path, render: render, claim: generated(what), deps: dep}
	}
	return []Output{
		file("404.html", "(404 page)", none, func(w io.Writer) error {
			return th.Execute(w, theme.Kind404, &Data{Site: s.Site, Kind: theme.Kind404, Title: th.T("notfound.title"), URL: "/404.html"})
		}),
		file("manifest.webmanifest", "(web app manifest)", none, s.writeManifest),
		file("api/pages.json", "(API)", s.pagesJSONDeps, s.writePagesJSON),
		file("api/competitors.json", "(API)", showsTypes(content.TypeCompetitor, content.TypeCase), s.writeCompetitorsJSON),
		file("api/actions.json", "(API)", showsTypes(content.TypeRetro), s.writeActionsJSON),
		file("api/training.json", "(API)", showsTypes(content.TypeTraining), s.writeTrainingJSON),
		file("api/health.json", "(API)", showsAll, s.writeHealthJSON),
		file("css/chroma.css", "(code highlighting styles)", none, writeChromaCSS),
	}
}

// writeChromaCSS writes highlighting classes for light and dark schemes.
func writeChromaCSS(w io.Writer) error {
	f := chromahtml.New(chromahtml.WithClasses(true))
	if err := f.WriteCSS(w, styles.Get("github")); err != nil {
		return err
	}
	var dark bytes.Buffer
	if err := f.WriteCSS(&dark, darkStyle()); err != nil {
		return err
	}
	// Dark colours follow the system unless the reader chose light, and
	// always apply when the reader chose dark (the theme's toggle).
	_, err := fmt.Fprintf(w, "@media (prefers-color-scheme: dark) {\n%s}\n%s",
		scopeCSS(dark.String(), ":root:not([data-theme=light]) "), scopeCSS(dark.String(), ":root[data-theme=dark] "))
	return err
}

func darkStyle() *chroma.Style {
	if st := styles.Get("github-dark"); st != nil {
		return st
	}
	return styles.Fallback
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xmlEscapeTo(&b, s)
	return b.String()
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlEscapeTo(w io.Writer, s string) error {
	_, err := xmlEscaper.WriteString(w, s)
	return err
}

// funcs are the template helpers the builder gives the theme.
func (s *rendering) funcs() template.FuncMap {
	return template.FuncMap{
		"rel":       s.Rel,
		"abs":       s.Abs,
		"ref":       s.Ref,
		"stageName": s.Config.StageName,
		"roleName":  s.Config.RoleName,
		"date":      s.formatDate,
		"dateTime":  s.formatDateTime,
		"isoDate":   func(t time.Time) string { return t.In(s.Config.Location).Format(time.RFC3339) },
		"jsonify": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"lower": strings.ToLower,
		"termURL": func(taxonomy, value string) string {
			if taxonomy == "stages" || taxonomy == "roles" {
				return s.Rel("/" + taxonomy + "/" + value + "/")
			}
			return s.Rel("/" + taxonomy + "/" + model.TermKey(value) + "/")
		},
		"base":    path.Base,
		"number":  formatNumber,
		"percent": func(f float64) int { return int(math.Round(f * 100)) },
		"dict":    dict,
	}
}

func (s *rendering) formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.Config.Location)
	if s.Config.Language == "en" {
		return t.Format("Jan 2, 2006")
	}
	return t.Format("2006年1月2日")
}

func (s *rendering) formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.Config.Location)
	if s.Config.Language == "en" {
		return t.Format("Mon Jan 2, 2006 15:04")
	}
	return t.Format("2006年1月2日 15:04") + " " + [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[t.Weekday()]
}

// formatNumber writes a whole number with thousands separators: 1,280,000.
func formatNumber(f float64) string {
	s := strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// dict builds a map from key, value pairs, so partials can take several values.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: want key, value pairs, got %d values", len(kv))
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not text", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// scopeCSS prefixes every selector of chroma's CSS (one rule per line,
// "/* Name */ .chroma .x { … }") with scope.
func scopeCSS(css, scope string) string {
	var b strings.Builder
	for _, line := range strings.Split(css, "\n") {
		if i := strings.Index(line, "*/ "); strings.HasPrefix(line, "/*") && i > 0 {
			line = line[:i+3] + scope + line[i+3:]
		} else if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "/*") {
			line = scope + line
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}
