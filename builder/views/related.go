package views

import (
	"math/bits"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
)

// Weights of the structured fields two pages can share, strongest first: a
// case and a battlecard about the same competitor belong together more
// than two pages of the same stage, which many pages share.
var relatedWeights = []struct {
	Field  string
	Weight int
}{
	{"competitor", 5},
	{"track", 4},
	{"customer", 4},
	{"industry", 3},
	{"stage", 2},
	{"tag", 2},
	{"region", 1},
	{"role", 1},
}

// minRelated is the least score a related page needs: one shared region
// or role alone says little about what a page is about.
const minRelated = 2

// Match is one related page and why it is related.
type Match struct {
	Path   string
	Score  int      // sum of the weights of the values both pages carry
	Shared []string // the fields shared, strongest first: competitor, track, customer, industry, stage, tag, region, role
}

// Related ranks, for every page, the other pages sharing structured fields
// with it (same competitor, track, customer, industry, stage, tag, region,
// role), best first, at most max each. Pages a page already names in its
// "related" list are left out: it lists those on its own; so are those for
// which shown(page, other) is true (nil: none), such as the pages linking
// to it, which a page lists too. Ties go to the
// page sharing more kinds of field, then by content path, so the result is
// the same on every build. It is a pure function of the pages: rebuilds may
// call it again.
//
// A value carried by more than commonShare of a large site's pages (say the
// role "rep" on every page) is skipped, as a search engine skips stop
// words: it tells little about what a page is about, and matching on it
// would make the work grow with the square of the site.
func Related(pages []*content.Page, max int, shown func(page, other string) bool) map[string][]Match {
	var list []*content.Page
	for _, p := range pages {
		if !p.IsSection {
			list = append(list, p)
		}
	}
	// Inverted index: field value → pages carrying it, per field.
	type key struct {
		field int
		value string
	}
	index := map[key][]int{}
	keysOf := make([][]key, len(list))
	for i, p := range list {
		seen := map[key]bool{}
		for f, values := range relatedValues(p) {
			for _, v := range values {
				k := key{f, v}
				if v == "" || seen[k] {
					continue
				}
				seen[k] = true
				index[k] = append(index[k], i)
				keysOf[i] = append(keysOf[i], k)
			}
		}
	}
	limit := commonLimit(len(list))
	out := make(map[string][]Match, len(list))
	score := make([]int, len(list))
	shared := make([]uint16, len(list)) // bit f: field f shared
	better := func(a, b int) bool {     // a ranks before b
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		if na, nb := bits.OnesCount16(shared[a]), bits.OnesCount16(shared[b]); na != nb {
			return na > nb
		}
		return list[a].Path < list[b].Path
	}
	var touched, best []int
	for i, p := range list {
		touched = touched[:0]
		var named map[string]bool // nil when there are none: reads as false
		for _, r := range p.Related {
			if named == nil {
				named = map[string]bool{}
			}
			named[r] = true
		}
		for _, k := range keysOf[i] {
			group := index[k]
			if len(group) > limit {
				continue
			}
			for _, j := range group {
				if j == i {
					continue
				}
				if score[j] == 0 {
					touched = append(touched, j)
				}
				score[j] += relatedWeights[k.field].Weight
				shared[j] |= 1 << k.field
			}
		}
		// Keep the best max in order: insertion into a short list beats
		// sorting every page touched.
		best = best[:0]
		for _, j := range touched {
			if score[j] < minRelated || len(best) == max && !better(j, best[max-1]) || named[list[j].Path] || shown != nil && shown(p.Path, list[j].Path) {
				continue
			}
			at := len(best)
			for at > 0 && better(j, best[at-1]) {
				at--
			}
			if len(best) < max {
				best = append(best, 0)
			}
			copy(best[at+1:], best[at:len(best)-1])
			best[at] = j
		}
		if len(best) > 0 {
			matches := make([]Match, len(best))
			for n, j := range best {
				matches[n] = Match{Path: list[j].Path, Score: score[j]}
				for f, w := range relatedWeights {
					if shared[j]&(1<<f) != 0 {
						matches[n].Shared = append(matches[n].Shared, w.Field)
					}
				}
			}
			out[p.Path] = matches
		}
		for _, j := range touched {
			score[j], shared[j] = 0, 0
		}
	}
	return out
}

// commonShare is the share of a site's pages above which a value is too
// common to relate pages; sites under commonFloor pages never skip one.
const (
	commonShare = 0.1
	commonFloor = 200
)

func commonLimit(n int) int {
	return max(commonFloor, int(float64(n)*commonShare))
}

// relatedValues lists a page's values per field, indexed as relatedWeights.
// Free-text values compare case-insensitively; a battlecard counts as
// naming its own competitor, so the cases naming it come up beside it.
func relatedValues(p *content.Page) [][]string {
	v := make([][]string, len(relatedWeights))
	fold := func(s []string) []string {
		out := make([]string, len(s))
		for i, x := range s {
			out[i] = strings.ToLower(strings.TrimSpace(x))
		}
		return out
	}
	if p.Competitor != nil {
		v[0] = append(v[0], p.Path)
	}
	if p.Case != nil {
		v[0] = append(v[0], p.Case.Competitors...)
		v[2] = fold([]string{p.Case.Customer})
	}
	if p.Training != nil {
		v[1] = fold(p.Training.Tracks)
		v[7] = append(v[7], p.Training.Audience...)
	}
	v[3] = fold(p.Industries)
	v[4] = p.Stages
	v[5] = fold(p.Tags)
	v[6] = fold(p.Regions)
	v[7] = append(v[7], p.Roles...)
	return v
}
