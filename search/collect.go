package search

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"sync"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Searches walk bleve's searchers themselves rather than through bleve's
// collector: one pass scores every match, counts it for the total and the
// facets and keeps the best, and the pages named like the query are picked
// out on the way. Facets come from a table of each page's type and stages
// read once, not from doc values per match. The scores are bleve's. All of
// it goes through bleve's public interfaces (query.Query, search.Searcher,
// index.IndexReader): an internal ID is an opaque key, which the table
// numbers densely.

// facetTable numbers the documents of a snapshot and holds the type and
// stages of each. An Index answers from one snapshot (Apply makes a new
// Index for an update), so one table serves every search of it.
type facetTable struct {
	values [2][]string         // facetDims[i]: the distinct values
	index  [2]map[string]int32 // facetDims[i]: value → its place in values
	// num gives each document's internal ID its number, ids the reverse:
	// matches are kept, counted and skipped by number, in slices and bitsets
	// rather than maps of byte strings. An ID of 8 bytes (scorch's) is
	// looked up in num8, by its bytes as one integer: a tenth of a walk's
	// time went into hashing and comparing them as strings. No meaning is
	// read into the bytes.
	num  map[string]uint64
	num8 map[uint64]uint64
	ids  []index.IndexInternalID
	// docs[n][dim] are indexes into values[dim] of document n.
	docs [][2][]int32
}

var facetDims = [2]string{fieldType, fieldStage}

func (x *Index) facets(ctx context.Context, r index.IndexReader) (*facetTable, error) {
	x.facetOnce.Do(func() { x.facetTab, x.facetErr = readFacets(ctx, r) })
	return x.facetTab, x.facetErr
}

func readFacets(ctx context.Context, r index.IndexReader) (*facetTable, error) {
	t := &facetTable{num: map[string]uint64{}, num8: map[uint64]uint64{}}
	if err := t.number(r); err != nil {
		return nil, err
	}
	for dim, field := range facetDims {
		if err := t.readDim(ctx, r, dim, field); err != nil {
			return nil, fmt.Errorf("search: facet %s: %w", field, err)
		}
	}
	return t, nil
}

// number gives every live document of r a number, in r's order.
func (t *facetTable) number(r index.IndexReader) error {
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("search: documents: %w", err)
	}
	defer dr.Close()
	for {
		id, err := dr.Next()
		if err != nil {
			return fmt.Errorf("search: documents: %w", err)
		}
		if id == nil {
			break
		}
		if len(id) == 8 {
			t.num8[binary.BigEndian.Uint64(id)] = uint64(len(t.ids))
		} else {
			t.num[string(id)] = uint64(len(t.ids))
		}
		t.ids = append(t.ids, slices.Clone(id))
	}
	t.docs = make([][2][]int32, len(t.ids))
	return nil
}

// readDim reads the values of one facet dimension from its postings.
func (t *facetTable) readDim(ctx context.Context, r index.IndexReader, dim int, field string) (err error) {
	t.index[dim] = map[string]int32{}
	fd, err := r.FieldDict(field)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := fd.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for de, err := fd.Next(); de != nil || err != nil; de, err = fd.Next() {
		if err != nil {
			return err
		}
		v := int32(len(t.values[dim]))
		t.values[dim] = append(t.values[dim], de.Term)
		t.index[dim][de.Term] = v
		if err := t.readValue(ctx, r, dim, field, de.Term, v); err != nil {
			return err
		}
	}
	return nil
}

// readValue marks the documents with one value of a dimension.
func (t *facetTable) readValue(ctx context.Context, r index.IndexReader, dim int, field, term string, v int32) error {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return err
	}
	defer tfr.Close()
	for {
		p, err := tfr.Next(nil)
		if err != nil {
			return err
		}
		if p == nil {
			return nil
		}
		if n, ok := t.key(p.ID); ok { // a deleted document's posting is not
			t.docs[n][dim] = append(t.docs[n][dim], v)
		}
	}
}

// key returns the number of the document with internal ID id.
func (t *facetTable) key(id index.IndexInternalID) (uint64, bool) {
	if len(id) == 8 {
		n, ok := t.num8[binary.BigEndian.Uint64(id)]
		return n, ok
	}
	n, ok := t.num[string(id)]
	return n, ok
}

