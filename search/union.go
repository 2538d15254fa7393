package search

import (
	"context"
	"encoding/binary"
	"math"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// A clause is a disjunction of its variants in each field: 上线 with its
// synonyms 交付 实施 落地 is twelve term searchers. bleve's disjunction
// finds the next page by comparing the children's internal IDs as byte
// strings, in a heap above ten children, and that comparing was a quarter
// of the slowest query's time. unionSearcher does the same walk with the
// IDs decoded once into numbers and the smallest found by a plain scan of
// the children, which for a few dozen children beats any heap. It skips
// like bleve's does (Advance passes the target on to each child behind it),
// so a rare word or a filter beside it still saves reading postings.
//
// The score is bleve's disjunction score: the sum of the matching children's
// scores times matching/total (coord). The children are summed in the order
// bleve's slice searcher uses (fewest postings first), so a score can differ
// from bleve's heap searcher's in its last bits only.

// unionEnabled switches unionSearcher on; tests turn it off to compare.
var unionEnabled = true

// unionSearchers counts the searchers made, for tests.
var unionSearchers atomic.Int64

// anyQuery matches pages that match at least min of its children (at least
// one when min is 0), like query.DisjunctionQuery.
type anyQuery struct {
	children []query.Query
	min      int
}

func newAnyQuery(children []query.Query) *anyQuery { return &anyQuery{children: children} }

func (q *anyQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	ss := make([]bsearch.Searcher, 0, len(q.children))
	for _, c := range q.children {
		s, err := c.Searcher(ctx, r, m, options)
		if err != nil {
			for _, s := range ss {
				s.Close()
			}
			return nil, err
		}
		ss = append(ss, s)
	}
	if len(ss) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	if !unionEnabled || len(ss) < 2 || tooManyClauses(len(ss)) || !plainScoring(ctx, options) {
		return searcher.NewDisjunctionSearcher(ctx, r, ss, float64(q.min), options)
	}
	unionSearchers.Add(1)
	return newUnionSearcher(ss, q.min), nil
}

// noMore is the ID of a child that has no more matches.
const noMore = math.MaxUint64

type unionSearcher struct {
	children []bsearch.Searcher
	min      int
	started  bool
	cur      []*bsearch.DocumentMatch // each child's current match, nil when done
	ids      []uint64                 // their IDs, noMore when done
	hit      []int                    // scratch: the children on the smallest ID
}

func newUnionSearcher(children []bsearch.Searcher, min int) *unionSearcher {
	// bleve's slice searcher sums in this order; keep it for equal scores
	sortByCount(children)
	s := &unionSearcher{
		children: children,
		min:      min,
		cur:      make([]*bsearch.DocumentMatch, len(children)),
		ids:      make([]uint64, len(children)),
		hit:      make([]int, 0, len(children)),
	}
	// As bleve's disjunction does on construction: a searcher at the top
	// of the tree gets no other query norm.
	var w float64
	for _, c := range children {
		w += c.Weight()
	}
	s.SetQueryNorm(1 / math.Sqrt(w))
	return s
}

// sortByCount orders searchers by their number of postings, stably.
func sortByCount(ss []bsearch.Searcher) {
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && ss[j].Count() < ss[j-1].Count(); j-- {
			ss[j], ss[j-1] = ss[j-1], ss[j]
		}
	}
}

// set records child i's new current match.
func (s *unionSearcher) set(i int, dm *bsearch.DocumentMatch, err error) error {
	if err != nil {
		return err
	}
	s.cur[i] = dm
	if dm == nil {
		s.ids[i] = noMore
		return nil
	}
	if len(dm.IndexInternalID) != 8 {
		_, err := idKey(dm.IndexInternalID)
		return err
	}
	s.ids[i] = binary.BigEndian.Uint64(dm.IndexInternalID)
	return nil
}

func (s *unionSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		s.started = true
		for i, c := range s.children {
			dm, err := c.Next(ctx)
			if err := s.set(i, dm, err); err != nil {
				return nil, err
			}
		}
	}
	return s.next(ctx)
}

// next returns the match on the smallest current ID that enough children
// share, and moves those children on.
func (s *unionSearcher) next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for {
		low := uint64(noMore)
		hit := s.hit[:0]
		for i, id := range s.ids {
			if id < low {
				low, hit = id, append(hit[:0], i)
			} else if id == low && id != noMore {
				hit = append(hit, i)
			}
		}
		s.hit = hit
		if low == noMore {
			return nil, nil
		}
		var rv *bsearch.DocumentMatch
		if len(hit) >= s.min {
			var sum float64
			for _, i := range hit {
				sum += s.cur[i].Score
			}
			rv = s.cur[hit[0]]
			rv.Score = sum * (float64(len(hit)) / float64(len(s.children)))
		}
		for _, i := range hit {
			if s.cur[i] != rv {
				ctx.DocumentMatchPool.Put(s.cur[i])
			}
			dm, err := s.children[i].Next(ctx)
			if err := s.set(i, dm, err); err != nil {
				return nil, err
			}
		}
		if rv != nil {
			return rv, nil
		}
	}
}

func (s *unionSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	target, err := idKey(id)
	if err != nil {
		return nil, err
	}
	for i, c := range s.children {
		if s.started && s.ids[i] >= target {
			continue
		}
		if s.cur[i] != nil {
			ctx.DocumentMatchPool.Put(s.cur[i])
			s.cur[i] = nil
		}
		dm, err := c.Advance(ctx, id)
		if err := s.set(i, dm, err); err != nil {
			return nil, err
		}
	}
	s.started = true
	return s.next(ctx)
}

func (s *unionSearcher) Weight() float64 {
	var w float64
	for _, c := range s.children {
		w += c.Weight()
	}
	return w
}

func (s *unionSearcher) SetQueryNorm(qnorm float64) {
	for _, c := range s.children {
		c.SetQueryNorm(qnorm)
	}
}

func (s *unionSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.children {
		n += c.Count()
	}
	return n
}

func (s *unionSearcher) Close() error {
	var first error
	for _, c := range s.children {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *unionSearcher) Min() int { return s.min }

func (s *unionSearcher) Size() int { return 96 + 24*len(s.children) }

// DocumentMatchPoolSize: each child holds a current match, and may hold
// matches of its own.
func (s *unionSearcher) DocumentMatchPoolSize() int {
	n := len(s.children)
	for _, c := range s.children {
		n += c.DocumentMatchPoolSize()
	}
	return n
}
