package builder

// The search index step of Build: the published pages go into a bleve index
// at SITE/.playbook/index (see package search), written atomically. The
// index records a fingerprint of the site's sources so `playbook search`
// can tell whether it is still current.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/playbook-sales/playbook/search"
)

// SearchIndexDir is where the search index of a site lives. It is derived
// data: safe to delete, rebuilt by playbook build and playbook search.
func SearchIndexDir(site string) string { return filepath.Join(site, ".playbook", "index") }

// Keys of the notes the index keeps about what it was built from.
const (
	noteFingerprint = "fingerprint" // see SourceFingerprint
	noteVisibility  = "visibility"  // which hidden pages the build let in
	noteValidUntil  = "valid_until" // the first expiryDate among its pages (RFC 3339), or ""
)

// BuildSearchIndex writes the search index of a loaded site. fingerprint is
// SourceFingerprint(o.Site) taken before the site was read.
func BuildSearchIndex(o Options, s *model.Site, fingerprint string) (err error) {
	groups := s.Synonyms()
	docs := make([]search.Doc, 0, len(s.Pages))
	validUntil := time.Time{}
	for _, p := range s.Pages {
		docs = append(docs, SearchDoc(p))
		if e := p.ExpiryDate; !e.IsZero() && e.After(o.Now) && (validUntil.IsZero() || e.Before(validUntil)) {
			validUntil = e
		}
	}
	notes := map[string]string{noteFingerprint: fingerprint, noteVisibility: visibility(o)}
	if !validUntil.IsZero() {
		notes[noteValidUntil] = validUntil.UTC().Format(time.RFC3339)
	}
	err = search.Build(SearchIndexDir(o.Site), docs,
		search.WithSynonyms(groups),
		search.WithLabels(choiceNames(s.Config.Stages), choiceNames(s.Config.Roles)),
		search.WithSource(notes))
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// SearchIndexCurrent reports whether the index at SearchIndexDir(o.Site)
// was built from the site's present sources with the same visibility
// switches, and no page in it has expired since.
func SearchIndexCurrent(o Options, m search.Meta) bool {
	o.normalizeSite()
	if m.Source[noteFingerprint] != SourceFingerprint(o.Site) || m.Source[noteVisibility] != visibility(o) {
		return false
	}
	if v := m.Source[noteValidUntil]; v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil || !o.Now.Before(t) {
			return false
		}
	}
	return true
}

func (o *Options) normalizeSite() {
	if o.Site == "" {
		o.Site = "."
	}
	if abs, err := filepath.Abs(o.Site); err == nil {
		o.Site = abs
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
}

func visibility(o Options) string {
	return fmt.Sprintf("drafts=%t future=%t expired=%t", o.Drafts, o.Future, o.Expired)
}

// SourceFingerprint summarises everything an index is built from: the path,
// size and modification time of every file the build reads under content/
// (for a link, of the file it leads to), of playbook.yaml and
// synonyms.yaml, every error the source rule finds there, and the search
// package's revision.
func SourceFingerprint(site string) string {
	src, err := source.Open(site)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	defer src.Close()
	var lines []string
	stat := func(f source.File) {
		lines = append(lines, f.Name+"\t"+strconv.FormatInt(f.Size, 10)+"\t"+strconv.FormatInt(f.ModTime.UnixNano(), 10))
	}
	files, errs := src.Walk("content", source.Hidden)
	for _, f := range files {
		if !f.Dir {
			stat(f)
		}
	}
	for _, name := range []string{config.FileName, search.SynonymsFile} {
		if f, err := src.Stat(name); err == nil {
			stat(f)
		} else if !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, source.AsError(name, err))
		}
	}
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	sort.Strings(lines)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", search.Revision(), strings.Join(lines, "\n"))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func choiceNames(cs []content.Choice) map[string]string {
	m := make(map[string]string, len(cs))
	for _, c := range cs {
		m[c.Key] = c.Name
	}
	return m
}

// SearchDoc is what the search index holds of a page.
func SearchDoc(p *model.Page) search.Doc {
	d := search.Doc{
		Path: p.Path, URL: p.RelURL(), Type: p.Type, Title: p.Title,
		Aliases: append([]string(nil), p.Aliases...), Summary: p.Summary, Headings: p.Headings, Body: p.Text,
		Stages: p.Stages, Roles: p.Roles, Industries: p.Industries, Regions: p.Regions, Tags: p.Tags,
	}
	details := func(parts ...string) {
		for _, s := range parts {
			if s = strings.TrimSpace(s); s != "" {
				d.Details = append(d.Details, s)
			}
		}
	}
	details(p.Owner)
	switch {
	case p.Script != nil:
		d.Objection = p.Script.Objection
		if d.Say = p.FirstSay(); d.Say != "" {
			d.SayURL = p.TalkURL()
		}
	case p.Case != nil:
		details(p.Case.Customer)
		d.Customer = p.Case.Customer
		details(p.Case.Products...)
		details(p.Case.Team...)
		for _, c := range p.RefPages("competitors") {
			d.Competitors = append(d.Competitors, competitorName(c))
		}
	case p.Competitor != nil:
		name := competitorName(p)
		d.Aliases = append(d.Aliases, name)
		d.Competitors = []string{name}
		c := p.Competitor
		details(c.Segment, c.Pricing)
		details(c.Strengths...)
		details(c.Weaknesses...)
		details(c.OurEdge...)
		details(c.Traps...)
	case p.Training != nil:
		t := p.Training
		details(t.Trainer)
		details(t.Objectives...)
		details(t.Tracks...)
		for _, q := range t.Quiz {
			details(q.Question, q.Explain)
		}
	case p.Retro != nil:
		r := p.Retro
		details(r.Period, r.Facilitator)
		details(r.Wins...)
		details(r.Problems...)
		d.Answers = r.Problems
		details(r.Whys...)
		for _, a := range r.Actions {
			details(a.What)
		}
	}
	return d
}

// competitorName is a battlecard's competitor name, else its title.
func competitorName(p *model.Page) string {
	if p.Competitor != nil && p.Competitor.Name != "" {
		return p.Competitor.Name
	}
	return p.Title
}

// Reindex reads the site and writes its search index without building the
// site, for `playbook search` when the index is missing or out of date. It
// returns how many pages went in.
func Reindex(ctx context.Context, o Options) (int, error) {
	if err := o.normalize(); err != nil {
		return 0, err
	}
	src, cfg, err := openSite(&o)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	fingerprint := SourceFingerprint(o.Site)
	site, _, err := load(ctx, src, o, cfg)
	if err != nil {
		return 0, err
	}
	return len(site.Pages), BuildSearchIndex(o, site, fingerprint)
}
