package search

import (
	"cmp"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
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
	own := unionEnabled && len(q.children) >= 2 && !tooManyClauses(len(q.children)) && plainScoring(ctx, options)
	var ts *termOpener
	if own {
		var err error
		if ts, err = newTermOpener(r); err != nil {
			return nil, err
		}
	}
	ss := make([]bsearch.Searcher, 0, len(q.children))
	cs := make([]child, 0, len(q.children))
	fail := func(err error) (bsearch.Searcher, error) {
		for _, s := range ss {
			s.Close()
		}
		for _, c := range cs {
			c.close()
		}
		return nil, err
	}
	for _, c := range q.children {
		if t, ok := c.(*query.TermQuery); ok && own && t.FieldVal != "" {
			tc, err := newTermChild(ctx, ts, t.Term, t.FieldVal, t.BoostVal.Value())
			if err != nil {
				return fail(err)
			}
			cs = append(cs, tc)
			continue
		}
		if a, ok := c.(*query.ConjunctionQuery); ok && own && ts.seg != nil {
			if ac, ok, err := newAllTerms(ctx, ts, a); err != nil {
				return fail(err)
			} else if ok {
				cs = append(cs, ac)
				continue
			}
		}
		s, err := c.Searcher(ctx, r, m, options)
		if err != nil {
			return fail(err)
		}
		if own {
			cs = append(cs, &searcherChild{s: s})
		} else {
			ss = append(ss, s)
		}
	}
	if !own {
		if len(ss) == 0 {
			return searcher.NewMatchNoneSearcher(r)
		}
		return searcher.NewDisjunctionSearcher(ctx, r, ss, float64(q.min), options)
	}
	unionSearchers.Add(1)
	return newUnionSearcher(cs, q.min), nil
}

// noMore is the ID of a child that has no more matches.
const noMore = math.MaxUint64

// child is one alternative of a union: a page number and score at a time.
type child interface {
	// next returns the child's next match, advance its first match at or
	// after target, which must lie beyond the current one (a segment's
	// iterator cannot go back); both return noMore when there is none.
	next(ctx *bsearch.SearchContext) (uint64, float64, error)
	advance(ctx *bsearch.SearchContext, target uint64, id index.IndexInternalID) (uint64, float64, error)
	weight() float64
	setQueryNorm(float64)
	count() uint64
	poolSize() int
	close() error
}

// children are a searcher's children; their weights and postings add up,
// and the query norm reaches each of them.
type children []child

func (cs children) weight() float64 {
	var w float64
	for _, c := range cs {
		w += c.weight()
	}
	return w
}

func (cs children) setQueryNorm(n float64) {
	for _, c := range cs {
		c.setQueryNorm(n)
	}
}

// normalize gives the children the query norm of their own weights, as
// bleve's disjunctions and conjunctions do on construction: a searcher at
// the top of the tree gets no other.
func (cs children) normalize() { cs.setQueryNorm(1 / math.Sqrt(cs.weight())) }

func (cs children) count() uint64 {
	var n uint64
	for _, c := range cs {
		n += c.count()
	}
	return n
}

func (cs children) poolSize() int {
	n := 0
	for _, c := range cs {
		n += c.poolSize()
	}
	return n
}

