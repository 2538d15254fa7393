package content

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
)

// Site is every parsed page, indexed by content path.
type Site struct {
	Pages  []*Page
	byPath map[string]*Page
}

// NewSite indexes pages by their content path.
func NewSite(pages []*Page) *Site {
	s := &Site{Pages: pages, byPath: make(map[string]*Page, len(pages))}
	for _, p := range pages {
		s.byPath[p.Path] = p
	}
	return s
}

// Get returns the page at a content path ("cases/acme"), if any.
func (s *Site) Get(p string) *Page { return s.byPath[p] }

// ResolveLink finds the page a markdown link destination in from names:
// "../cases/acme.md#facts", "/cases/acme.md" or "acme". It returns nil
// for links that are not to content files (web addresses, images, …).
func (s *Site) ResolveLink(from *Page, dest string) (target *Page, fragment string, isContent bool) {
	p, frag, withMD, ok := LinkPath(from, dest)
	if !ok {
		return nil, "", false
	}
	if t := s.byPath[p]; t != nil {
		return t, frag, true
	}
	if t := s.byPath[p+"/_index"]; t != nil {
		return t, frag, true
	}
	// A path without .md that names no page may be a static file or a
	// generated page (/tags/价格/): leave it alone.
	return nil, frag, withMD
}

// LinkPath is the content path a link destination in from names, whether
// or not that page exists; ok is false for links that cannot name a
// content file. A missing page's path lets errors about it fold under the
// error of its own file (Errors.Err).
func LinkPath(from *Page, dest string) (p, fragment string, withMD, ok bool) {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return "", "", false, false
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "", "", false, false
	}
	p = u.Path
	withMD = strings.HasSuffix(p, ".md")
	if !withMD && (path.Ext(p) != "" || p == "") {
		return "", "", false, false // a static file such as ../img/a.png
	}
	dir := path.Dir(from.Path)
	if from.IsSection {
		dir = strings.TrimSuffix(from.Path, "/_index")
		if dir == "_index" {
			dir = "."
		}
	}
	if strings.HasPrefix(p, "/") {
		p = path.Clean(strings.TrimPrefix(p, "/"))
	} else {
		p = path.Join(dir, p)
	}
	return strings.TrimSuffix(p, ".md"), u.Fragment, withMD, true
}

// Check validates what needs the whole site: every front matter reference
// resolves (to a page of the right type), no two pages or aliases claim one
// URL, and training prerequisites have no cycle.
func (s *Site) Check() Errors {
	var errs Errors
	errs = append(errs, s.checkRefs()...)
	errs = append(errs, s.checkURLs()...)
	errs = append(errs, s.checkCycles()...)
	errs.Sort()
	return errs
}

func (s *Site) checkRefs() Errors {
	var errs Errors
	for _, p := range s.Pages {
		for _, r := range p.Refs() {
			t := s.byPath[r.Target]
			switch {
			case t == nil:
				e := NewError(p.File, p.Line(r.Key), r.Key, KindRefMissing, r.Target, s.example(r.Want))
				if near := s.nearest(r.Target); near != "" {
					e = NewError(p.File, p.Line(r.Key), r.Key, KindRefMissingNear, r.Target, s.example(r.Want), near)
				}
				e.Target = r.Target
				errs = append(errs, e)
			case r.Want != "" && t.Type != r.Want:
				errs = append(errs, NewError(p.File, p.Line(r.Key), r.Key, KindRefWrongType, r.Target, t.Type, r.Want))
			}
		}
	}
	return errs
}

// example returns a real content path of the wanted type for messages.
func (s *Site) example(want string) string {
	for _, p := range s.Pages {
		if !p.IsSection && (want == "" || p.Type == want) {
			return p.Path
		}
	}
	if want == "" {
		return "cases/acme"
	}
	return TypeSection(want) + "/name"
}

func (s *Site) nearest(target string) string {
	best, bestD := "", 4
	for _, p := range s.Pages {
		if d := editDistance(strings.ToLower(target), strings.ToLower(p.Path)); d < bestD {
			best, bestD = p.Path, d
		}
	}
	return best
}

// URLClaim is a URL some file wants to write.
type URLClaim struct {
	URL, File, Field string
	Line             int
}

func (s *Site) checkURLs() Errors {
	var claims []URLClaim
	for _, p := range s.Pages {
		claims = append(claims, URLClaim{URL: p.URL, File: p.File, Line: p.Line("slug"), Field: "slug"})
		for i, a := range p.Aliases {
			claims = append(claims, URLClaim{URL: a, File: p.File, Line: p.AliasLine(i), Field: "aliases"})
		}
	}
	return CheckClaims(claims)
}

// CheckClaims reports every URL claimed more than once, naming both claimants.
func CheckClaims(claims []URLClaim) Errors {
	first := map[string]URLClaim{}
	var errs Errors
	for _, c := range claims {
		key := strings.ToLower(c.URL) // case-insensitive file systems would merge them
		if f, ok := first[key]; ok {
			if f.File == c.File && f.Field == "aliases" && c.Field == "aliases" {
				continue // one page's aliases in two letter cases: the same redirect
			}
			by := f.File
			if f.Line > 0 {
				by = fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			errs = append(errs, NewError(c.File, c.Line, c.Field, KindURLClash, c.URL, by))
			continue
		}
		first[key] = c
	}
	return errs
}

// checkCycles finds prerequisite cycles with a depth-first walk.
func (s *Site) checkCycles() Errors {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var errs Errors
	var stack []string
	var visit func(p *Page)
	visit = func(p *Page) {
		state[p.Path] = active
		stack = append(stack, p.Path)
		for _, pre := range p.Training.Prerequisites {
			t := s.byPath[pre]
			if t == nil || t.Training == nil {
				continue
			}
			switch state[t.Path] {
			case active:
				i := slices.Index(stack, t.Path)
				cycle := append(append([]string{}, stack[i:]...), t.Path)
				files := make([]string, 0, len(cycle)-1)
				for _, c := range cycle[:len(cycle)-1] {
					files = append(files, s.byPath[c].File)
				}
				errs = append(errs, NewError(p.File, p.Line("prerequisites"), "prerequisites", KindPrereqCycle,
					strings.Join(cycle, " → "), strings.Join(files, ", ")))
			case unseen:
				visit(t)
			}
		}
		stack = stack[:len(stack)-1]
		state[p.Path] = done
	}
	paths := make([]*Page, 0)
	for _, p := range s.Pages {
		if p.Training != nil {
			paths = append(paths, p)
		}
	}
	sort.Slice(paths, func(i, j int) bool { return paths[i].Path < paths[j].Path })
	for _, p := range paths {
		if state[p.Path] == unseen {
			visit(p)
		}
	}
	return errs
}
