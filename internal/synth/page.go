package synth

import (
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"
)

var stageKeys = []string{"prospecting", "contact", "discovery", "proposal", "negotiation", "closing", "onboarding", "renewal"}
var stageNames = []string{"潜在客户发现", "客户联系", "需求分析", "方案提供", "谈判", "成交", "交付上线", "续约增购"}
var roleKeys = []string{"manager", "rep", "csm", "support"}

// sample returns k distinct items of xs (fewer when xs is shorter), in a random order.
func sample[T any](r *rand.Rand, xs []T, k int) []T {
	k = min(k, len(xs))
	idx := r.Perm(len(xs))[:k]
	out := make([]T, k)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func day(t time.Time) date { return date(t.Format("2006-01-02")) }

// zone is the site's zone as a fixed offset, enough for writing times.
func (s *site) zone() *time.Location {
	if s.lang == "en" {
		return time.FixedZone("EST", -5*3600)
	}
	return time.FixedZone("CST", 8*3600)
}

// pageFile renders one content file: front matter in the page's format, then the body.
func (s *site) pageFile(p *page) string {
	r := s.rng(uint64(p.i) + 1)
	f, b := s.frontMatter(r, p), s.body(r, p)
	var fm string
	switch p.format {
	case "toml":
		fm = emitTOML(f)
	case "json":
		fm = emitJSON(f)
	default:
		fm = emitYAML(f)
	}
	return fm + "\n" + b
}

func (s *site) others(r *rand.Rand, p *page, typ string, k int) []string {
	pool := s.pages
	if typ != "" {
		pool = s.byType[typ]
	}
	var out []string
	for range k * 2 {
		t := pick(r, pool)
		if t != p && !slices.Contains(out, t.path) {
			out = append(out, t.path)
		}
		if len(out) == k {
			break
		}
	}
	return out
}

// lead puts first before the others, leaving out the others' copy of it.
func lead(first string, others []string) []string {
	out := []string{first}
	for _, o := range others {
		if o != first {
			out = append(out, o)
		}
	}
	return out
}

func (s *site) frontMatter(r *rand.Rand, p *page) fields {
	f := fields{{"title", p.title}}
	add := func(k string, val any) { f = append(f, field{k, val}) }
	// The fields come in a fixed order of random draws: a site is the same
	// for the same seed.
	identityFields(r, p, add)
	created := Now.AddDate(0, 0, -30-r.IntN(1000))
	dateFields(r, p, add, created)
	s.describingFields(r, p, add, created)
	s.typeFields(r, p, add, created)
	return f
}

// identityFields are the keys that name a page: type, slug, aliases, weight.
func identityFields(r *rand.Rand, p *page, add func(string, any)) {
	if p.typ == "script" && p.i%25 == 3 || p.typ == "page" && p.i%31 == 5 {
		add("type", p.typ) // redundant for most, but the key is part of the contract
	}
	if r.IntN(10) == 0 {
		add("slug", fmt.Sprintf("%s-%d", p.typ, p.i))
	}
	if r.IntN(12) == 0 {
		add("aliases", []string{fmt.Sprintf("/old/%s/%d/", p.typ, p.i)})
	}
	if r.IntN(7) == 0 {
		add("weight", 1+r.IntN(20))
	}
}

// dateFields are the page's dates and its draft flag.
func dateFields(r *rand.Rand, p *page, add func(string, any), created time.Time) {
	if p.typ == "retro" || r.IntN(20) != 0 {
		add("date", day(created))
	}
	if r.IntN(10) < 7 {
		add("lastmod", day(created.AddDate(0, 0, r.IntN(int(Now.Sub(created).Hours()/24)+1))))
	}
	switch {
	case p.hidden == "future":
		add("publishDate", day(Now.AddDate(0, 0, 10+r.IntN(200))))
	case r.IntN(7) == 0:
		add("publishDate", day(created))
	}
	switch {
	case p.hidden == "expired":
		add("expiryDate", day(Now.AddDate(0, 0, -1-r.IntN(100))))
	case r.IntN(12) == 0:
		add("expiryDate", day(Now.AddDate(0, 0, 30+r.IntN(400))))
	}
	if p.hidden == "draft" {
		add("draft", true)
	} else if r.IntN(20) == 0 {
		add("draft", false)
	}
}

// describingFields are the summary, taxonomies, owner and review keys.
func (s *site) describingFields(r *rand.Rand, p *page, add func(string, any), created time.Time) {
	v := p.v
	if r.IntN(3) == 0 {
		add("summary", s.sentence(r, p, pick(r, topics[p.typ])))
	}
	if r.IntN(7) != 0 {
		add("tags", sample(r, v.tags, 1+r.IntN(4)))
	}
	if p.typ == "case" || r.IntN(2) == 0 {
		add("industries", lead(p.ind, sample(r, v.industries, 1+r.IntN(2))))
	}
	if p.typ == "case" || r.IntN(5) < 2 {
		add("regions", sample(r, v.regions, 1+r.IntN(2)))
	}
	if p.typ == "script" || r.IntN(2) == 0 {
		add("stages", stagesOf(r, v))
	}
	if r.IntN(5) < 3 {
		add("roles", sample(r, roleKeys, 1+r.IntN(3)))
	}
	if r.IntN(15) != 0 {
		add("owner", pick(r, s.people[v]))
	}
	if r.IntN(4) != 0 {
		add("reviewed", day(created.AddDate(0, 0, r.IntN(int(Now.Sub(created).Hours()/24)+1))))
	}
	if r.IntN(7) == 0 {
		add("review_every", pick(r, []string{"30d", "60d", "90d", "6w", "12w", "3m", "6m", "1y"}))
	}
	if p.typ == "retro" || r.IntN(10) < 3 {
		add("related", s.others(r, p, "", 1+r.IntN(3)))
	}
}

// stagesOf draws a page's sales stages, in zh sometimes by display name,
// which the contract accepts too.
func stagesOf(r *rand.Rand, v *vocab) []string {
	var st []string
	for _, k := range sample(r, stageKeys, 1+r.IntN(3)) {
		if v == zh && r.IntN(8) == 0 {
			for j, key := range stageKeys {
				if key == k {
					k = stageNames[j] // the display name is accepted too
				}
			}
		}
		st = append(st, k)
	}
	return st
}

// typeFields are the keys of the page's content type.
func (s *site) typeFields(r *rand.Rand, p *page, add func(string, any), created time.Time) {
	v := p.v
	switch p.typ {
	case "script":
		add("channel", pick(r, []string{"phone", "email", "visit", "im", "meeting"}))
		add("objection", pick(r, v.objections))
	case "case":
		s.caseFields(r, p, add, created)
	case "competitor":
		add("competitor", p.subject)
		add("website", fmt.Sprintf("https://www.%s.example.com", strings.ToLower(v.competitorA[p.i%len(v.competitorA)]+fmt.Sprint(p.i))))
		add("segment", pick(r, v.segments))
		add("pricing", s.fill(r, v, pick(r, v.pricings), p))
		add("strengths", s.fillAll(r, p, sample(r, v.strengths, 2+r.IntN(3))))
		add("weaknesses", s.fillAll(r, p, sample(r, v.weaknesses, 2+r.IntN(3))))
		add("our_edge", s.fillAll(r, p, sample(r, v.ourEdges, 2+r.IntN(3))))
		add("traps", s.fillAll(r, p, sample(r, v.traps, 2+r.IntN(3))))
	case "training":
		s.trainingFields(r, p, add)
	case "retro":
		add("period", fmt.Sprintf("%s — %s", created.AddDate(0, 0, -90).Format("2006-01-02"), created.AddDate(0, 0, -7).Format("2006-01-02")))
		add("facilitator", pick(r, s.people[v]))
		add("participants", sample(r, s.people[v], 3+r.IntN(4)))
		add("wins", s.fillAll(r, p, sample(r, v.wins, 1+r.IntN(3))))
		add("problems", s.fillAll(r, p, sample(r, v.problems, 1+r.IntN(3))))
		add("whys", s.fillAll(r, p, sample(r, v.whys, 2+r.IntN(4))))
		var acts []fields
		for _, a := range sample(r, v.actions, 1+r.IntN(4)) {
			act := fields{{"what", s.fill(r, v, a, p)}, {"owner", pick(r, s.people[v])},
				{"due", day(Now.AddDate(0, 0, -120+r.IntN(200)))}}
			if r.IntN(5) != 0 {
				act = append(act, field{"status", pick(r, []string{"open", "open", "done", "dropped"})})
			}
			acts = append(acts, act)
		}
		add("actions", acts)
	case "page":
		if r.IntN(20) == 0 {
			add("source", map[*vocab]string{zh: "销售运营部", en: "Sales operations"}[v]) // a key outside the contract, for themes
		}
	}
}

func (s *site) fillAll(r *rand.Rand, p *page, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = s.fill(r, p.v, x, p)
	}
	return out
}

