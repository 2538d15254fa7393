package search

import (
	"context"
	"fmt"
	"regexp"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// charPattern is the regular expression a lone CJK character c matches
// terms with: c alone or with one character before or after it.
func charPattern(c string) string { return ".?" + regexp.QuoteMeta(c) + ".?" }

// charQuery is query.NewRegexpQuery(charPattern(char)) on field with boost,
// with the matching terms looked up once per index: bleve would compile the
// pattern into an automaton and run it over the field's dictionary on every
// search, a good part of a lone-character query. The searcher is the one
// bleve's regexp query builds from the same terms in the same order, so the
// scores are the same.
func (x *Index) charQuery(char, field string, boost float64) query.Query {
	return &charQuery{x: x, pattern: charPattern(char), field: field, boost: boost}
}

type charQuery struct {
	x              *Index
	pattern, field string
	boost          float64
}

func (q *charQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	terms, err := q.x.terms.match(ctx, r, q.field, q.pattern)
	if err != nil {
		return nil, err
	}
	return termsSearcher(ctx, r, terms, q.field, q.boost, options)
}

// termCache holds the terms of a field that match a pattern, per index.
// An Index answers from one snapshot (serve's updates make a new Index),
// so they never change.
type termCache struct {
	mu sync.Mutex
	m  map[[2]string][]string // field, pattern → terms in dictionary order
}

// maxCachedPatterns bounds the cache: a pattern per CJK character and field
// is far below it; beyond, terms are looked up each time.
const maxCachedPatterns = 1 << 14

func (c *termCache) match(ctx context.Context, r index.IndexReader, field, pattern string) ([]string, error) {
	key := [2]string{field, pattern}
	c.mu.Lock()
	terms, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return terms, nil
	}
	terms, err := regexpTerms(ctx, r, field, pattern)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[[2]string][]string{}
	}
	if len(c.m) < maxCachedPatterns {
		c.m[key] = terms
	}
	c.mu.Unlock()
	return terms, nil
}

// regexpTerms lists the terms of field that match pattern, as bleve's
// regexp searcher finds them, less those no live page holds: an updated
// index (Apply) keeps the terms of deleted and replaced pages in its
// dictionary, and each would weigh in the query norm and the share of
// terms matched, so the scores would drift from a fresh index's.
func regexpTerms(ctx context.Context, r index.IndexReader, field, pattern string) ([]string, error) {
	terms, err := dictTerms(r, field, pattern)
	if err != nil || oneSegment(r) != nil { // one segment, nothing deleted: every term is live
		return terms, err
	}
	live := terms[:0]
	for _, t := range terms {
		tfr, err := r.TermFieldReader(ctx, []byte(t), field, false, false, false)
		if err != nil {
			return nil, err
		}
		n := tfr.Count()
		if err := tfr.Close(); err != nil {
			return nil, err
		}
		if n > 0 {
			live = append(live, t)
		}
	}
	return live, nil
}

// dictTerms lists the terms of field's dictionary that match pattern.
func dictTerms(r index.IndexReader, field, pattern string) (terms []string, err error) {
	ir, ok := r.(index.IndexReaderRegexp)
	if !ok {
		return nil, fmt.Errorf("search: index reader %T cannot match regular expressions; not a scorch index", r)
	}
	fd, _, err := ir.FieldDictRegexpAutomaton(field, pattern)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := fd.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	seen := map[string]bool{}
	for de, err := fd.Next(); de != nil || err != nil; de, err = fd.Next() {
		if err != nil {
			return nil, err
		}
		if !seen[de.Term] {
			seen[de.Term] = true
			terms = append(terms, de.Term)
		}
	}
	return terms, nil
}
