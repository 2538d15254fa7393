package model

import (
	"context"
	"html/template"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/markdown"
	"golang.org/x/sync/errgroup"
)

// Making the site model from parsed pages: check them as one site, render
// their markdown, then derive sections, taxonomies and backlinks. Reading
// the files is the caller's (package builder); nothing here touches disk.

// Input is what a site is made of once its files are read: the parsed
// pages (hidden ones too) and the site-wide files beside them.
type Input struct {
	Config   *config.Config
	Now      time.Time // the build clock
	Version  string
	Drafts   bool // show drafts, future and expired pages too (content.Page.Visible)
	Future   bool
	Expired  bool
	Pages    []*content.Page
	Synonyms [][]string // built-in and synonyms.yaml groups
	Misses   MissReport
	GitNote  string // why pages lack git dates; said once by the command
	// Dated gives a page its last commit (builder's git history); nil: none.
	Dated func(*Page)
	// Reuse gives a page the body it had in the previous build, when
	// nothing it shows has changed since (serve); nil: render all.
	Reuse func(*Page) bool
}

// Make checks the pages as one site, renders their markdown and derives
// sections, taxonomies and backlinks. errs are the reading's errors, which
// Make reports with its own. It returns how many pages it left out as
// hidden too.
func Make(ctx context.Context, in Input, errs content.Errors) (*Site, int, error) {
	all := content.NewSite(in.Pages)
	errs = append(errs, all.Check()...)
	site := newSite(in)
	site.content = all // the serve mode resolves links of edited pages against it (RenderBody)
	site.every = make(map[*content.Page]*Page, len(in.Pages))
	var hidden int
	render := make([]*Page, 0, len(in.Pages)) // hidden pages too: their links are checked all the same
	for _, p := range in.Pages {
		bp := &Page{Page: p, site: site}
		if in.Dated != nil {
			in.Dated(bp)
		}
		site.every[p] = bp
		if in.Reuse == nil || !in.Reuse(bp) {
			render = append(render, bp)
		}
		if !p.Visible(in.Now, in.Drafts, in.Future, in.Expired) {
			hidden++
			continue
		}
		site.byPath[p.Path] = bp
	}
	errs = append(errs, renderMarkdown(ctx, site, in.Config, render)...)
	if err := errs.Err(); err != nil {
		return nil, hidden, err
	}
	if err := site.assemble(); err != nil {
		return nil, hidden, err
	}
	return site, hidden, nil
}

func newSite(in Input) *Site {
	s := &Site{Config: in.Config, Now: in.Now, BasePath: "/", Version: in.Version, GitNote: in.GitNote,
		synonyms: in.Synonyms, misses: in.Misses, byPath: map[string]*Page{}}
	if in.Config.BaseURL != "" {
		s.BaseURL = strings.TrimSuffix(in.Config.BaseURL, "/") + "/"
		s.BasePath = basePath(in.Config.BaseURL)
	}
	return s
}

// basePath takes the path of a base URL: "https://x.com/kb" → "/kb/".
func basePath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	return "/" + strings.Trim(u, "/") + strings.Repeat("/", min(1, len(strings.Trim(u, "/"))))
}

// renderMarkdown renders every published page in parallel, rewriting links
// between content files and reporting those that lead nowhere.
func renderMarkdown(ctx context.Context, site *Site, cfg *config.Config, pages []*Page) content.Errors {
	md := markdown.New(markdown.Options{Unsafe: cfg.Markup.UnsafeHTML})
	var mu sync.Mutex
	var errs content.Errors
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range pages {
		g.Go(func() error {
			body, perr := site.renderBody(md, p)
			if perr == nil {
				p.SetBody(body)
			}
			mu.Lock()
			errs = append(errs, perr...)
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	return errs
}

// Body is what a page's markdown renders to.
type Body struct {
	html     template.HTML
	toc      []markdown.Heading
	text     string
	headings []string
	summary  string   // the text before <!--more-->, else the first paragraph
	linked   []string // content paths the body links to
	talk     talk
	targets  []string // content paths the body names, published or not: its render depends on them
}

// RenderBody renders the markdown of p, a page of the site or an edited
// version of one, resolving its links against every page the site was
// made of; serve reads edits with it. The body is p's once SetBody gives it.
func (s *Site) RenderBody(md *markdown.Renderer, p *content.Page) (Body, content.Errors) {
	return s.renderBody(md, &Page{Page: p, site: s})
}

// renderBody renders one page's markdown, resolving links against the site.
func (s *Site) renderBody(md *markdown.Renderer, p *Page) (Body, content.Errors) {
	all := s.content
	var linked, targets []string
	resolve := func(dest string) (string, markdown.LinkStatus) {
		t, frag, isContent := all.ResolveLink(p.Page, dest)
		switch {
		case !isContent && strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//"):
			return s.Rel(dest), markdown.Resolved // a site path: keep it under the base path
		case !isContent:
			return "", markdown.NotContent
		case t == nil:
			return "", markdown.Missing
		}
		targets = append(targets, t.Path)
		switch {
		case s.byPath[t.Path] == nil:
			return "", markdown.Hidden
		}
		linked = append(linked, t.Path)
		u := s.Rel(t.URL)
		if frag != "" {
			u += "#" + frag
		}
		return u, markdown.Resolved
	}
	render := md.Render
	if p.Script != nil {
		render = md.RenderScript
	}
	res, err := render(p.Body, resolve)
	if err != nil {
		return Body{}, content.Errors{{File: p.File, Line: p.BodyLine, Field: "body", Msg: err.Error()}}
	}
	errs := strayMarkErrors(p, res)
	for _, b := range res.Broken {
		e := content.NewError(p.File, p.BodyLine+b.Line-1, "link", content.KindLinkMissing, b.Dest)
		e.Target = missingPath(p.Page, b.Dest)
		errs = append(errs, e)
	}
	if errs != nil {
		return Body{}, errs
	}
	text := res.Text
	if p.Training != nil && p.Training.Slides {
		// The module page shows the slides without their speaker notes, and
		// search finds what a page shows: the notes are the trainer's.
		var parts []string
		for _, part := range splitSlides(string(p.Body)) {
			parts = append(parts, part.Body)
		}
		n := len(linked)
		if shown, err := md.Render([]byte(strings.Join(parts, "\n\n")), resolve); err == nil {
			text = shown.Text
		}
		linked = linked[:n] // the body's render listed the links already
	}
	return Body{html: htmlOf(res.HTML), toc: res.TOC, text: text, headings: res.Headings, summary: res.Summary, linked: linked, targets: targets, talk: newTalk(p, res)}, nil
}

// missingPath is the content path a broken link names, for folding.
func missingPath(from *content.Page, dest string) string {
	p, _, _, _ := content.LinkPath(from, dest)
	return p
}

// SetBody gives the page a rendered body. Its script card shows the body,
// so it is rendered again when next shown.
func (p *Page) SetBody(b Body) {
	p.card, p.api = Fragment{}, Fragment{}
	p.Content, p.TOC, p.Text, p.Headings = b.html, b.toc, b.text, b.headings
	p.linked, p.targets, p.talk = b.linked, b.targets, b.talk
	if p.Summary == "" {
		p.Summary = b.summary
	}
}

// Summary is the text before <!--more-->, else the first paragraph.
func (b Body) Summary() string { return b.summary }

// LinksAsBefore reports whether the body links to the pages p's body
// links to, in the same order: backlinks show those links.
func (b Body) LinksAsBefore(p *Page) bool { return slices.Equal(b.linked, p.linked) }
