// Package synth writes synthetic Playbook sites for benchmarks and tests.
//
// Generate(dir, n, lang, seed) writes playbook.yaml, content/ and static/
// for a site of n content pages (section _index.md files not counted),
// spread over every page type, with realistic bodies: headings, lists,
// tables, code blocks, quotes, footnotes and links between pages. Every
// field of the content contract is used somewhere, front matter comes in
// YAML, TOML and JSON, and every reference resolves, so the site builds
// without errors at the clock Now. The same arguments always give the same
// bytes.
//
// A few pages are hidden at Now (drafts, future publishDate, past
// expiryDate), as on a real site; Expected tells how many of each type a
// build publishes.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// NowString is the clock the sites are written for: pass it to
// `playbook build --now` (or builder.Options.Now) so that what is hidden,
// stale or overdue does not depend on the day the benchmark runs.
const NowString = "2026-11-23T10:00:00+08:00"

// Now is NowString parsed.
var Now, _ = time.Parse(time.RFC3339, NowString)

// MinPages is the smallest site Generate writes: one page of each type.
const MinPages = 6

// Langs are the values Generate accepts for lang.
var Langs = []string{"zh", "en", "mixed"}

// Type order and the share of the site each type gets.
var (
	typeOrder = []string{"competitor", "training", "script", "case", "retro", "page"}
	typeShare = map[string]float64{"competitor": 0.04, "training": 0.12, "script": 0.24, "case": 0.24, "retro": 0.12, "page": 0.24}
	typeDir   = map[string]string{"competitor": "competitors", "training": "training", "script": "scripts", "case": "cases", "retro": "retros"}
)

// Counts is what a build of a generated site at Now publishes.
type Counts struct {
	Total   int            // content pages written (n)
	PerType map[string]int // published pages per type, as builder.Result.PerType reports them
	Hidden  int            // drafts, future and expired pages
}

// Expected returns the counts of a site of n pages; they do not depend on
// the language or the seed.
func Expected(n int) Counts {
	c := Counts{Total: n, PerType: map[string]int{}}
	per := layout(n)
	i := 0
	for _, t := range typeOrder {
		for range per[t] {
			if hiddenKind(i) != "" {
				c.Hidden++
			} else {
				c.PerType[t]++
			}
			i++
		}
	}
	return c
}

// layout splits n pages over the types by their shares, at least one each.
func layout(n int) map[string]int {
	per := map[string]int{}
	left := n
	for _, t := range typeOrder {
		k := max(1, int(float64(n)*typeShare[t]))
		per[t] = k
		left -= k
	}
	per["page"] += left // rounding goes to plain pages
	return per
}

// hiddenKind decides by index which pages are hidden: about 1.8% of them.
func hiddenKind(i int) string {
	switch {
	case i%97 == 50:
		return "draft"
	case i%131 == 70:
		return "future"
	case i%151 == 90:
		return "expired"
	}
	return ""
}

// Generate writes a site of n pages into dir, which must be missing or
// empty. lang is "zh", "en" or "mixed" (about 60% Chinese pages in a
// zh-CN site).
func Generate(dir string, n int, lang string, seed int64) error {
	if n < MinPages {
		return fmt.Errorf("synth: want at least %d pages, got %d", MinPages, n)
	}
	if lang != "zh" && lang != "en" && lang != "mixed" {
		return fmt.Errorf("synth: lang: want zh, en or mixed, got %q", lang)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("synth: %s is not empty", dir)
	} else if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := plan(n, lang, seed)
	return s.write(dir)
}

// site is the plan of a whole site: every page's place, title and language.
type site struct {
	lang   string
	seed   int64
	pages  []*page
	byType map[string][]*page
	people map[*vocab][]string // the team, per language
	files  map[string]string   // relative file path → content
	titles map[string]int      // how often each title was given
}

