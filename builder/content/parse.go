package content

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Choice is an allowed key with its display name, e.g. a sales stage.
type Choice struct {
	Key  string `yaml:"key" json:"key"`
	Name string `yaml:"name" json:"name"`
}

// Rules are the site settings that decide whether a field is valid.
type Rules struct {
	Stages      []Choice
	Roles       []Choice
	Location    *time.Location      // for dates written without a zone; UTC when nil
	ReviewEvery map[string]Duration // default review interval per type
}

func (r *Rules) location() *time.Location {
	if r == nil || r.Location == nil {
		return time.UTC
	}
	return r.Location
}

// Parse decodes one content file. rel is its path inside content/ with
// forward slashes ("cases/acme.md"); errors name it as "content/" + rel.
// Every problem of the file is returned, not only the first.
func Parse(rel string, src []byte, rules *Rules) (*Page, Errors) {
	file := "content/" + rel
	src = Normalize(src)
	if err := checkText(src); err != nil {
		err.File = file
		return nil, Errors{err}
	}

	p := &Page{File: file}
	setLocation(p, rel)
	m, body, err := splitFrontMatter(src)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.File = file
			return nil, Errors{e}
		}
		return nil, Errors{{File: file, Line: 1, Field: "front matter", Msg: err.Error()}}
	}
	p.Body = body
	p.BodyLine = 1 + bytes.Count(src[:len(src)-len(body)], []byte("\n"))
	if m == nil {
		// No front matter: decode an empty one, so typed fields get their
		// defaults, with the title taken from the body.
		m = &matter{values: map[string]any{"title": deriveTitle(p, rel)}, lines: map[string]int{}, start: 1}
	} else {
		p.HasFrontMatter, p.Format = true, m.format
	}
	p.lines = m.lines
	d := &decoder{file: file, m: m, rules: rules, known: map[string]bool{}}
	decodeCommon(d, p)
	if k, ok := kinds[p.Type]; ok {
		k.decode(d, p)
	}
	p.Extra = extras(d, p.Type)
	if err := checkFileName(rel); err != nil {
		err.File = file
		d.errs = append(d.errs, err)
	}
	d.errs.Sort()
	return p, d.errs
}

var bom = []byte("\ufeff")

// Normalize returns src as Parse reads it: without the byte-order marks it
// starts with (editors add one, and files joined by tools carry two), and
// with every line ending — CRLF (Windows) or a lone CR (classic Mac OS,
// some exports) — turned into LF. Markdown reads all three as line ends,
// so the body means the same; front matter would not be found otherwise.
func Normalize(src []byte) []byte {
	for bytes.HasPrefix(src, bom) {
		src = src[len(bom):]
	}
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
}

// checkText rejects binary and non-UTF-8 files with the line of the first bad byte.
func checkText(src []byte) *Error {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return NewError("", 1+bytes.Count(src[:i], []byte("\n")), "file", KindBinary)
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return NewError("", 1+bytes.Count(src[:i], []byte("\n")), "file", KindNotUTF8)
		}
		i += n
	}
	return nil
}

// setLocation derives section, type, slug and URL from the file path.
func setLocation(p *Page, rel string) {
	p.Path = rel[:len(rel)-len(path.Ext(rel))] // .md, .MD, …
	dir, base := path.Split(p.Path)
	dir = strings.TrimSuffix(dir, "/")
	if i := strings.IndexByte(rel, '/'); i > 0 {
		p.Section = rel[:i]
	}
	p.Type = TypePage
	if t, ok := sectionTypes[p.Section]; ok {
		p.Type = t
	}
	if base == "_index" {
		p.IsSection = true
		p.URL = "/"
		if dir != "" {
			p.URL = "/" + dir + "/"
		}
		return
	}
	p.Slug = base
	p.URL = pageURL(dir, base)
}

func pageURL(dir, slug string) string {
	if dir == "" {
		return "/" + slug + "/"
	}
	return "/" + dir + "/" + slug + "/"
}

var (
	h1RE    = regexp.MustCompile(`^#[ \t]+(.+?)[ \t#]*$`)
	fenceRE = regexp.MustCompile("^ {0,3}(```|~~~)")
)

// deriveTitle names a page without front matter after its first "# "
// heading outside code blocks, which is then removed from the body, or else
// its file name.
func deriveTitle(p *Page, rel string) string {
	fence := ""
	for off := 0; off < len(p.Body); {
		end := bytes.IndexByte(p.Body[off:], '\n')
		if end < 0 {
			end = len(p.Body)
		} else {
			end += off
		}
		line := p.Body[off:end]
		if m := fenceRE.FindSubmatch(line); m != nil {
			if fence == "" {
				fence = string(m[1])
			} else if fence == string(m[1]) {
				fence = ""
			}
		} else if m := h1RE.FindSubmatch(line); m != nil && fence == "" {
			title := string(m[1])
			p.Body = append(p.Body[:off:off], p.Body[end:]...)
			return title
		}
		off = end + 1
	}
	if p.IsSection {
		if dir := path.Dir(p.Path); dir != "." {
			return path.Base(dir)
		}
		return "home" // themes title the home page after the site
	}
	return p.Slug
}