func (cs children) close() error {
	var first error
	for _, c := range cs {
		if err := c.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// sortByCount orders children by their number of postings, stably: the
// order bleve's slice disjunction and conjunction sum their scores in.
func (cs children) sortByCount() {
	slices.SortStableFunc(cs, func(a, b child) int { return cmp.Compare(a.count(), b.count()) })
}

// termChild reads one term of one field straight from the index and
// scores it as bleve's TermSearcher does (tf-idf: √freq · norm · idf,
// times boost · idf · query norm), without a DocumentMatch per posting:
// most of a union's children are single terms, and bleve's searcher and
// scorer around the postings were a good part of the time. On an index of
// one segment without deletions (what Build writes) it reads the
// segment's postings itself, and takes each page's norm from a table
// rather than a square root per posting; on others (serve's updates) it
// goes through bleve's term field reader.
type termChild struct {
	it          segment.PostingsIterator // the one segment's postings, or nil
	n           uint64                   // their count
	tfr         index.TermFieldReader    // else this
	tfd         index.TermFieldDoc
	idf, boost  float64
	queryWeight float64
}

// termOpener opens the terms of an index for a searcher's children: on an
// index of one segment, the segment's dictionaries, each opened once
// (opening one costs an FST reader, and a lone character has hundreds of
// terms in a field).
type termOpener struct {
	r     index.IndexReader
	docs  uint64          // the index's document count
	seg   segment.Segment // nil unless one segment without deletions
	dicts map[string]segment.TermDictionary
}

func newTermOpener(r index.IndexReader) (*termOpener, error) {
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	return &termOpener{r: r, docs: docs, seg: oneSegment(r)}, nil
}

func (t *termOpener) dict(field string) (segment.TermDictionary, error) {
	if d, ok := t.dicts[field]; ok {
		return d, nil
	}
	d, err := t.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	if t.dicts == nil {
		t.dicts = map[string]segment.TermDictionary{}
	}
	t.dicts[field] = d
	return d, nil
}

// newTermChild reads term in field.
func newTermChild(ctx context.Context, ts *termOpener, term, field string, boost float64) (*termChild, error) {
	c := &termChild{boost: boost, queryWeight: 1}
	if ts.seg != nil {
		dict, err := ts.dict(field)
		if err != nil {
			return nil, err
		}
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			return nil, err
		}
		c.it, c.n = pl.Iterator(true, true, false, nil), pl.Count()
	} else {
		tfr, err := ts.r.TermFieldReader(ctx, []byte(term), field, true, true, false)
		if err != nil {
			return nil, err
		}
		c.tfr, c.n = tfr, tfr.Count()
	}
	// bleve's tf-idf idf (scorer.TermQueryScorer)
	c.idf = 1 + math.Log(float64(ts.docs)/float64(c.n+1))
	return c, nil
}

// oneSegment returns the segment of a scorch snapshot made of one segment
// with no deleted documents, whose document numbers are the internal IDs;
// else nil.
func oneSegment(r index.IndexReader) segment.Segment {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	segs := snap.Segments()
	if len(segs) != 1 {
		return nil
	}
	if d := segs[0].Deleted(); d != nil && !d.IsEmpty() {
		return nil
	}
	return segs[0].Segment()
}

// norms[n] is zapx's norm of a field of n terms, float64(float32(1/√n)).
var norms = func() []float64 {
	t := make([]float64, 1<<12)
	for n := range t {
		t[n] = float64(float32(1 / math.Sqrt(float64(n))))
	}
	return t
}()

type normUint64 interface{ NormUint64() uint64 }

func (c *termChild) scoreOf(id, freq uint64, norm float64) (uint64, float64, error) {
	var tf float64
	if freq < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[freq]
	} else {
		tf = math.Sqrt(float64(freq))
	}
	score := tf * norm * c.idf
	if c.queryWeight != 1 {
		score *= c.queryWeight
	}
	return id, score, nil
}

func (c *termChild) posting(p segment.Posting, err error) (uint64, float64, error) {
	if err != nil || p == nil {
		return noMore, 0, err
	}
	var norm float64
	if pn, ok := p.(normUint64); ok && pn.NormUint64() < uint64(len(norms)) {
		norm = norms[pn.NormUint64()] // a method returning a field: no cost
	} else {
		norm = p.Norm()
	}
	return c.scoreOf(p.Number(), p.Frequency(), norm)
}

func (c *termChild) fieldDoc(d *index.TermFieldDoc, err error) (uint64, float64, error) {
	if err != nil || d == nil {
		return noMore, 0, err
	}
	id, err := idKey(d.ID)
	if err != nil {
		return noMore, 0, err
	}
	return c.scoreOf(id, d.Freq, d.Norm)
}

func (c *termChild) next(*bsearch.SearchContext) (uint64, float64, error) {
	if c.it != nil {
		return c.posting(c.it.Next())
	}
	return c.fieldDoc(c.tfr.Next(c.tfd.Reset()))
}