type page struct {
	i       int
	typ     string
	v       *vocab
	title   string
	file    string // content-relative file, "cases/东林银行-0042.md"
	path    string // content path, file without .md
	hidden  string
	format  string // yaml, toml, json
	subject string // competitor name, customer, … that the page is about
	ind     string // industry
	track   string // training track
	slides  bool   // a training module shown as slides
	rival   *page  // the competitor a case or retro is about, if any
	outcome string // a case's outcome
}

func (s *site) rng(salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(s.seed), salt))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// plan lays out the pages; the bodies are written from it page by page.
func plan(n int, lang string, seed int64) *site {
	s := &site{lang: lang, seed: seed, byType: map[string][]*page{}, people: map[*vocab][]string{}, files: map[string]string{}, titles: map[string]int{}}
	r := s.rng(1 << 40)
	for _, v := range []*vocab{zh, en} {
		seen := map[string]bool{}
		for len(s.people[v]) < 24 {
			name := pick(r, v.surnames) + pick(r, v.givenNames)
			if v == en {
				name = pick(r, v.givenNames) + " " + pick(r, v.surnames)
			}
			if !seen[name] {
				seen[name] = true
				s.people[v] = append(s.people[v], name)
			}
		}
	}
	width := len(strconv.Itoa(n))
	per := layout(n)
	i := 0
	for _, t := range typeOrder {
		for k := range per[t] {
			p := &page{i: i, typ: t, hidden: hiddenKind(i), format: "yaml"}
			switch i % 20 {
			case 7:
				p.format = "toml"
			case 13:
				p.format = "json"
			}
			p.v = zh
			if lang == "en" || (lang == "mixed" && r.IntN(10) < 4) {
				p.v = en
			}
			s.titlePage(r, p, k, per[t])
			p.title = s.numbered(p)
			stem := fileStem(p.title, p.v == en) + "-" + fmt.Sprintf("%0*d", width, i)
			dir := typeDir[t]
			if t == "page" {
				dir = pageDir(r, p.v, k)
			}
			p.file = path.Join(dir, stem+".md")
			p.path = strings.TrimSuffix(p.file, ".md")
			s.pages = append(s.pages, p)
			s.byType[t] = append(s.byType[t], p)
			i++
		}
	}
	return s
}

// pageDir places plain pages: a few at the root, most in a folder, some in
// a subfolder with its own _index.md.
func pageDir(r *rand.Rand, v *vocab, k int) string {
	if k%100 == 0 {
		return ""
	}
	dir := pick(r, v.pageFolders)
	if r.IntN(3) == 0 {
		dir += "/" + pick(r, subfolders)
	}
	return dir
}

var subfolders = []string{"basics", "advanced", "industry", "regional"}

func (s *site) titlePage(r *rand.Rand, p *page, k, total int) {
	v := p.v
	p.ind = pick(r, v.industries)
	switch p.typ {
	case "competitor":
		// (k + k/len(A)) spreads the second parts; len(A)+1 and len(B) are coprime, so names are unique.
		a, b := v.competitorA[k%len(v.competitorA)], v.competitorB[(k+k/len(v.competitorA))%len(v.competitorB)]
		name := a + b
		if v == en {
			name = a + " " + b
		}
		if round := k / (len(v.competitorA) * len(v.competitorB)); round > 0 {
			name += " " + strconv.Itoa(round+1)
		}
		p.subject = name
		p.title = name + map[*vocab]string{zh: " 竞品卡", en: " battlecard"}[v]
	case "case":
		p.subject = s.company(r, v, p.ind)
		p.rival = pick(r, s.byType["competitor"])
		p.title = s.fill(r, v, strings.ReplaceAll(pick(r, v.caseTitles), "{C}", p.subject), p)
	case "script":
		if r.IntN(2) == 0 {
			p.title = pick(r, v.objectionTopics)
		} else {
			p.title = pick(r, v.scriptTopics)
		}
		if r.IntN(3) == 0 {
			p.title += map[*vocab]string{zh: "（" + p.ind + "）", en: " (" + p.ind + ")"}[v]
		}
	case "training":
		p.track = v.tracks[k*len(v.tracks)/total]
		p.title = s.fill(r, v, pick(r, v.trainingTitles), p)
	case "retro":
		p.subject = s.company(r, v, p.ind)
		p.rival = pick(r, s.byType["competitor"])
		p.title = s.fill(r, v, strings.ReplaceAll(pick(r, v.retroTitles), "{C}", p.subject), p)
	default:
		p.title = s.fill(r, v, pick(r, v.pageTitles), p)
	}
}