// match returns the number of a matching document, which the snapshot
// the table was read from must hold.
func (t *facetTable) match(id index.IndexInternalID) (uint64, error) {
	n, ok := t.key(id)
	if !ok {
		return 0, fmt.Errorf("search: a match (internal ID %x) is not among the index's documents", []byte(id))
	}
	return n, nil
}

// internal returns the internal ID of document n.
func (t *facetTable) internal(n uint64) index.IndexInternalID { return t.ids[n] }

func (t *facetTable) doc(id uint64) [2][]int32 {
	if id < uint64(len(t.docs)) {
		return t.docs[id]
	}
	return [2][]int32{}
}

// counter counts matches per facet value and applies the filters on facet
// dimensions itself, from the table: one walk over the matches without
// those filters yields the matches with them and, for each dimension, the
// counts as if its own filter were not set (see Facets).
type counter struct {
	t      *facetTable
	counts [2][]int
	// want[dim], when not nil, is the filter on dim: want[dim][v] for each
	// value v a page must have one of.
	want [2][]bool
	// counted has a bit per page counted, so that a page matched again by
	// a relaxation step is counted once.
	counted []uint64
}

func newCounter(t *facetTable, filters []Filter) *counter {
	c := &counter{t: t, counted: make([]uint64, (len(t.docs)+63)/64)}
	for dim, field := range facetDims {
		c.counts[dim] = make([]int, len(t.values[dim]))
		for _, f := range filters {
			if f.Field != field {
				continue
			}
			if c.want[dim] == nil {
				c.want[dim] = make([]bool, len(t.values[dim]))
			}
			for _, v := range f.Values {
				if i, ok := t.index[dim][v]; ok {
					c.want[dim][i] = true
				}
			}
		}
	}
	return c
}

// facetFilter reports whether a filter is on a facet dimension, which the
// counter applies.
func facetFilter(f Filter) bool { return f.Field == facetDims[0] || f.Field == facetDims[1] }

// add counts a match of the query without the facet filters and reports
// whether it passes them.
func (c *counter) add(id uint64) bool {
	e := c.t.doc(id)
	var pass [2]bool
	for dim := range facetDims {
		pass[dim] = c.want[dim] == nil
		for _, v := range e[dim] {
			if !pass[dim] && c.want[dim][v] {
				pass[dim] = true
			}
		}
	}
	if id < uint64(len(c.t.docs)) {
		if c.counted[id/64]&(1<<(id%64)) != 0 {
			return pass[0] && pass[1]
		}
		c.counted[id/64] |= 1 << (id % 64)
	}
	for dim := range facetDims {
		if pass[1-dim] { // the other dimension's filter holds
			for _, v := range e[dim] {
				c.counts[dim][v]++
			}
		}
	}
	return pass[0] && pass[1]
}