func (s *site) caseFields(r *rand.Rand, p *page, add func(string, any), created time.Time) {
	v := p.v
	add("customer", p.subject)
	add("deal_size", (5+r.IntN(300))*10000)
	if r.IntN(8) == 0 || v == en {
		add("currency", pick(r, []string{"USD", "EUR", "CNY"}))
	}
	outcome := pick(r, []string{"won", "won", "lost", "open"})
	p.outcome = outcome
	if r.IntN(10) != 0 || outcome != "open" {
		add("outcome", outcome)
	}
	cycle := 20 + r.IntN(300)
	add("cycle_days", cycle)
	if outcome != "open" {
		add("closed", day(created.AddDate(0, 0, -r.IntN(14))))
	}
	add("team", sample(r, s.people[v], 1+r.IntN(4)))
	add("products", sample(r, v.products, 1+r.IntN(3)))
	if r.IntN(5) != 0 {
		comps := lead(p.rival.path, s.others(r, p, "competitor", r.IntN(2)))
		add("competitors", comps)
	}
	if r.IntN(4) == 0 {
		add("crm_id", fmt.Sprintf("OPP-%d-%05d", created.Year(), p.i))
	}
}

func (s *site) trainingFields(r *rand.Rand, p *page, add func(string, any)) {
	v := p.v
	ts := s.byType["training"]
	k := 0
	for k < len(ts) && ts[k] != p {
		k++
	}
	week := k*104/max(1, len(ts)) - 52
	fri := Now.In(s.zone())
	for fri.Weekday() != time.Friday {
		fri = fri.AddDate(0, 0, 1)
	}
	at := time.Date(fri.Year(), fri.Month(), fri.Day(), 15, 0, 0, 0, s.zone()).AddDate(0, 0, 7*week)
	if r.IntN(2) == 0 {
		add("session", date(at.Format(time.RFC3339)))
	} else {
		add("session", date(at.Format("2006-01-02T15:04:05")))
	}
	if r.IntN(5) != 0 {
		add("duration", pick(r, []int{45, 60, 90, 120}))
	}
	add("trainer", pick(r, s.people[v]))
	add("audience", sample(r, roleKeys, 1+r.IntN(3)))
	add("objectives", s.fillAll(r, p, s.sentences(r, p, "discovery", 2+r.IntN(3))))
	// Prerequisites come from earlier modules, preferably of the same track: a DAG.
	var pre []string
	for range 4 {
		if k == 0 || len(pre) >= 2 {
			break
		}
		lo := max(0, k-12)
		t := ts[lo+r.IntN(k-lo)]
		if !slices.Contains(pre, t.path) && (t.track == p.track || r.IntN(3) == 0) {
			pre = append(pre, t.path)
		}
	}
	if len(pre) > 0 {
		add("prerequisites", pre)
	}
	add("tracks", lead(p.track, sample(r, v.tracks, r.IntN(2))))
	add("materials", s.others(r, p, "", 1+r.IntN(4)))
	if r.IntN(5) < 2 {
		add("slides", true)
		p.slides = true
	}
	var quiz []fields
	for _, q := range sample(r, v.quiz, r.IntN(4)) {
		var ans any = q.answer[0]
		if len(q.answer) > 1 {
			ans = q.answer
		}
		item := fields{{"question", q.question}, {"choices", q.choices}, {"answer", ans}}
		if r.IntN(4) != 0 {
			item = append(item, field{"explain", q.explain})
		}
		quiz = append(quiz, item)
	}
	if len(quiz) > 0 {
		add("quiz", quiz)
	}
}

