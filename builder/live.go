package builder

// The serve mode's builder: Live keeps a whole built site in memory and
// brings it up to date after files change, doing as little as it can prove
// is enough.
//
// A change is classified by where it happened (see Classify). For the
// commonest case — the body of existing pages edited, their front matter
// untouched — Live re-renders that page's markdown and then only the
// outputs that show its body. Any other change to content files — front
// matter edited, pages added, removed or renamed — makes the site model
// again from the parsed pages, keeping every rendered body it can, and
// renders only the outputs whose declared dependencies changed
// (livepages.go). Which outputs show what is declared with each output
// (render.Output.Declared, render/deps.go): the one list of outputs serves
// build and serve.
// An output without a declaration counts as showing everything, so it is
// re-rendered on every edit: new outputs are correct without being
// declared, and only slower. A body edit that changes what other pages can
// see of it — the summary taken from the body, or the pages it links to
// (backlinks) — is not body-only and takes the pages path. Templates,
// configuration and other files rebuild everything.

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/markdown"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/playbook-sales/playbook/builder/theme"
	"github.com/playbook-sales/playbook/search"
	"golang.org/x/sync/errgroup"
)

// Snapshot is one complete build held in memory. It is never modified after
// Live returns it, so a server can hand its files out while Live makes the
// next one.
type Snapshot struct {
	Files map[string][]byte // output path ("cases/acme/index.html") → content
	Site  *model.Site       // the pages it was built from; read only
}

// Change says how much of the site an update had to rebuild.
type Change int

const (
	ChangeNone   Change = iota // nothing that affects the output
	ChangeCSS                  // static files, all of them stylesheets
	ChangeStatic               // static files
	ChangeBody                 // page bodies only: those pages and what shows them
	ChangePages                // content files: the outputs whose dependencies changed
	ChangeFull                 // templates, config or other files: everything
)

func (c Change) String() string {
	return [...]string{"none", "css", "static", "body", "pages", "full"}[c]
}

// Live builds a site into memory and updates it. Its methods must be called
// from one goroutine at a time (the serve loop builds one change at a time).
type Live struct {
	o    Options
	cfg  *config.Config
	site *model.Site
	th   *theme.Theme
	md   *markdown.Renderer
	outs []render.Output
	decl []*render.Deps // each output's declaration; nil: it shows everything
	// shows maps a content path to the outputs that show its body;
	// undeclared are the outputs without a declaration.
	shows      map[string][]int
	undeclared []int
	// cards maps a content path to the outputs that show its body only as
	// its script card, which an edit splices in place of the old card.
	cards   map[string][]int
	statics []staticFile // the static files, for checking new outputs' paths
	snap    *Snapshot
	src     map[string][]byte // content file (content path, ".md" included) → its front matter bytes
	good    bool              // the last update succeeded: the state is one consistent build
}

// NewLive builds the site into memory. Options are as for Build; Dest is
// not used. On content errors it returns them and a Live that can be
// updated once they are fixed.
func NewLive(ctx context.Context, o Options) (*Live, error) {
	if err := o.normalize(); err != nil {
		return nil, err
	}
	o.history = readHistory(ctx, o) // once: commits made while serving show after a restart
	l := &Live{o: o}
	_, err := l.full(ctx)
	return l, err
}

// Options returns the options the site is built with, normalised.
func (l *Live) Options() Options { return l.o }

// GitNote says why pages lack dates from git although the site is in git,
// or "" (see Site.GitNote); git is read once, when Live starts.
func (l *Live) GitNote() string { return l.o.history.note }

// Snapshot returns the last good build, or nil when there has been none.
func (l *Live) Snapshot() *Snapshot { return l.snap }

// Update brings the build up to date after changes to files under the
// site folder (absolute paths or relative to it). It returns how much it
// rebuilt. On error the previous snapshot stays current.
func (l *Live) Update(ctx context.Context, changed []string) (Change, error) {
	kind, pages := l.Classify(changed)
	if !l.good && kind != ChangeNone {
		kind = ChangeFull // after a failed update only a full build is known to be consistent
	}
	switch kind {
	case ChangeNone:
		return kind, nil
	case ChangeCSS, ChangeStatic:
		return kind, l.static()
	case ChangeBody:
		done, err := l.bodies(ctx, pages)
		if done || err != nil {
			if err != nil {
				l.good = false
			}
			return kind, err
		}
		return l.pages(ctx, pages)
	case ChangePages:
		return l.pages(ctx, pages)
	}
	return l.full(ctx)
}