func (c *counter) result(dim int) []FacetCount {
	out := []FacetCount{}
	for i, n := range c.counts[dim] {
		if n > 0 {
			out = append(out, FacetCount{Value: c.t.values[dim][i], Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// scored is one match: its score and internal ID.
type scored struct {
	score float64
	id    uint64
}

// minHeap keeps the k best matches with the worst on top.
type minHeap []scored

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i].score < h[j].score }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// pass is the outcome of one walk over the matches.
type pass struct {
	total int
	all   []scored // the matches that may be among the k best, ties included
	best  minHeap  // the k best scores
	exact []scored // matches among the wanted IDs
}

// walk runs q over r and visits every match. keep > 0 keeps the scores of
// the keep best matches (ties included: see collectTop); wanted collects the
// matches with those IDs; count, when not nil, counts facets and drops the
// matches its filters do not pass; pref scales the scores; the matches in
// skip (found by an earlier relaxation step) are neither counted in the
// total nor kept.
func walk(ctx context.Context, r index.IndexReader, x *Index, q query.Query, score bool, keep int,
	wanted map[uint64]bool, count *counter, pref *preference, skip map[uint64]bool) (*pass, error) {
	opts := bsearch.SearcherOptions{}
	if !score {
		opts.Score = "none"
	}
	t, err := x.facets(ctx, r)
	if err != nil {
		return nil, err
	}
	s, err := q.Searcher(ctx, r, x.bi.Mapping(), opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	p := &pass{}
	for {
		if p.total&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			break
		}
		id, err := t.match(dm.IndexInternalID)
		if err != nil {
			return nil, err
		}
		if count != nil && !count.add(id) {
			sctx.DocumentMatchPool.Put(dm)
			continue // not under the facet filters
		}
		if skip[id] {
			sctx.DocumentMatchPool.Put(dm)
			continue
		}
		p.total++
		sc := dm.Score
		if pref != nil {
			sc *= pref.of(id)
		}
		if keep > 0 {
			m := scored{score: sc, id: id}
			// a match below the k-th best score so far stays below the final
			// one: collectTop would drop it
			if len(p.best) < keep || m.score >= p.best[0].score {
				p.all = append(p.all, m)
			}
			if len(p.best) < keep {
				heap.Push(&p.best, m)
			} else if m.score > p.best[0].score {
				p.best[0] = m
				heap.Fix(&p.best, 0)
			}
		}
		if wanted[id] {
			p.exact = append(p.exact, scored{score: sc, id: id})
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	return p, nil
}

// collectTop returns the k best matches, by score and then by path: every
// match scoring at least the k-th best score is ranked by path among its
// equals, so ties break the same way on every build.
func collectTop(r index.IndexReader, t *facetTable, p *pass, k int) ([]scored, map[uint64]string, error) {
	if len(p.best) == 0 {
		return nil, map[uint64]string{}, nil
	}
	floor := p.best[0].score
	if len(p.best) < k {
		floor = -1
	}
	var cand []scored
	for _, m := range p.all {
		if m.score >= floor {
			cand = append(cand, m)
		}
	}
	paths := make(map[uint64]string, len(cand))
	for _, m := range cand {
		ext, err := r.ExternalID(t.internal(m.id))
		if err != nil {
			return nil, nil, err
		}
		paths[m.id] = ext
	}
	sort.Slice(cand, func(i, j int) bool {
		if cand[i].score != cand[j].score {
			return cand[i].score > cand[j].score
		}
		return paths[cand[i].id] < paths[cand[j].id]
	})
	if len(cand) > k {
		cand = cand[:k]
	}
	return cand, paths, nil
}

// exactIDs returns the internal IDs of the documents whose exact key is
// key, under the filters.
func exactIDs(ctx context.Context, r index.IndexReader, x *Index, key string, filters []Filter) (map[uint64]bool, error) {
	tab, err := x.facets(ctx, r)
	if err != nil {
		return nil, err
	}
	t := query.NewTermQuery(key)
	t.SetField(fieldExact)
	ids := map[uint64]bool{}
	s, err := withFilters(t, filters).Searcher(ctx, r, x.bi.Mapping(), bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	for {
		dm, err := s.Next(sctx)
		if err != nil || dm == nil {
			return ids, err
		}
		id, err := tab.match(dm.IndexInternalID)
		if err != nil {
			return nil, err
		}
		ids[id] = true
		sctx.DocumentMatchPool.Put(dm)
	}
}

// withFilters restricts q to the filters without changing its scores.
func withFilters(q query.Query, filters []Filter) query.Query {
	f := filterQuery(filters)
	if f == nil {
		return q
	}
	b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
	b.AddFilter(f)
	return b
}

// loadHit reads the stored fields of one document.
func loadHit(r index.IndexReader, path string, score float64) (Hit, error) {
	h := Hit{Path: path, Score: score, stored: map[string]any{}}
	doc, err := r.Document(path)
	if err != nil || doc == nil {
		return h, err
	}
	doc.VisitFields(func(f index.Field) {
		v := string(f.Value())
		switch f.Name() {
		case fieldTitle:
			h.Title = v
		case fieldURL:
			h.URL = v
		case fieldType:
			h.Type = v
		case fieldText:
			parts, _ := h.stored[fieldText].([]any)
			h.stored[fieldText] = append(parts, v)
		default:
			h.stored[f.Name()] = v
		}
	})
	return h, nil
}

// onceFacets is embedded in Index.
type onceFacets struct {
	facetOnce sync.Once
	facetTab  *facetTable
	facetErr  error
}