func (s *site) sentence(r *rand.Rand, p *page, topic string) string {
	return s.fill(r, p.v, pick(r, p.v.sentences[topic]), p)
}

func (s *site) sentences(r *rand.Rand, p *page, topic string, k int) []string {
	return sample(r, p.v.sentences[topic], k)
}

// bodyWriter builds a markdown body.
type bodyWriter struct {
	s   *site
	r   *rand.Rand
	v   *vocab
	p   *page
	dir string // folder links are relative to
	b   strings.Builder

	footnotes bool // whether para may add footnote references
	notes     int  // footnote references written
}

func (w *bodyWriter) sep() string {
	if w.v == en {
		return " "
	}
	return ""
}

// para writes a paragraph of k sentences from a topic, sometimes with a link.
func (w *bodyWriter) para(topic string, k int) {
	parts := make([]string, 0, k+1)
	for _, t := range sample(w.r, w.v.sentences[topic], k) {
		parts = append(parts, w.s.fill(w.r, w.v, t, w.p))
	}
	if w.r.IntN(3) == 0 && len(w.s.pages) > 1 {
		parts = append(parts, w.link())
	}
	if w.footnotes && w.r.IntN(12) == 0 {
		w.notes++
		parts[len(parts)-1] += fmt.Sprintf("[^%d]", w.notes)
	}
	w.b.WriteString(strings.Join(parts, w.sep()) + "\n\n")
}

