package search

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// charPattern is the regular expression a lone CJK character c matches
// terms with: c alone or with one character before or after it.
func charPattern(c string) string { return ".?" + regexp.QuoteMeta(c) + ".?" }

// charQuery is query.NewRegexpQuery(charPattern(char)) on field with boost,
// with the matching terms looked up once per index: bleve would compile the
// pattern into an automaton and run it over the field's dictionary on every
// search, a good part of a lone-character query. The searcher is the one
// bleve's regexp query builds from the same terms in the same order
// (searcher.NewMultiTermSearcher), so the scores are the same.
func (x *Index) charQuery(char, field string, boost float64) query.Query {
	return &charQuery{x: x, char: char, field: field, boost: boost}
}

type charQuery struct {
	x           *Index
	char, field string
	boost       float64
}

func (q *charQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	terms, err := q.x.terms.match(ctx, r, q.field, q.char)
	if err != nil {
		return nil, err
	}
	return searcher.NewMultiTermSearcher(ctx, r, terms, q.field, q.boost, options, true)
}

// termCache holds, per field, the terms each CJK character matches. An
// Index answers from one snapshot (serve's updates make a new Index), so
// they never change.
type termCache struct {
	mu    sync.Mutex
	dicts map[string]map[string][]string // field → char → its pattern's terms in dictionary order
	live  map[[2]string][]string         // field, char → those no deleted page alone holds
}

func (c *termCache) match(ctx context.Context, r index.IndexReader, field, char string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if terms, ok := c.live[[2]string{field, char}]; ok {
		return terms, nil
	}
	byChar, ok := c.dicts[field]
	if !ok {
		var err error
		if byChar, err = charTerms(r, field); err != nil {
			return nil, fmt.Errorf("search: terms of %s: %w", field, err)
		}
		if c.dicts == nil {
			c.dicts, c.live = map[string]map[string][]string{}, map[[2]string][]string{}
		}
		c.dicts[field] = byChar
	}
	terms, err := liveTerms(ctx, r, field, byChar[char])
	if err != nil {
		return nil, fmt.Errorf("search: terms of %s: %w", field, err)
	}
	c.live[[2]string{field, char}] = terms
	return terms, nil
}

// charTerms reads field's dictionary once and lists under each character
// the terms its charPattern matches: of one rune, that rune; of two, each
// of them; of three, the middle one.
func charTerms(r index.IndexReader, field string) (out map[string][]string, err error) {
	fd, err := r.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := fd.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	out = map[string][]string{}
	for de, err := fd.Next(); de != nil || err != nil; de, err = fd.Next() {
		if err != nil {
			return nil, err
		}
		for _, c := range patternChars(de.Term) {
			if l := out[c]; len(l) == 0 || l[len(l)-1] != de.Term {
				out[c] = append(l, de.Term)
			}
		}
	}
	return out, nil
}

// patternChars returns the characters c for which term matches
// charPattern(c), maybe twice the same.
func patternChars(term string) []string {
	if utf8.RuneCountInString(term) > 3 {
		return nil
	}
	var rs []string
	for i, w := 0, 0; i < len(term); i += w {
		_, w = utf8.DecodeRuneInString(term[i:])
		rs = append(rs, term[i:i+w])
	}
	switch len(rs) {
	case 3:
		return rs[1:2]
	default:
		return rs
	}
}

// liveTerms returns the terms some live page holds: an updated index
// (Apply) keeps the terms of deleted and replaced pages in its dictionary,
// and each would weigh in the query norm and the share of terms matched,
// so the scores would drift from a fresh index's.
func liveTerms(ctx context.Context, r index.IndexReader, field string, terms []string) ([]string, error) {
	var live []string
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