func decodeCommon(d *decoder, p *Page) {
	if t := d.str("type"); t != "" {
		p.Type = d.enumValue("type", t, Types)
		if p.Type == "" {
			p.Type = TypePage
		}
	}
	p.Title = d.str("title")
	if p.Title == "" {
		d.fail("title", KindTitleRequired)
	}
	if s := d.str("slug"); s != "" && !p.IsSection {
		if !validSlug(s) {
			d.fail("slug", KindBadSlug, s)
		} else if n := utf8.RuneCountInString(s); n > MaxTermRunes {
			d.fail("slug", KindTooLong, MaxTermRunes, n)
		} else {
			p.Slug = s
			dir, _ := path.Split(p.Path)
			p.URL = pageURL(strings.TrimSuffix(dir, "/"), s)
		}
	}
	for i, a := range d.strs("aliases") {
		u, problem := cleanAlias(a)
		line := d.line(fmt.Sprintf("aliases[%d]", i+1)) // the item's own line in a block list
		switch {
		case problem != nil:
			d.errs = append(d.errs, errorFor(d.file, line, "aliases", problem))
		case strings.EqualFold(u, p.URL):
			d.errs = append(d.errs, NewError(d.file, line, "aliases", KindAliasOwnURL, a))
		case !slices.Contains(p.Aliases, u): // listed twice: one redirect page
			p.Aliases = append(p.Aliases, u)
			p.aliasLines = append(p.aliasLines, line)
		}
	}
	p.Weight = d.integer("weight", math.MinInt32, math.MaxInt32)
	p.Date = d.date("date")
	p.Lastmod = d.date("lastmod")
	p.PublishDate = d.date("publishDate")
	p.ExpiryDate = d.date("expiryDate")
	p.Draft = d.boolean("draft")
	p.Summary = d.str("summary")
	p.Tags = d.terms("tags")
	p.Industries = d.terms("industries")
	p.Regions = d.terms("regions")
	p.Stages = d.keyList("stages", d.rules.Stages)
	p.Roles = d.keyList("roles", d.rules.Roles)
	p.Owner = d.str("owner")
	p.Reviewed = d.date("reviewed")
	p.ReviewEvery = d.rules.ReviewEvery[p.Type]
	if s := d.str("review_every"); s != "" {
		dur, err := ParseDuration(s)
		if err != nil {
			d.failErr("review_every", err)
		}
		p.ReviewEvery = dur
	}
	p.Related = d.refs("related")
}

// unknownFields flags keys of a quiz question or action the contract does not define.
func unknownFields(d *decoder, at string, m map[string]any, allowed ...string) {
	for k := range m {
		if !slices.Contains(allowed, k) {
			d.fail(at, KindUnknownField, k, strings.Join(allowed, ", "))
		}
	}
}

// extras keeps keys outside the contract for templates, but stops keys that
// are a slip away from a contract key ("stage" for "stages"), which would
// otherwise vanish silently.
func extras(d *decoder, typ string) map[string]any {
	known := append(append([]string{}, commonKeys...), typeKeys[typ]...) // in the order decoding reads them
	var out map[string]any
	for k, v := range d.m.values {
		if d.known[k] {
			continue
		}
		if near := nearKey(k, known); near != "" {
			d.fail(k, KindNearMiss, near)
			continue
		}
		if f, ok := nonFinite(v); ok {
			d.fail(k, KindNotFinite, f) // JSON cannot hold it
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		out[k] = v
	}
	return out
}

func nearKey(k string, known []string) string {
	lk := strings.ToLower(k)
	n := utf8.RuneCountInString(lk)
	for _, c := range known {
		limit := 1
		if len(c) >= 6 {
			limit = 2
		}
		// Lengths further apart than the limit cannot be near: skip the
		// distance, which thousands of custom keys would make costly.
		lc := strings.ToLower(c)
		near := len(k) >= 3 && max(n-utf8.RuneCountInString(lc), utf8.RuneCountInString(lc)-n) <= limit && editDistance(lk, lc) <= limit
		if strings.EqualFold(k, c) || near {
			return c
		}
	}
	return ""
}

func editDistance(as, bs string) int {
	a, b := []rune(as), []rune(bs) // Chinese paths: count characters, not bytes
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