// link is a sentence linking to another page by its relative file path.
func (w *bodyWriter) link() string {
	t := pick(w.r, w.s.pages)
	for t == w.p {
		t = pick(w.r, w.s.pages)
	}
	dest := rel(w.dir, t.file)
	if w.r.IntN(10) == 0 {
		dest = "/" + t.file // a content path from the root works too
	}
	if w.r.IntN(8) == 0 {
		dest += "#" + strings.ToLower(strings.ReplaceAll(pick(w.r, t.v.headings[t.typ]), " ", "-"))
	}
	if w.v == en {
		return fmt.Sprintf("See [%s](%s).", t.title, dest)
	}
	return fmt.Sprintf("详见[%s](%s)。", t.title, dest)
}

func (w *bodyWriter) list(topic string, k int, ordered bool) {
	for i, t := range sample(w.r, w.v.sentences[topic], k) {
		marker := "-"
		if ordered {
			marker = fmt.Sprintf("%d.", i+1)
		}
		item := w.s.fill(w.r, w.v, t, w.p)
		if w.r.IntN(4) == 0 {
			item = "**" + strings.TrimRight(item, "。.") + "**"
		}
		fmt.Fprintf(&w.b, "%s %s\n", marker, item)
	}
	w.b.WriteString("\n")
}

func (w *bodyWriter) table() {
	t := pick(w.r, w.v.tableSets)
	fill := func(cells []string) string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = strings.ReplaceAll(w.s.fill(w.r, w.v, c, w.p), "|", "\\|")
		}
		return "| " + strings.Join(out, " | ") + " |\n"
	}
	w.b.WriteString(fill(t.header))
	w.b.WriteString("|" + strings.Repeat("---|", len(t.header)) + "\n")
	for _, row := range t.rows {
		w.b.WriteString(fill(row))
	}
	w.b.WriteString("\n")
}

func (w *bodyWriter) code() {
	c := pick(w.r, w.v.codeSamples)
	fmt.Fprintf(&w.b, "```%s\n%s\n```\n\n", c.lang, w.s.fill(w.r, w.v, c.code, w.p))
}

func (w *bodyWriter) quote(topic string) {
	q := w.s.sentence(w.r, w.p, topic)
	if w.v == zh && !strings.HasPrefix(q, "“") {
		q = "“" + q + "”"
	}
	w.b.WriteString("> " + q + "\n\n")
}

// body writes the page's markdown: an intro, sections with headings and a
// mix of paragraphs, lists, tables, quotes and code, then footnotes.
func (s *site) body(r *rand.Rand, p *page) string {
	w := &bodyWriter{s: s, r: r, v: p.v, p: p, dir: path.Dir(p.path), footnotes: true}
	tp := topics[p.typ]
	w.para(tp[0], 2+r.IntN(3))
	if r.IntN(3) == 0 {
		w.b.WriteString("<!--more-->\n\n")
	}
	if p.typ == "page" && r.IntN(10) == 0 {
		w.b.WriteString("![funnel](/img/funnel.svg)\n\n")
	}
	allowed := p.v.headings[p.typ]
	if p.typ == "case" { // a case tells why it was won or lost, not both
		hs := allowed
		allowed = slices.DeleteFunc(slices.Clone(hs), func(h string) bool {
			return h == hs[2] && p.outcome != "won" || h == hs[3] && p.outcome != "lost"
		})
	}
	heads := sample(r, allowed, 3+r.IntN(4))
	slides := p.slides
	for n, h := range heads {
		if slides && n > 0 {
			w.b.WriteString("---\n\n")
		}
		w.b.WriteString("## " + h + "\n\n")
		topic := pick(r, tp)
		w.para(topic, 2+r.IntN(4))
		switch r.IntN(7) {
		case 0, 1:
			w.list(topic, 3+r.IntN(4), false)
		case 2:
			w.list(topic, 2+r.IntN(4), true)
		case 3:
			w.table()
		case 4:
			w.quote(topic)
		}
		if r.IntN(9) == 0 {
			w.code()
		}
		if r.IntN(4) == 0 {
			fmt.Fprintf(&w.b, "### %s\n\n", pick(r, allowed))
			w.para(pick(r, tp), 1+r.IntN(3))
		}
		if p.typ == "script" && r.IntN(2) == 0 {
			w.quote("price")
		}
	}
	w.para("general", 1+r.IntN(2))
	for n := 1; n <= w.notes; n++ {
		fmt.Fprintf(&w.b, "[^%d]: %s\n", n, s.sentence(r, p, "general"))
	}
	return strings.TrimRight(w.b.String(), "\n") + "\n"
}
