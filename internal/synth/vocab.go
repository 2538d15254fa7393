package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// vocab is the word stock of one language.
type vocab struct {
	surnames, givenNames             []string
	companyPrefixes                  []string
	companySuffixes                  map[string][]string // by industry
	industries, regions              []string
	competitorA, competitorB         []string
	products, tracks, tags, segments []string
	pricings, strengths, weaknesses  []string
	ourEdges, traps                  []string
	objections, objectionTopics      []string
	scriptTopics                     []string
	caseTitles, trainingTitles       []string
	retroTitles, pageTitles          []string
	pageFolders                      []string
	headings                         map[string][]string // by page type
	wins, problems, whys, actions    []string
	quiz                             []quizItem
	sentences                        map[string][]string // by topic
	codeSamples                      []codeSample
	tableSets                        []tableSet
}

type quizItem struct {
	question string
	choices  []string
	answer   []int
	explain  string
}

type codeSample struct{ lang, code string }

type tableSet struct {
	header []string
	rows   [][]string
}

// topics says which sentence pools each page type draws from.
var topics = map[string][]string{
	"script":     {"general", "price", "discovery", "competitor", "price"},
	"case":       {"general", "demo", "onboarding", "competitor", "price"},
	"competitor": {"competitor", "competitor", "price", "general", "demo"},
	"training":   {"general", "discovery", "demo", "price", "process"},
	"retro":      {"retro", "retro", "general", "process"},
	"page":       {"process", "process", "general", "onboarding"},
}

// fill replaces the slots of a template; values about the page itself are
// preferred so that a page keeps talking about its own customer and rival.
func (s *site) fill(r *rand.Rand, v *vocab, tmpl string, p *page) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		val, ok := s.slot(r, v, tmpl[i+1:i+j], p)
		if !ok {
			b.WriteString(tmpl[:i+1])
			tmpl = tmpl[i+1:]
			continue
		}
		b.WriteString(tmpl[:i])
		b.WriteString(val)
		tmpl = tmpl[i+j+1:]
	}
}

func (s *site) slot(r *rand.Rand, v *vocab, key string, p *page) (string, bool) {
	own := r.IntN(10) < 7
	switch key {
	case "C":
		if own && (p.typ == "case" || p.typ == "retro") && p.subject != "" {
			return p.subject, true
		}
		return s.company(r, v, pick(r, v.industries)), true
	case "K":
		if own && p.typ == "competitor" && p.subject != "" {
			return p.subject, true
		}
		if own && p.rival != nil {
			return p.rival.subject, true
		}
		return pick(r, s.byType["competitor"]).subject, true
	case "P":
		return pick(r, v.products), true
	case "X":
		return pick(r, s.people[v]), true
	case "I":
		if own && p.ind != "" {
			return p.ind, true
		}
		return pick(r, v.industries), true
	case "G":
		return pick(r, v.regions), true
	case "N":
		return strconv.Itoa(2 + r.IntN(39)), true
	case "M":
		return strconv.Itoa(10 + r.IntN(491)), true
	case "D":
		return strconv.Itoa(14 + r.IntN(227)), true
	case "R":
		return strconv.Itoa(5 + r.IntN(56)), true
	case "O":
		return strings.TrimRight(pick(r, v.objections), "。.?？"), true
	case "T":
		return pick(r, v.scriptTopics), true
	case "DATE":
		return Now.AddDate(0, 0, -r.IntN(730)).Format("2006-01-02"), true
	}
	return "", false
}