// numbered tells apart pages that drew the same title, the way a team
// would: "产品基础与演示（第 2 期）", "Cold call opener (2)".
func (s *site) numbered(p *page) string {
	s.titles[p.title]++
	n := s.titles[p.title]
	switch {
	case n == 1:
		return p.title
	case p.typ == "training" && p.v == zh:
		return fmt.Sprintf("%s（第 %d 期）", p.title, n)
	case p.typ == "training":
		return fmt.Sprintf("%s (session %d)", p.title, n)
	case p.v == zh:
		return fmt.Sprintf("%s（%d）", p.title, n)
	}
	return fmt.Sprintf("%s (%d)", p.title, n)
}

func (s *site) company(r *rand.Rand, v *vocab, ind string) string {
	sep := ""
	if v == en {
		sep = " "
	}
	return pick(r, v.companyPrefixes) + sep + pick(r, v.companySuffixes[ind])
}

// fileStem turns a title into a file name: letters and digits of any
// script, lowercased; English words joined with "-".
func fileStem(title string, english bool) string {
	var b strings.Builder
	runes, dash := 0, false
	for _, c := range title {
		switch {
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			if dash && english && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(c))
			runes++
		default:
			dash = true
		}
		if runes >= 32 || (!english && runes >= 16) {
			break
		}
	}
	if b.Len() == 0 {
		return "page"
	}
	return b.String()
}