// Classify sorts changed paths into the smallest rebuild that covers them;
// for ChangeBody and ChangePages it also returns the content files
// ("cases/acme.md").
func (l *Live) Classify(changed []string) (Change, []string) {
	kind := ChangeNone
	var pages []string
	var static bool
	raise := func(k Change) { kind = max(kind, k) }
	for _, c := range changed {
		rel := c
		if filepath.IsAbs(c) {
			var err error
			if rel, err = filepath.Rel(l.o.Site, c); err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
		}
		rel = filepath.ToSlash(rel)
		first, rest, _ := strings.Cut(rel, "/")
		themeStatic := first == "themes" && strings.Contains(rest, "/static/")
		switch {
		case first == "static" || themeStatic:
			static = true
			if strings.EqualFold(filepath.Ext(rel), ".css") {
				raise(ChangeCSS)
			} else {
				raise(ChangeStatic)
			}
		case first == "content" && strings.EqualFold(filepath.Ext(rel), ".md"):
			if _, known := l.src[rest]; known && fileExists(filepath.Join(l.o.Site, filepath.FromSlash(rel))) {
				raise(ChangeBody)
			} else {
				raise(ChangePages) // a page added, removed or renamed
			}
			pages = append(pages, rest)
		case first == "public", first == ".playbook", strings.HasPrefix(first, "."):
			// output
		default:
			// playbook.yaml, synonyms, themes, other files in content/, and
			// archetypes/, which the build checks though only new reads them
			raise(ChangeFull)
		}
	}
	if static && pages != nil {
		raise(ChangeFull) // static files and pages at once (a checkout): the pages paths keep the static files
	}
	return kind, pages
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// full rebuilds everything into a new snapshot.
func (l *Live) full(ctx context.Context) (Change, error) {
	l.good = false
	o := l.o
	src, cfg, err := openSite(&o)
	if err != nil {
		return ChangeFull, err
	}
	defer src.Close()
	began := time.Now()
	b, err := buildInMemory(ctx, src, o, cfg)
	if err != nil {
		return ChangeFull, err
	}
	site, th, outs, files := b.site, b.plan.th, b.outs, b.files
	fms := frontMatters(src, site.Parsed(), began)
	l.cfg, l.site, l.th, l.outs, l.src, l.statics = cfg, site, th, outs, fms, b.plan.statics
	l.indexDeps(declare(outs))
	l.md = markdown.New(markdown.Options{Unsafe: cfg.Markup.UnsafeHTML})
	l.snap = &Snapshot{Files: files, Site: site}
	l.good = true
	return ChangeFull, nil
}

// static reads the static files again into a new snapshot. When that
// fails, the next update builds everything, which reports the error again
// until it is fixed.
func (l *Live) static() error {
	src, err := source.Open(l.o.Site)
	if err != nil {
		l.good = false
		return err
	}
	defer src.Close()
	statics, err := staticFiles(src, l.cfg.Theme)
	if err == nil {
		err = render.CheckOutputs(l.outs, staticClaims(statics)) // a static file added at a page's or generated file's path
	}
	if err != nil {
		l.good = false
		return err
	}
	files, err := readStatic(statics)
	if err != nil {
		l.good = false
		return err
	}
	// Rendered files win over static ones, as in Build, where they are
	// written after the copy; static files deleted since are gone.
	for _, o := range l.outs {
		files[o.Path()] = l.snap.Files[o.Path()]
	}
	l.snap = &Snapshot{Files: files, Site: l.site}
	l.statics = statics
	return nil
}

// bodies handles an edit of existing pages. It returns false, nil when the
// edit turns out not to be body-only and the caller must rebuild everything.
func (l *Live) bodies(ctx context.Context, files []string) (bool, error) {
	site, err := source.Open(l.o.Site)
	if err != nil {
		return false, nil
	}
	defer site.Close()
	edits, bodyOnly, err := l.readEdits(site, files)
	if err != nil || !bodyOnly {
		return err != nil, err
	}
	shown, oldCards := l.applyEdits(edits)
	next := make(map[string][]byte, len(l.snap.Files))
	maps.Copy(next, l.snap.Files)
	if err := renderInto(ctx, next, l.redo(next, shown, oldCards)); err != nil {
		return true, err
	}
	l.snap = &Snapshot{Files: next, Site: l.site}
	return true, nil
}

// bodyEdit is a new body for a page the site shows.
type bodyEdit struct {
	page *model.Page
	src  []byte // the new markdown
	body model.Body
}

// readEdits reads and renders the edited files. It reports false when an
// edit is more than a body (front matter, summary or links changed, a file
// gone) and an error when a page no longer parses or renders. Hidden pages
// are checked but give no edit.
func (l *Live) readEdits(site *source.Site, files []string) ([]bodyEdit, bool, error) {
	var edits []bodyEdit
	for _, rel := range files {
		e, bodyOnly, err := l.readEdit(site, rel)
		if err != nil || !bodyOnly {
			return nil, bodyOnly, err
		}
		if e != nil {
			edits = append(edits, *e)
		}
	}
	return edits, true, nil
}

// readEdit reads one edited file (see readEdits); nil for a hidden page.
func (l *Live) readEdit(site *source.Site, rel string) (*bodyEdit, bool, error) {
	np, src, err := l.parseEdited(site, rel)
	if np == nil || err != nil {
		return nil, err != nil, err
	}
	if fm := frontMatter(src, np); fm == nil || !bytes.Equal(fm, l.src[rel]) {
		return nil, false, nil
	}
	bp := l.site.PageAt(np.Path)
	if bp == nil || bp.Path != np.Path {
		// A hidden page: no output shows it, but its links are still checked.
		if _, errs := l.site.RenderBody(l.md, np); errs != nil {
			return nil, true, errs.Err()
		}
		delete(l.src, rel) // the site keeps its old body: the pages path must parse it again
		return nil, true, nil
	}
	next := *bp.Page
	next.Body = np.Body
	b, errs := l.site.RenderBody(l.md, &next)
	if errs != nil {
		return nil, true, errs.Err()
	}
	if np.Summary == "" && b.Summary() != bp.Summary || !b.LinksAsBefore(bp) {
		return nil, false, nil // lists, backlinks or the API show the change
	}
	return &bodyEdit{bp, np.Body, b}, true, nil
}

// parseEdited reads and parses content/rel. It returns a nil page and no
// error when the file cannot be read (a full build reports it), and the
// parse error when it does not parse.
func (l *Live) parseEdited(site *source.Site, rel string) (*content.Page, []byte, error) {
	f, err := site.Stat("content/" + rel)
	if err != nil {
		return nil, nil, nil // a full build reports it
	}
	src, err := site.ReadFile(f, source.MaxFileSize)
	if err != nil {
		return nil, nil, nil
	}
	np, errs := content.Parse(rel, src, l.cfg.Rules())
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	return np, src, nil
}

// applyEdits gives the pages their new bodies. It returns the paths of the
// pages edited and the script cards they had before (those no output
// showed are "").
func (l *Live) applyEdits(edits []bodyEdit) (shown map[string]bool, oldCards map[string]template.HTML) {
	shown, oldCards = map[string]bool{}, map[string]template.HTML{}
	for _, e := range edits {
		oldCards[e.page.Path] = e.page.Card().Shown() // "" when no output showed it
		e.page.Page.Body = e.src
		e.page.SetBody(e.body) // its script card too: it shows the body
		if e.page.Training != nil && !e.page.IsSection {
			l.site.RenderSlides(l.md, e.page) // slides, handout and the module page show its parts
		}
		shown[e.page.Path] = true
	}
	return shown, oldCards
}

// redo returns the outputs to render again after the pages in shown got new
// bodies: those that show them, and those that declare nothing. An output
// that shows an edited page only as its card gets the new card spliced into
// files instead.
func (l *Live) redo(files map[string][]byte, shown map[string]bool, oldCards map[string]template.HTML) []render.Output {
	again := map[int]bool{}
	for _, i := range l.undeclared {
		again[i] = true
	}
	for p := range shown {
		for _, i := range l.shows[p] {
			again[i] = true
		}
	}
	// Splicing, not rendering: the script library at 10,000 pages is a page
	// of megabytes, and rendering it again took most of a save's rebuild.
	// Where the old card cannot be found exactly once, it is rendered.
	for p := range shown {
		for _, i := range l.cards[p] {
			if !again[i] && !l.splice(files, l.outs[i].Path(), oldCards[p], l.site.PageAt(p)) {
				again[i] = true
			}
		}
	}
	var redo []render.Output
	for i := range again {
		redo = append(redo, l.outs[i])
	}
	return redo
}

// splice replaces the one copy of old, page p's previous script card, in
// the output at path with p's card as it is now. It reports false when it
// could not: no previous card, or not exactly one copy of it.
func (l *Live) splice(files map[string][]byte, path string, old template.HTML, p *model.Page) bool {
	prev := files[path]
	if old == "" || p == nil {
		return false
	}
	at := bytes.Index(prev, []byte(old))
	if at < 0 || bytes.Contains(prev[at+len(old):], []byte(old)) {
		return false
	}
	card, err := render.ScriptCard(l.th, p)
	if err != nil {
		return false // rendering the output reports the error
	}
	next := make([]byte, 0, len(prev)-len(old)+len(card))
	next = append(next, prev[:at]...)
	next = append(next, card...)
	next = append(next, prev[at+len(old):]...)
	files[path] = next
	return true
}

// declare reads each output's declaration; nil for those without one.
func declare(outs []render.Output) []*render.Deps {
	decl := make([]*render.Deps, len(outs))
	for i, o := range outs {
		decl[i] = o.Declared()
	}
	return decl
}

// indexDeps keeps the declarations of l.outs and inverts the bodies and
// cards they show, once per rebuild of the site model.
func (l *Live) indexDeps(decl []*render.Deps) {
	l.decl = decl
	l.shows, l.undeclared, l.cards = map[string][]int{}, nil, map[string][]int{}
	for i, d := range decl {
		if d == nil {
			l.undeclared = append(l.undeclared, i)
			continue
		}
		for _, p := range d.Bodies() {
			l.shows[p] = append(l.shows[p], i)
		}
		for _, p := range d.Cards() {
			l.cards[p] = append(l.cards[p], i)
		}
	}
}

// renderInto renders outputs in parallel into files.
func renderInto(ctx context.Context, files map[string][]byte, outs []render.Output) error {
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, out := range outs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			// The file's last rendering sizes the buffer: growing one by
			// doubling, a page of megabytes (the script library at 10,000
			// pages) spent most of its time zeroing new memory.
			mu.Lock()
			hint := len(files[out.Path()])
			mu.Unlock()
			var buf bytes.Buffer
			buf.Grow(hint + hint/16)
			if err := out.Render(&buf); err != nil {
				return fmt.Errorf("render %s: %w", out.Path(), err)
			}
			data := buf.Bytes()
			if cap(data)-len(data) > len(data)/8 {
				data = bytes.Clone(data) // the spare capacity would stay in memory as long as the build
			}
			mu.Lock()
			files[out.Path()] = data
			mu.Unlock()
			return nil
		})
	}
	return g.Wait()
}

