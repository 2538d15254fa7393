// Package builder turns a site folder into a static site: it reads and
// checks content, renders markdown, derives list and taxonomy pages, renders
// them with the theme and swaps the result into the destination at once.
//
// Build is the pipeline as a list of steps:
//
//	load config → read and parse content → check the whole site →
//	keep published pages → render markdown → assemble sections, taxonomies,
//	backlinks → list the outputs and check that each URL has one claimant →
//	render layouts into a temporary folder → swap it into place →
//	index the published pages for search (SITE/.playbook/index)
//
// Any content error stops the build before a file is written, so the
// destination is always either the previous build or the new one.
//
// The site model the templates see — pages, sections, taxonomies and the
// views on them — is package builder/model, made from the parsed pages
// with no file I/O; package builder/render lists the outputs and renders
// each into a writer. This package reads the files, writes the outputs
// for build (plan.go), holds them in memory for serve (Live) and renders
// them for check, and swaps a build into place.
package builder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/source"
	"golang.org/x/sync/errgroup"
)

// Options say what to build and how; the zero value builds "." into "./public".
type Options struct {
	Site    string    // site folder holding playbook.yaml and content/
	Dest    string    // output folder; default SITE/public
	Drafts  bool      // include drafts
	Future  bool      // include pages whose publishDate is after Now
	Expired bool      // include pages whose expiryDate is before Now
	BaseURL string    // overrides baseURL of playbook.yaml
	Now     time.Time // the clock for publishing and staleness; default time.Now()
	NowText string    // --now as typed; when set, read in the site's time zone and used as Now
	Version string    // shown in the theme's footer
	NoGit   bool      // take dates from front matter only; never run git

	history *history // read once by Live and kept across rebuilds; nil: Load reads it
}

// Result summarises a build.
type Result struct {
	Site     *model.Site
	PerType  map[string]int // published pages per type
	Hidden   int            // pages left out as draft, future or expired
	Files    int            // files written
	Duration time.Duration
	Dest     string
}

// ErrDest marks a destination a build must not replace: one that is or
// holds the source, or one that Playbook did not write (checkReplaceable).
var ErrDest = errors.New("unsafe destination")

