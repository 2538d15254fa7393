package model

import (
	"fmt"
	"html/template"
	"iter"
	"slices"
	"sort"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/markdown"
	"github.com/playbook-sales/playbook/builder/views"
)

func htmlOf(s string) template.HTML { return template.HTML(s) } // markdown output, escaped by goldmark

// taxonomyNames are the taxonomies every site has, in display order.
var taxonomyNames = []string{"stages", "roles", "industries", "regions", "tags"}

// assemble derives sections, taxonomies and backlinks from the published
// pages. (Which URL each of them takes is checked with the outputs: plan.)
func (s *Site) assemble() error {
	sections := map[string]*Section{}
	for _, p := range s.byPath {
		if p.Lastmod.IsZero() {
			p.Lastmod = p.Date
		}
		if p.IsSection {
			if p.Section == "" && p.Path == "_index" {
				s.Home = p
				continue
			}
			if sec := sectionFor(sections, p); p.URL == sec.URL {
				sec.Index = p
			}
			continue
		}
		s.Pages = append(s.Pages, p)
		if p.Section != "" {
			sec := sectionFor(sections, p)
			sec.Pages = append(sec.Pages, p)
		}
	}
	sortPages(s.Pages)
	for _, sec := range sections {
		sortPages(sec.Pages)
		s.Sections = append(s.Sections, sec)
	}
	sort.Slice(s.Sections, func(i, j int) bool { return sectionRank(s.Sections[i]) < sectionRank(s.Sections[j]) })
	s.buildTaxonomies()
	s.linkBack()
	s.records = map[string]views.CompetitorStat{}
	for _, st := range views.Competitors(s.ContentPages()) {
		s.records[st.Path] = st
	}
	return nil
}

func sectionFor(m map[string]*Section, p *Page) *Section {
	sec := m[p.Section]
	if sec == nil {
		sec = &Section{Name: p.Section, URL: "/" + p.Section + "/", Type: content.TypePage}
		m[p.Section] = sec
	}
	if !p.IsSection {
		sec.Type = p.Type
	}
	return sec
}

// sectionRank puts the contract's sections first, in the contract's order.
func sectionRank(s *Section) string {
	for i, t := range content.Types {
		if content.TypeSection(t) == s.Name {
			return fmt.Sprintf("%d", i)
		}
	}
	w := "9"
	if s.Index != nil && s.Index.Weight != 0 {
		w = fmt.Sprintf("8%08d", s.Index.Weight)
	}
	return w + s.Name
}

func (s *Site) buildTaxonomies() {
	for _, name := range taxonomyNames {
		tax := &Taxonomy{Name: name, URL: "/" + name + "/"}
		terms := map[string]*Term{}
		var order []string
		if name == "stages" || name == "roles" { // configured order, display names
			choices := s.Config.Stages
			if name == "roles" {
				choices = s.Config.Roles
			}
			for _, c := range choices {
				terms[c.Key] = &Term{Name: c.Name, Key: c.Key, URL: tax.URL + c.Key + "/"}
				order = append(order, c.Key)
			}
		}
		for _, p := range s.Pages {
			for _, v := range PageTerms(p, name) {
				key := v
				if name != "stages" && name != "roles" {
					key = TermKey(v)
				}
				t := terms[key]
				if t == nil {
					t = &Term{Name: v, Key: key, URL: tax.URL + key + "/"}
					terms[key] = t
					order = append(order, key)
				}
				t.Pages = append(t.Pages, p)
			}
		}
		for _, k := range order {
			if t := terms[k]; len(t.Pages) > 0 {
				tax.Terms = append(tax.Terms, t)
			}
		}
		if name != "stages" && name != "roles" {
			sort.SliceStable(tax.Terms, func(i, j int) bool { return len(tax.Terms[i].Pages) > len(tax.Terms[j].Pages) })
		}
		s.Taxonomies = append(s.Taxonomies, tax)
	}
}

func PageTerms(p *Page, taxonomy string) []string {
	switch taxonomy {
	case "tags":
		return p.Tags
	case "stages":
		return p.Stages
	case "roles":
		if p.Training != nil {
			return append(append([]string{}, p.Roles...), p.Training.Audience...)
		}
		return p.Roles
	case "industries":
		return p.Industries
	case "regions":
		return p.Regions
	}
	return nil
}

// linkBack records, on every page, the published pages that name it.
func (s *Site) linkBack() {
	seen := map[[2]string]bool{}
	all := make([]*Page, 0, len(s.byPath))
	for _, p := range s.byPath {
		all = append(all, p)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	for _, p := range all { // section texts count as links too

		targets := p.linked
		for _, r := range p.Refs() {
			targets = append(targets, r.Target)
		}
		for _, t := range targets {
			tp := s.byPath[t]
			if tp == nil || tp == p || seen[[2]string{p.Path, t}] {
				continue
			}
			seen[[2]string{p.Path, t}] = true
			tp.backlinks = append(tp.backlinks, p)
		}
	}
	for _, p := range s.byPath {
		sortPages(p.backlinks)
	}
}

var termSigns = strings.NewReplacer("+", "p", "#", "sharp")

// TermKey is the URL segment of a free-text term: its slug, keeping what
// tells C++ from C#, and hex for a term of punctuation only ("???").
func TermKey(v string) string {
	k := markdown.Slugify(termSigns.Replace(v))
	if k == "" {
		k = fmt.Sprintf("x%x", v)
	}
	return k
}

// TaxonomyNames are the taxonomies every site has, in display order.
func TaxonomyNames() iter.Seq[string] { return slices.Values(taxonomyNames) }
