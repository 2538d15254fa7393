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

// commonKeys are the fields every page has.
var commonKeys = []string{"title", "type", "slug", "aliases", "weight", "date", "lastmod", "publishDate",
	"expiryDate", "draft", "summary", "tags", "industries", "regions", "stages", "roles", "owner",
	"reviewed", "review_every", "related"}

// typeKeys are the fields of each type beyond the common ones.
var typeKeys = map[string][]string{
	TypeScript:     {"channel", "objection"},
	TypeCase:       {"customer", "deal_size", "currency", "outcome", "cycle_days", "closed", "team", "products", "competitors"},
	TypeCompetitor: {"competitor", "website", "segment", "pricing", "strengths", "weaknesses", "our_edge", "traps"},
	TypeTraining:   {"session", "duration", "trainer", "audience", "objectives", "prerequisites", "tracks", "materials", "slides", "quiz"},
	TypeRetro:      {"period", "facilitator", "participants", "wins", "problems", "whys", "actions"},
}

// Allowed values of the enumerated fields.
var (
	Channels = []string{"phone", "email", "visit", "im", "meeting"}
	Outcomes = []string{"won", "lost", "open"}
	Statuses = []string{"open", "done", "dropped"}
)

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
	switch p.Type {
	case TypeScript:
		p.Script = decodeScript(d)
	case TypeCase:
		p.Case = decodeCase(d)
	case TypeCompetitor:
		p.Competitor = decodeCompetitor(d, p.Title)
	case TypeTraining:
		p.Training = decodeTraining(d)
	case TypeRetro:
		p.Retro = decodeRetro(d)
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

func decodeScript(d *decoder) *Script {
	return &Script{
		Channel:   d.enum("channel", Channels, ""),
		Objection: d.str("objection"),
	}
}

func decodeCase(d *decoder) *Case {
	c := &Case{
		Customer:    d.str("customer"),
		DealSize:    d.number("deal_size", 0, MaxDealSize),
		Currency:    strings.ToUpper(d.str("currency")),
		Outcome:     d.enum("outcome", Outcomes, "open"),
		CycleDays:   d.integer("cycle_days", 0, MaxCycleDays),
		Closed:      d.date("closed"),
		Team:        d.strs("team"),
		Products:    d.strs("products"),
		Competitors: d.refs("competitors"),
	}
	if c.Currency == "" {
		c.Currency = "CNY"
	} else if !currencyRE.MatchString(c.Currency) {
		d.fail("currency", KindWantCurrency, c.Currency)
	}
	return c
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

func decodeCompetitor(d *decoder, title string) *Competitor {
	c := &Competitor{
		Name:       d.str("competitor"),
		Website:    d.website("website"),
		Segment:    d.str("segment"),
		Pricing:    d.str("pricing"),
		Strengths:  d.strs("strengths"),
		Weaknesses: d.strs("weaknesses"),
		OurEdge:    d.strs("our_edge"),
		Traps:      d.strs("traps"),
	}
	if c.Name == "" {
		c.Name = title
	}
	return c
}

func decodeTraining(d *decoder) *Training {
	t := &Training{
		Session:       d.date("session"),
		Duration:      d.integer("duration", 1, MaxSessionMinutes),
		Trainer:       d.str("trainer"),
		Audience:      d.keyList("audience", d.rules.Roles),
		Objectives:    d.strs("objectives"),
		Prerequisites: d.refs("prerequisites"),
		Tracks:        d.terms("tracks"),
		Materials:     d.refs("materials"),
		Slides:        d.boolean("slides"),
	}
	if t.Duration == 0 {
		t.Duration = 60 // the team's habit: one-hour sessions
	}
	for i, item := range d.list("quiz") {
		t.Quiz = append(t.Quiz, decodeQuestion(d, fmt.Sprintf("quiz[%d]", i+1), item))
	}
	return t
}

func decodeQuestion(d *decoder, at string, m map[string]any) Question {
	var q Question
	unknownFields(d, at, m, "question", "choices", "answer", "explain")
	question, ok := d.scalar(at+".question", m["question"])
	if q.Question = question; ok && question == "" {
		d.fail(at+".question", KindQuestionRequired)
	}
	if c, ok := m["choices"]; ok {
		q.Choices = d.strList(at+".choices", c)
	}
	if len(q.Choices) < 2 {
		d.fail(at+".choices", KindTooFewChoices, len(q.Choices))
	}
	q.Explain, _ = d.scalar(at+".explain", m["explain"])
	var answers []any
	switch a := m["answer"].(type) {
	case nil:
		d.fail(at+".answer", KindAnswerRequired)
	case []any:
		answers = a
	default:
		answers = []any{a}
	}
	for _, a := range answers {
		n := d.intValue(at+".answer", a, 1, math.MaxInt32)
		if n == 0 {
			continue
		}
		if n > len(q.Choices) && len(q.Choices) >= 2 {
			d.fail(at+".answer", KindNoSuchChoice, n, len(q.Choices))
			continue
		}
		q.Answer = append(q.Answer, n)
	}
	return q
}

func decodeRetro(d *decoder) *Retro {
	r := &Retro{
		Period:       d.str("period"),
		Facilitator:  d.str("facilitator"),
		Participants: d.strs("participants"),
		Wins:         d.strs("wins"),
		Problems:     d.strs("problems"),
		Whys:         d.strs("whys"),
	}
	for i, item := range d.list("actions") {
		at := fmt.Sprintf("actions[%d]", i+1)
		unknownFields(d, at, item, "what", "owner", "due", "status")
		a := Action{Line: d.line(at), Status: "open"}
		what, ok := d.scalar(at+".what", item["what"])
		if a.What = what; ok && what == "" {
			d.fail(at+".what", KindWhatRequired)
		}
		a.Owner, _ = d.scalar(at+".owner", item["owner"])
		if v, ok := item["due"]; ok && v != nil {
			a.Due = d.dateValue(at+".due", v)
		}
		if s, _ := d.scalar(at+".status", item["status"]); s != "" {
			a.Status = d.enumValue(at+".status", s, Statuses)
		}
		r.Actions = append(r.Actions, a)
	}
	return r
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
	known := append(append([]string{}, commonKeys...), typeKeys[typ]...)
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
