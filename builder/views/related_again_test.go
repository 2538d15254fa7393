package views

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/playbook-sales/playbook/builder/content"
)

// RelatedAgain after any save ranks as Related does from scratch: edits of
// values, pages added, removed, renamed or made sections, links moved, and
// values common enough to cross the limit of commonShare (sites above
// commonFloor pages).
func TestRelatedAgainMatchesRelated(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			n := 5 + rng.IntN(40)
			switch seed % 10 {
			case 0, 5: // pages joining or leaving a value cross the limit
				n = commonFloor - 5 + rng.IntN(20)
			}
			before := randomPages(rng, n)
			links := randomLinks(rng, before)
			prev := Related(before, 5, links.shown)
			for range 3 {
				after, nextLinks := saveAtRandom(rng, before, links)
				c := RelatedChange{Prev: prev, Changed: versions(before, after), Again: links.differ(nextLinks)}
				got, want := RelatedAgain(after, 5, nextLinks.shown, c), Related(after, 5, nextLinks.shown)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("RelatedAgain after a save differs from Related:\n%v\nwant\n%v", got, want)
				}
				before, links, prev = after, nextLinks, got
			}
		})
	}
}

// A page removed moves the limit of a value's pages below the count of a
// value the page did not carry: the pages carrying it are ranked again.
func TestRelatedAgainLimitMoved(t *testing.T) {
	n := commonFloor * 10 // the limit is commonFloor + 1 at n+10 pages, commonFloor below
	var before []*content.Page
	for i := range n + 10 {
		p := &content.Page{Path: fmt.Sprintf("p/%04d", i)}
		if i <= commonFloor {
			p.Industries = []string{"金融"} // commonFloor+1 pages: counted at n+10 pages, not below
		}
		before = append(before, p)
	}
	prev := Related(before, 5, nil)
	after := before[:len(before)-1]
	c := RelatedChange{Prev: prev, Changed: versions(before, after)}
	if got, want := RelatedAgain(after, 5, nil, c), Related(after, 5, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("after the limit moved, RelatedAgain ranks %v, want %v", got["p/0000"], want["p/0000"])
	}
}

var (
	testTags   = []string{"价格", "安全", "ROI", "通用"}
	testStages = []string{"discovery", "demo", "negotiation"}
)

func randomPage(rng *rand.Rand, path string) *content.Page {
	p := &content.Page{Path: path, IsSection: rng.IntN(15) == 0}
	for _, tag := range testTags {
		if rng.IntN(3) == 0 {
			p.Tags = append(p.Tags, tag)
		}
	}
	if rng.IntN(2) == 0 {
		p.Stages = []string{testStages[rng.IntN(len(testStages))]}
	}
	if rng.IntN(2) == 0 {
		p.Industries = []string{"金融"}
	}
	if rng.IntN(30) != 0 {
		p.Regions = []string{"华东"} // on nearly every page: crosses the limit as pages come and go
	}
	return p
}

func randomPages(rng *rand.Rand, n int) []*content.Page {
	var pages []*content.Page
	for i := range n {
		pages = append(pages, randomPage(rng, fmt.Sprintf("p/%03d", i)))
	}
	return pages
}

// saveAtRandom edits, adds, removes or renames a few pages and moves a link.
func saveAtRandom(rng *rand.Rand, pages []*content.Page, links linkSet) ([]*content.Page, linkSet) {
	next := slices.Clone(pages)
	for range 1 + rng.IntN(3) {
		i := rng.IntN(len(next))
		switch rng.IntN(4) {
		case 0: // edited
			next[i] = randomPage(rng, next[i].Path)
		case 1: // added
			next = append(next, randomPage(rng, fmt.Sprintf("new/%d", rng.IntN(1000))))
		case 2: // removed
			if len(next) > 2 {
				next = slices.Delete(next, i, i+1)
			}
		case 3: // renamed, values kept
			q := *next[i]
			q.Path = fmt.Sprintf("renamed/%d", rng.IntN(1000))
			next[i] = &q
		}
	}
	next = slices.CompactFunc(next, func(a, b *content.Page) bool { return a.Path == b.Path })
	nextLinks := linkSet{}
	for k := range links {
		nextLinks[k] = true
	}
	nextLinks[[2]string{next[rng.IntN(len(next))].Path, next[rng.IntN(len(next))].Path}] = true
	return next, nextLinks
}

// linkSet holds page → other: other links to page.
type linkSet map[[2]string]bool

func randomLinks(rng *rand.Rand, pages []*content.Page) linkSet {
	l := linkSet{}
	for range len(pages) / 2 {
		l[[2]string{pages[rng.IntN(len(pages))].Path, pages[rng.IntN(len(pages))].Path}] = true
	}
	return l
}

func (l linkSet) shown(page, other string) bool { return l[[2]string{page, other}] }

// differ lists the pages whose shown set differs between l and m.
func (l linkSet) differ(m linkSet) map[string]bool {
	again := map[string]bool{}
	for _, pair := range []struct{ a, b linkSet }{{l, m}, {m, l}} {
		for k := range pair.a {
			if !pair.b[k] {
				again[k[0]] = true
			}
		}
	}
	return again
}

func versions(before, after []*content.Page) map[string][2]*content.Page {
	old := map[string]*content.Page{}
	for _, p := range before {
		old[p.Path] = p
	}
	changed := map[string][2]*content.Page{}
	for _, p := range after {
		if old[p.Path] != p {
			changed[p.Path] = [2]*content.Page{old[p.Path], p}
		}
		delete(old, p.Path)
	}
	for path, p := range old {
		changed[path] = [2]*content.Page{p, nil}
	}
	return changed
}