// frontMatters maps each parsed content file to its front matter: the
// bytes before the body the build parsed. A file modified since the build
// began may not be what the build read, so it gets no entry and its next
// save rebuilds everything.
func frontMatters(src *source.Site, pages []*content.Page, began time.Time) map[string][]byte {
	m := make(map[string][]byte, len(pages))
	for _, p := range pages {
		f, err := src.Stat(p.File)
		if err != nil || !f.ModTime.Before(began) {
			continue
		}
		data, err := src.ReadFile(f, source.MaxFileSize)
		if err != nil {
			continue
		}
		if fm := frontMatter(data, p); fm != nil {
			m[strings.TrimPrefix(p.File, "content/")] = fm
		}
	}
	return m
}

// frontMatter is the part of src before the page's body: equal front
// matters decode to equal pages. It is nil when src does not end in the body.
func frontMatter(src []byte, p *content.Page) []byte {
	if p == nil {
		return append([]byte("unparsable\x00"), src...) // never equal to a parsable file's
	}
	src = content.Normalize(src)
	if !bytes.HasSuffix(src, p.Body) {
		return nil
	}
	return src[:len(src)-len(p.Body)]
}

// SearchInput returns the documents and options of a search index of what
// the current snapshot shows, as BuildSearchIndex would index them. Call it
// from the goroutine that updates l; indexing them may then go on anywhere.
func (l *Live) SearchInput() ([]search.Doc, []search.Option, error) {
	if l.snap == nil {
		return nil, nil, nil
	}
	docs := make([]search.Doc, 0, len(l.site.Pages))
	for _, p := range l.site.Pages {
		docs = append(docs, SearchDoc(p))
	}
	return docs, []search.Option{search.WithSynonyms(l.site.Synonyms()),
		search.WithLabels(choiceNames(l.cfg.Stages), choiceNames(l.cfg.Roles))}, nil
}
