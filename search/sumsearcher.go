package search

import (
	"context"
	"encoding/binary"
	"sort"
	"sync"
	"sync/atomic"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// A lone CJK character matches hundreds of terms (的 matches 300+ bigrams
// of one field at 10,000 pages), and bleve walks such a disjunction page by
// page, keeping its term searchers in a heap ordered by internal ID: that
// heap was most of the slowest query's time. sumSearcher walks it term by
// term instead: it reads each term's postings through to the end, adds the
// scores up per page in an array, and then hands the pages out in ID
// order. The terms are read straight from the index and scored as bleve
// does (termChild, in union.go). (Tried on a clause's variants and fields as well, it was slower
// there: under a filter or beside a rare word bleve's searchers skip most
// postings, and reading them all costs more than the heap saves.) The
// score of a page is what bleve's disjunction scorer gives it:
// the sum of the matching terms' scores times matching/total (coord). The
// terms are summed in dictionary order rather than bleve's heap order, so a
// score can differ from bleve's in its last bit.

// sumTakeover is the least number of terms sumSearcher is used for; below
// it bleve's own disjunction, a short slice of searchers, is as fast.
var sumTakeover = searcher.DisjunctionHeapTakeover + 1

// sumSearchers counts the searchers made, for tests.
var sumSearchers atomic.Int64

// termsSearcher is the disjunction of the terms of field, as
// searcher.NewMultiTermSearcher builds it, but term at a time where that is
// faster and gives the same matches.
func termsSearcher(ctx context.Context, r index.IndexReader, terms []string, field string, boost float64,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if !sumWorthIt(ctx, len(terms), options) {
		return searcher.NewMultiTermSearcher(ctx, r, terms, field, boost, options, true)
	}
	ts, err := newTermOpener(r)
	if err != nil {
		return nil, err
	}
	cs := make(children, 0, len(terms))
	for _, t := range terms {
		c, err := newTermChild(ctx, ts, t, field, boost)
		if err != nil {
			cs.close()
			return nil, err
		}
		cs = append(cs, c)
	}
	sumSearchers.Add(1)
	cs.normalize()
	return &sumSearcher{children: cs}, nil
}

// sumWorthIt reports whether n children are walked term at a time.
func sumWorthIt(ctx context.Context, n int, options bsearch.SearcherOptions) bool {
	return n >= sumTakeover && !tooManyClauses(n) && plainScoring(ctx, options)
}

// plainScoring reports whether a search wants nothing but scores: term
// vectors, explanations, score breakdowns and unscored walks need what
// bleve's own searchers carry along (locations, bitmaps).
func plainScoring(ctx context.Context, options bsearch.SearcherOptions) bool {
	breakdown := false
	if ctx != nil {
		breakdown, _ = ctx.Value(bsearch.IncludeScoreBreakdownKey).(bool)
	}
	return options.Score != "none" && !options.IncludeTermVectors && !options.Explain && !breakdown
}

// tooManyClauses is bleve's limit on a disjunction's children, which
// bleve's searchers answer with an error.
func tooManyClauses(n int) bool {
	return searcher.DisjunctionMaxClauseCount != 0 && n > searcher.DisjunctionMaxClauseCount
}

type sumSearcher struct {
	children children
	read     bool // the children's postings have been read
	buf      *sumBuf
	next     int // index into buf.docs of the next match
}

// sumBuf is a sumSearcher's memory, pooled: summing per page takes arrays
// the size of the index, megabytes at 10,000 pages, and allocating them
// anew for every lone character kept the garbage collector busy.
type sumBuf struct {
	sum    []float64 // by internal ID: the score so far; zero between uses
	hits   []uint32  // by internal ID: the terms matched; zero between uses
	docs   []uint64  // matching pages' internal IDs, ascending
	scores []float64 // their scores
}

var sumBufs = sync.Pool{New: func() any { return new(sumBuf) }}

// readAll reads every child's postings. It runs at the first Next or
// Advance, after SetQueryNorm, which the children's scores depend on.
func (s *sumSearcher) readAll(ctx *bsearch.SearchContext) error {
	s.read = true
	b := sumBufs.Get().(*sumBuf)
	s.buf = b
	b.docs, b.scores = b.docs[:0], b.scores[:0]
	top := -1 // the highest ID seen
	for _, c := range s.children {
		for {
			n, score, err := c.next(ctx)
			if err != nil {
				clear(b.sum)
				clear(b.hits)
				return err
			}
			if n == noMore {
				break
			}
			if n >= uint64(len(b.sum)) {
				grow := max(int(n)+1, 2*len(b.sum))
				b.sum = append(b.sum, make([]float64, grow-len(b.sum))...)
				b.hits = append(b.hits, make([]uint32, grow-len(b.hits))...)
			}
			b.sum[n] += score
			b.hits[n]++
			top = max(top, int(n))
		}
	}
	total := float64(len(s.children))
	for n, h := range b.hits[:top+1] {
		if h > 0 {
			b.docs = append(b.docs, uint64(n))
			b.scores = append(b.scores, b.sum[n]*(float64(h)/total))
			b.sum[n], b.hits[n] = 0, 0
		}
	}
	return nil
}

func (s *sumSearcher) match(ctx *bsearch.SearchContext) *bsearch.DocumentMatch {
	if s.next >= len(s.buf.docs) {
		return nil
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = binary.BigEndian.AppendUint64(dm.IndexInternalID[:0], s.buf.docs[s.next])
	dm.Score = s.buf.scores[s.next]
	s.next++
	return dm
}

func (s *sumSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.read {
		if err := s.readAll(ctx); err != nil {
			return nil, err
		}
	}
	return s.match(ctx), nil
}

func (s *sumSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.read {
		if err := s.readAll(ctx); err != nil {
			return nil, err
		}
	}
	if len(id) != 8 {
		return s.Next(ctx)
	}
	target := binary.BigEndian.Uint64(id)
	docs := s.buf.docs
	s.next += sort.Search(len(docs)-s.next, func(i int) bool { return docs[s.next+i] >= target })
	return s.match(ctx), nil
}

func (s *sumSearcher) Weight() float64            { return s.children.weight() }
func (s *sumSearcher) SetQueryNorm(qnorm float64) { s.children.setQueryNorm(qnorm) }
func (s *sumSearcher) Count() uint64              { return s.children.count() }

func (s *sumSearcher) Close() error {
	if s.buf != nil {
		sumBufs.Put(s.buf)
		s.buf = nil
	}
	return s.children.close()
}

func (s *sumSearcher) Min() int { return 0 }

func (s *sumSearcher) Size() int {
	n := 64 + 8*len(s.children)
	if s.buf != nil {
		n += 16 * len(s.buf.docs)
	}
	return n
}

// DocumentMatchPoolSize: the children are single terms, read without
// DocumentMatches, and this searcher hands out one at a time.
func (s *sumSearcher) DocumentMatchPoolSize() int { return 1 }