// advance moves to target or past it; the union only asks for targets
// beyond the current match, as the segment's iterator requires.
func (c *termChild) advance(_ *bsearch.SearchContext, target uint64, id index.IndexInternalID) (uint64, float64, error) {
	if c.it != nil {
		return c.posting(c.it.Advance(target))
	}
	if id == nil {
		id = internalID(target)
	}
	return c.fieldDoc(c.tfr.Advance(id, c.tfd.Reset()))
}

func (c *termChild) weight() float64 {
	w := c.boost * c.idf
	return w * w
}

func (c *termChild) setQueryNorm(n float64) { c.queryWeight = c.boost * c.idf * n }
func (c *termChild) count() uint64          { return c.n }
func (c *termChild) poolSize() int          { return 0 }

func (c *termChild) close() error {
	if c.tfr != nil {
		return c.tfr.Close()
	}
	return nil
}

// allTerms is a conjunction of single terms as a child (the bigrams of a
// run of Chinese in one field: 客户 户成 成功), scored as bleve's
// conjunction is, by the sum of its terms' scores. Like bleve's, it first
// intersects the terms' postings bitmaps, so each term steps through the
// pages that hold them all.
type allTerms struct {
	terms children // *termChild each
	ids   []uint64
	score []float64
	start bool
}

// newAllTerms makes an allTerms of q when every conjunct is a term with a
// field and the index is one segment (ts.seg); ok is false otherwise.
func newAllTerms(ctx context.Context, ts *termOpener, q *query.ConjunctionQuery) (c *allTerms, ok bool, err error) {
	if len(q.Conjuncts) < 2 {
		return nil, false, nil
	}
	for _, cq := range q.Conjuncts {
		if t, ok := cq.(*query.TermQuery); !ok || t.FieldVal == "" {
			return nil, false, nil
		}
	}
	c = &allTerms{}
	for _, cq := range q.Conjuncts {
		t := cq.(*query.TermQuery)
		tc, err := newTermChild(ctx, ts, t.Term, t.FieldVal, t.BoostVal.Value())
		if err != nil {
			c.close()
			return nil, false, err
		}
		c.terms = append(c.terms, tc)
	}
	c.terms.sortByCount()
	c.intersect()
	c.ids, c.score = make([]uint64, len(c.terms)), make([]float64, len(c.terms))
	c.terms.normalize()
	return c, true, nil
}

// intersect narrows every term's postings to the pages of all of them.
func (c *allTerms) intersect() {
	var its []segment.OptimizablePostingsIterator
	var bm *roaring.Bitmap
	for _, t := range c.terms {
		it, ok := t.(*termChild).it.(segment.OptimizablePostingsIterator)
		if !ok || it.ActualBitmap() == nil {
			continue // a term of one page keeps its own iterator
		}
		its = append(its, it)
		if bm == nil {
			bm = it.ActualBitmap().Clone()
		} else {
			bm.And(it.ActualBitmap())
		}
	}
	if len(its) < 2 {
		return
	}
	for _, it := range its {
		it.ReplaceActual(bm)
	}
}

func (c *allTerms) next(ctx *bsearch.SearchContext) (uint64, float64, error) {
	c.start = true // at the first call, or all standing on the last match
	for i, t := range c.terms {
		var err error
		if c.ids[i], c.score[i], err = t.next(ctx); err != nil {
			return noMore, 0, err
		}
	}
	return c.align(ctx)
}

func (c *allTerms) advance(ctx *bsearch.SearchContext, target uint64, id index.IndexInternalID) (uint64, float64, error) {
	for i, t := range c.terms {
		if c.start && c.ids[i] >= target {
			continue
		}
		var err error
		if c.ids[i], c.score[i], err = t.advance(ctx, target, id); err != nil {
			return noMore, 0, err
		}
	}
	c.start = true
	return c.align(ctx)
}

// align moves the terms on until they stand on one page, and scores it.
func (c *allTerms) align(ctx *bsearch.SearchContext) (uint64, float64, error) {
	for {
		high := uint64(0)
		for _, id := range c.ids {
			high = max(high, id)
		}
		if high == noMore {
			return noMore, 0, nil
		}
		behind := false
		for i, t := range c.terms {
			if c.ids[i] < high {
				behind = true
				var err error
				if c.ids[i], c.score[i], err = t.advance(ctx, high, nil); err != nil {
					return noMore, 0, err
				}
			}
		}
		if !behind {
			var sum float64
			for _, s := range c.score {
				sum += s
			}
			return high, sum, nil
		}
	}
}