// Build builds the site. Content problems come back as content.Errors,
// every one of them; nothing is written then.
func Build(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	if err := o.normalize(); err != nil {
		return nil, err
	}
	if err := checkReplaceable(o.Site, o.Dest); err != nil {
		return nil, err
	}
	src, cfg, err := openSite(&o)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	fingerprint := SourceFingerprint(o.Site) // search index hook: before reading (searchindex.go)
	site, hidden, plan, err := loadPlan(ctx, src, o, cfg)
	if err != nil {
		return nil, err
	}
	defer plan.search.Stop() // the search export ends with the build (render/staticsearch.go)
	// Writing the site and indexing it for search read the same pages and
	// nothing else: do both at once.
	var files int
	var g errgroup.Group
	g.Go(func() (err error) { files, err = writeSite(ctx, o, plan); return err })
	g.Go(func() error { // SITE/.playbook/index
		err := BuildSearchIndex(o, site, fingerprint)
		plan.search.Indexed(SearchIndexDir(o.Site), err) // the static search's files wait for it (render/staticsearch.go)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := &Result{Site: site, PerType: map[string]int{}, Hidden: hidden, Files: files, Dest: o.Dest}
	for _, p := range site.Pages {
		res.PerType[p.Type]++
	}
	res.Duration = time.Since(start)
	return res, nil
}

// applyNow reads NowText in the site's time zone: "--now 2026-11-23" on a
// UTC server means midnight in Shanghai, as the site's dates do.
func (o *Options) applyNow(cfg *config.Config) error {
	if o.NowText == "" {
		return nil
	}
	t, err := content.ParseDate(o.NowText, cfg.Location)
	if err != nil {
		return fmt.Errorf("--now: %w", err)
	}
	o.Now = t
	return nil
}

func (o *Options) normalize() error {
	if o.Site == "" {
		o.Site = "."
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	site, err := filepath.Abs(o.Site)
	if err != nil {
		return err
	}
	o.Site = site
	if st, err := os.Stat(filepath.Join(site, "content")); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: no content/ folder; run playbook in a site folder or pass -s SITE", site)
	}
	if o.Dest == "" {
		o.Dest = filepath.Join(site, "public")
	}
	if o.Dest, err = filepath.Abs(o.Dest); err != nil {
		return err
	}
	return checkDest(o.Site, o.Dest)
}

// checkDest refuses a destination that is, or contains, the site or one of
// its source folders, since the swap would delete them.
func checkDest(site, dest string) error {
	within := func(child, parent string) bool {
		rel, err := filepath.Rel(parent, child)
		return err == nil && (rel == "." || !strings.HasPrefix(rel, ".."))
	}
	if within(site, dest) {
		return fmt.Errorf("%w: %s is or contains the site folder %s", ErrDest, dest, site)
	}
	for _, src := range []string{"content", "static", "themes", "archetypes"} {
		if within(dest, filepath.Join(site, src)) {
			return fmt.Errorf("%w: %s is inside the source folder %s/", ErrDest, dest, src)
		}
	}
	return nil
}

// Load reads, checks and renders the content of a site without writing
// anything. It returns the site and how many pages it left out as hidden.
func Load(ctx context.Context, o Options, cfg *config.Config) (*model.Site, int, error) {
	src, err := source.Open(o.Site)
	if err != nil {
		return nil, 0, err
	}
	defer src.Close()
	return load(ctx, src, o, cfg)
}

// load is Load with the site folder open: every file it reads, and every
// other file the build will read, keeps the source rule (sources.go).
func load(ctx context.Context, src *source.Site, o Options, cfg *config.Config) (*model.Site, int, error) {
	pages, errs := readContent(ctx, src, cfg.Rules())
	errs = append(errs, checkSources(src, cfg)...)
	synonyms, synErrs := readSynonyms(src)
	errs = append(errs, synErrs...)
	hist := o.history
	if hist == nil {
		hist = readHistory(ctx, o)
	}
	in := siteInput{o: o, cfg: cfg, pages: pages, synonyms: synonyms, hist: hist, misses: loadMisses(o.Site)}
	return in.build(ctx, errs)
}

// siteInput is what a site is made of once its files are read: the parsed
// pages (hidden ones too) and the site-wide files beside them.
type siteInput struct {
	o        Options
	cfg      *config.Config
	pages    []*content.Page
	synonyms [][]string
	hist     *history
	misses   model.MissReport
	// reuse gives a page the body it had in the previous build, when
	// nothing it shows has changed since (serve, livepages.go); nil: render all.
	reuse func(*model.Page) bool
}

// build makes the site model of the input (model.Make). errs are the
// reading's errors.
func (in siteInput) build(ctx context.Context, errs content.Errors) (*model.Site, int, error) {
	return model.Make(ctx, model.Input{
		Config: in.cfg, Now: in.o.Now, Version: in.o.Version,
		Drafts: in.o.Drafts, Future: in.o.Future, Expired: in.o.Expired,
		Pages: in.pages, Synonyms: in.synonyms, Misses: in.misses,
		GitNote: in.hist.note, Dated: in.hist.apply, Reuse: in.reuse,
	}, errs)
}

// readContent parses every .md file under content/ in parallel.
func readContent(ctx context.Context, src *source.Site, rules *content.Rules) ([]*content.Page, content.Errors) {
	walked, errs := src.Walk("content", source.Hidden)
	var files []source.File
	for _, f := range walked {
		if !f.Dir && strings.EqualFold(path.Ext(f.Name), ".md") {
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	pages := make([]*content.Page, len(files))
	perFile := make([]content.Errors, len(files))
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			data, err := src.ReadFile(f, source.MaxFileSize)
			if err != nil {
				perFile[i] = content.Errors{source.AsError(f.Name, err)}
				return nil
			}
			pages[i], perFile[i] = content.Parse(strings.TrimPrefix(f.Name, "content/"), data, rules)
			return nil
		})
	}
	_ = g.Wait()
	var out []*content.Page
	for i := range files {
		errs = append(errs, perFile[i]...)
		if pages[i] != nil {
			out = append(out, pages[i])
		}
	}
	return out, errs
}