// rel is a markdown link from the page at content path from (or, for an
// _index, its folder) to the content file to.
func rel(fromDir, to string) string {
	if fromDir == "." || fromDir == "" {
		return to
	}
	a, b := strings.Split(fromDir, "/"), strings.Split(path.Dir(to), "/")
	if path.Dir(to) == "." {
		b = nil
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	up := strings.Repeat("../", len(a)-i)
	rest := append(b[i:], path.Base(to))
	return up + strings.Join(rest, "/")
}

// write renders every file into memory and then onto disk.
func (s *site) write(dir string) error {
	s.files["playbook.yaml"] = s.config()
	s.files["static/img/funnel.svg"] = funnelSVG
	s.indexes()
	for _, p := range s.pages {
		s.files["content/"+p.file] = s.pageFile(p)
	}
	made := map[string]bool{}
	for _, name := range sortedKeys(s.files) {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(full); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(full, []byte(s.files[name]), 0o644); err != nil {
			return err
		}
	}
	return nil
}

const funnelSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160" viewBox="0 0 240 160">
<polygon points="10,10 230,10 170,60 70,60" fill="#4a90d9"/>
<polygon points="70,65 170,65 145,105 95,105" fill="#6aa8e8"/>
<polygon points="95,110 145,110 132,150 108,150" fill="#9cc6f2"/>
</svg>
`

func (s *site) config() string {
	var b strings.Builder
	if s.lang == "en" {
		b.WriteString(`# Synthetic benchmark site (internal/synth). Do not edit; regenerate.
title: Yunfan Sales Playbook
description: Talk tracks, cases, battlecards, training and reviews
baseURL: https://kb.example.com/sales/
language: en
timezone: America/New_York
theme: default
stages:
  - {key: prospecting, name: Prospecting}
  - {key: contact, name: Contact}
  - {key: discovery, name: Discovery}
  - {key: proposal, name: Proposal}
  - {key: negotiation, name: Negotiation}
  - {key: closing, name: Closing}
  - {key: onboarding, name: Onboarding}
  - {key: renewal, name: Renewal}
roles:
  - {key: manager, name: Sales manager}
  - {key: rep, name: Sales rep}
  - {key: csm, name: Customer success}
  - {key: support, name: Sales support}
`)
	} else {
		b.WriteString(`# 合成的基准测试站点（internal/synth 生成），请勿手工编辑。
title: 云帆销售手册
description: 话术、案例、竞品、培训与复盘——销售团队一线知识库
baseURL: https://kb.example.cn/sales/
language: zh-CN
timezone: Asia/Shanghai
theme: default
stages:
  - {key: prospecting, name: 潜在客户发现}
  - {key: contact, name: 客户联系}
  - {key: discovery, name: 需求分析}
  - {key: proposal, name: 方案提供}
  - {key: negotiation, name: 谈判}
  - {key: closing, name: 成交}
  - {key: onboarding, name: 交付上线}
  - {key: renewal, name: 续约增购}
roles:
  - {key: manager, name: 销售经理}
  - {key: rep, name: 销售代表}
  - {key: csm, name: 客户成功经理}
  - {key: support, name: 销售支持}
`)
	}
	v := zh
	if s.lang == "en" {
		v = en
	}
	fmt.Fprintf(&b, `review_every:
  default: 180d
  script: 90d
  competitor: 12w
  case: 1y
markup:
  unsafe_html: false
training:
  weekday: friday
  time: "15:00"
  rotation: [%s]
params:
  company: %s
  support_email: sales-ops@example.com
`, strings.Join(s.people[v][:4], ", "), map[*vocab]string{zh: "云帆科技", en: "Yunfan Inc."}[v])
	return b.String()
}

// indexes writes the home page and an _index.md for every folder.
func (s *site) indexes() {
	v := zh
	if s.lang == "en" {
		v = en
	}
	r := s.rng(1 << 41)
	folders := map[string][]*page{}
	for _, p := range s.pages {
		for d := path.Dir(p.path); d != "."; d = path.Dir(d) {
			folders[d] = append(folders[d], p)
		}
	}
	home := fields{{"title", map[*vocab]string{zh: "云帆销售手册", en: "Yunfan Sales Playbook"}[v]},
		{"summary", map[*vocab]string{zh: "一线销售的知识库：遇到问题先搜这里。", en: "The field team's knowledge base: search here first."}[v]}}
	var body strings.Builder
	w := &bodyWriter{s: s, r: r, v: v, p: &page{path: "_index", v: v}, dir: "."}
	w.para("general", 3)
	body.WriteString(w.b.String())
	for _, d := range sortedKeys(folders) {
		if !strings.Contains(d, "/") {
			fmt.Fprintf(&body, "- [%s](%s/_index.md)\n", sectionTitles[v][d], d)
		}
	}
	s.files["content/_index.md"] = emitYAML(home) + "\n" + body.String()
	for _, d := range sortedKeys(folders) {
		w := &bodyWriter{s: s, r: r, v: v, p: &page{path: d + "/_index", v: v}, dir: d}
		title := path.Base(d)
		if t, ok := sectionTitles[v][title]; ok {
			title = t
		}
		w.para("general", 2)
		for _, t := range sample(r, folders[d], 3) {
			fmt.Fprintf(&w.b, "- [%s](%s)\n", t.title, rel(d, t.file))
		}
		f := fields{{"title", title}}
		if !strings.Contains(d, "/") {
			f = append(f, field{"weight", 10})
		}
		s.files["content/"+d+"/_index.md"] = emitYAML(f) + "\n" + w.b.String()
	}
}

var sectionTitles = map[*vocab]map[string]string{
	zh: {"scripts": "话术", "cases": "案例", "competitors": "竞品", "training": "培训", "retros": "复盘",
		"guides": "指南", "products": "产品", "processes": "流程", "faq": "常见问题", "templates": "模板",
		"basics": "入门", "advanced": "进阶", "industry": "行业", "regional": "区域"},
	en: {"scripts": "Talk tracks", "cases": "Cases", "competitors": "Competitors", "training": "Training", "retros": "Reviews",
		"guides": "Guides", "products": "Products", "processes": "Processes", "faq": "FAQ", "templates": "Templates",
		"basics": "Basics", "advanced": "Advanced", "industry": "By industry", "regional": "By region"},
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
