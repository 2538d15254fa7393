package views

import (
	"math/bits"
	"slices"
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
	return newRelater(pages).rank(max, shown, nil, nil)
}

// RelatedChange is what changed since a previous Related, for
// RelatedAgain.
type RelatedChange struct {
	Prev map[string][]Match // Related's result before
	// Changed maps each changed page's path (added, removed or edited) to
	// its version before and now; nil where there was or is none.
	Changed map[string][2]*content.Page
	Again   map[string]bool // pages whose shown set changed
}

// RelatedAgain returns what Related(pages, max, shown) returns, ranking
// again only the pages a change can have moved: a page's ranking depends
// on its own values, shown set and related list, and on the pages sharing
// a value with it. So only the changed pages, those in c.Again, and those
// carrying a value a changed page gained or lost are ranked again; the
// others keep c.Prev's. When the site's size moves the common-value limit,
// every page is ranked again.
func RelatedAgain(pages []*content.Page, max int, shown func(page, other string) bool, c RelatedChange) map[string][]Match {
	r := newRelater(pages)
	if r.limit != commonLimit(r.countBefore(c)) {
		return r.rank(max, shown, nil, nil)
	}
	return r.rank(max, shown, r.affected(c), c.Prev)
}

// countBefore is how many pages the previous Related ranked.
func (r *relater) countBefore(c RelatedChange) int {
	n := len(r.list)
	for _, versions := range c.Changed {
		if ranked(versions[0]) {
			n++
		}
		if ranked(versions[1]) {
			n--
		}
	}
	return n
}

// ranked reports whether Related ranks p: sections it leaves out.
func ranked(p *content.Page) bool { return p != nil && !p.IsSection }

// affected lists the pages of r that c can have moved (RelatedAgain).
func (r *relater) affected(c RelatedChange) map[int]bool {
	at := make(map[string]int, len(r.list))
	for i, p := range r.list {
		at[p.Path] = i
	}
	redo := map[int]bool{}
	for path := range c.Again {
		if i, ok := at[path]; ok {
			redo[i] = true
		}
	}
	for path, versions := range c.Changed {
		if i, ok := at[path]; ok {
			redo[i] = true
		}
		before, after := keySet(versions[0]), keySet(versions[1])
		for _, ks := range [2]map[relatedKey]bool{before, after} {
			for k := range ks {
				if before[k] != after[k] {
					for _, i := range r.index[k] {
						redo[i] = true
					}
				}
			}
		}
	}
	return redo
}

// keySet is the set of p's values; empty for nil or a section.
func keySet(p *content.Page) map[relatedKey]bool {
	set := map[relatedKey]bool{}
	if !ranked(p) {
		return set
	}
	for f, values := range relatedValues(p) {
		for _, v := range values {
			if v != "" {
				set[relatedKey{f, v}] = true
			}
		}
	}
	return set
}

// rank ranks the pages of r; with redo non-nil only those in it, the
// others keeping their ranking in prev.
func (r *relater) rank(max int, shown func(page, other string) bool, redo map[int]bool, prev map[string][]Match) map[string][]Match {
	out := make(map[string][]Match, len(r.list))
	var best []int
	for i, p := range r.list {
		if redo != nil && !redo[i] {
			if m, ok := prev[p.Path]; ok {
				out[p.Path] = m
			}
			continue
		}
		touched := r.score(i)
		skip := func(j int) bool {
			return slices.Contains(p.Related, r.list[j].Path) || shown != nil && shown(p.Path, r.list[j].Path)
		}
		if best = r.top(touched, max, skip, best[:0]); len(best) > 0 {
			out[p.Path] = r.matches(best)
		}
		for _, j := range touched {
			r.scores[j], r.shared[j] = 0, 0
		}
	}
	return out
}

// relater holds an inverted index of the pages' field values and, while one
// page is scored, every other page's score against it.
type relater struct {
	list   []*content.Page
	index  map[relatedKey][]int // field value → pages carrying it
	keysOf [][]relatedKey       // the values of each page
	limit  int                  // pages above which a value is too common to count
	scores []int
	shared []uint16 // bit f: field f shared
}

type relatedKey struct {
	field int
	value string
}

func newRelater(pages []*content.Page) *relater {
	r := &relater{index: map[relatedKey][]int{}}
	for _, p := range pages {
		if ranked(p) {
			r.list = append(r.list, p)
		}
	}
	r.keysOf = make([][]relatedKey, len(r.list))
	for i, p := range r.list {
		seen := map[relatedKey]bool{}
		for f, values := range relatedValues(p) {
			for _, v := range values {
				k := relatedKey{f, v}
				if v == "" || seen[k] {
					continue
				}
				seen[k] = true
				r.index[k] = append(r.index[k], i)
				r.keysOf[i] = append(r.keysOf[i], k)
			}
		}
	}
	r.limit = commonLimit(len(r.list))
	r.scores, r.shared = make([]int, len(r.list)), make([]uint16, len(r.list))
	return r
}

// score adds up every page's shared weights with page i and returns the
// pages that share any; the caller zeroes their scores again.
func (r *relater) score(i int) (touched []int) {
	for _, k := range r.keysOf[i] {
		group := r.index[k]
		if len(group) > r.limit {
			continue
		}
		for _, j := range group {
			if j == i {
				continue
			}
			if r.scores[j] == 0 {
				touched = append(touched, j)
			}
			r.scores[j] += relatedWeights[k.field].Weight
			r.shared[j] |= 1 << k.field
		}
	}
	return touched
}

// better reports whether page a ranks before page b.
func (r *relater) better(a, b int) bool {
	if r.scores[a] != r.scores[b] {
		return r.scores[a] > r.scores[b]
	}
	if na, nb := bits.OnesCount16(r.shared[a]), bits.OnesCount16(r.shared[b]); na != nb {
		return na > nb
	}
	return r.list[a].Path < r.list[b].Path
}

// top keeps the best max of touched in order, appended to best: insertion
// into a short list beats sorting every page touched.
func (r *relater) top(touched []int, max int, skip func(j int) bool, best []int) []int {
	for _, j := range touched {
		if r.scores[j] < minRelated || len(best) == max && !r.better(j, best[max-1]) || skip(j) {
			continue
		}
		at := len(best)
		for at > 0 && r.better(j, best[at-1]) {
			at--
		}
		if len(best) < max {
			best = append(best, 0)
		}
		copy(best[at+1:], best[at:len(best)-1])
		best[at] = j
	}
	return best
}

func (r *relater) matches(best []int) []Match {
	matches := make([]Match, len(best))
	for n, j := range best {
		matches[n] = Match{Path: r.list[j].Path, Score: r.scores[j]}
		for f, w := range relatedWeights {
			if r.shared[j]&(1<<f) != 0 {
				matches[n].Shared = append(matches[n].Shared, w.Field)
			}
		}
	}
	return matches
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