func (c *allTerms) weight() float64        { return c.terms.weight() }
func (c *allTerms) setQueryNorm(n float64) { c.terms.setQueryNorm(n) }

// count is bleve's conjunction's: the sum of its terms' postings.
func (c *allTerms) count() uint64 { return c.terms.count() }
func (c *allTerms) poolSize() int { return 0 }
func (c *allTerms) close() error  { return c.terms.close() }

// searcherChild is any other searcher (a phrase, a conjunction, a lone
// character) as a child.
type searcherChild struct{ s bsearch.Searcher }

func (c *searcherChild) match(ctx *bsearch.SearchContext, dm *bsearch.DocumentMatch, err error) (uint64, float64, error) {
	if err != nil || dm == nil {
		return noMore, 0, err
	}
	id, err := idKey(dm.IndexInternalID)
	score := dm.Score
	ctx.DocumentMatchPool.Put(dm)
	if err != nil {
		return noMore, 0, err
	}
	return id, score, nil
}

func (c *searcherChild) next(ctx *bsearch.SearchContext) (uint64, float64, error) {
	dm, err := c.s.Next(ctx)
	return c.match(ctx, dm, err)
}

func (c *searcherChild) advance(ctx *bsearch.SearchContext, _ uint64, id index.IndexInternalID) (uint64, float64, error) {
	dm, err := c.s.Advance(ctx, id)
	return c.match(ctx, dm, err)
}

func (c *searcherChild) weight() float64        { return c.s.Weight() }
func (c *searcherChild) setQueryNorm(n float64) { c.s.SetQueryNorm(n) }
func (c *searcherChild) count() uint64          { return c.s.Count() }
func (c *searcherChild) poolSize() int          { return c.s.DocumentMatchPoolSize() + 1 }
func (c *searcherChild) close() error           { return c.s.Close() }

type unionSearcher struct {
	children children
	min      int
	started  bool
	ids      []uint64  // each child's current match, noMore when done
	scores   []float64 // and its score
}

func newUnionSearcher(cs []child, min int) *unionSearcher {
	s := &unionSearcher{
		children: cs,
		min:      min,
		ids:      make([]uint64, len(cs)),
		scores:   make([]float64, len(cs)),
	}
	s.children.sortByCount() // bleve's slice searcher sums in this order
	s.children.normalize()
	return s
}

func (s *unionSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		s.started = true
		for i, c := range s.children {
			var err error
			if s.ids[i], s.scores[i], err = c.next(ctx); err != nil {
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
		for _, id := range s.ids {
			low = min(low, id)
		}
		if low == noMore {
			return nil, nil
		}
		// sum the children on it, in order, and move them on
		var sum float64
		n := 0
		for i, id := range s.ids {
			if id != low {
				continue
			}
			sum += s.scores[i]
			n++
			var err error
			if s.ids[i], s.scores[i], err = s.children[i].next(ctx); err != nil {
				return nil, err
			}
		}
		if n >= s.min {
			dm := ctx.DocumentMatchPool.Get()
			dm.IndexInternalID = binary.BigEndian.AppendUint64(dm.IndexInternalID[:0], low)
			dm.Score = sum * (float64(n) / float64(len(s.children)))
			return dm, nil
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
		if s.ids[i], s.scores[i], err = c.advance(ctx, target, id); err != nil {
			return nil, err
		}
	}
	s.started = true
	return s.next(ctx)
}

func (s *unionSearcher) Weight() float64            { return s.children.weight() }
func (s *unionSearcher) SetQueryNorm(qnorm float64) { s.children.setQueryNorm(qnorm) }
func (s *unionSearcher) Count() uint64              { return s.children.count() }
func (s *unionSearcher) Close() error               { return s.children.close() }

func (s *unionSearcher) Min() int { return s.min }

func (s *unionSearcher) Size() int { return 96 + 40*len(s.children) }

// DocumentMatchPoolSize: the match handed out, and what the children that
// are searchers hold.
func (s *unionSearcher) DocumentMatchPoolSize() int { return 1 + s.children.poolSize() }
