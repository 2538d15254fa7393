package search

import (
	"context"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Request is one search.
type Request struct {
	Query  string   // what the user typed; see Query for the syntax
	Types  []string // only pages of these types (besides type: in Query)
	Stages []string // only pages of these stages, by key or display name
	Limit  int      // hits to return: DefaultLimit when 0, at most MaxLimit

	NoFacets bool // skip counting facets (the CLI shows none)
}

// Limits on hits per request.
const (
	DefaultLimit = 10
	MaxLimit     = 100
)

// Result is the answer to a Request.
type Result struct {
	Query string `json:"query"` // the sanitised query
	Total int    `json:"total"` // pages that match, relaxed hits included
	// Strict is the number of pages that match every word; when it is below
	// RelaxBelow the query relaxed and the others are relaxed hits, after
	// the strict ones (see RelaxBelow).
	Strict int `json:"strict"`
	// Relaxed is the last relaxation step that found a page, 0 for none.
	Relaxed int           `json:"relaxed"`
	Hits    []Hit         `json:"hits"` // best first
	Facets  Facets        `json:"facets"`
	Took    time.Duration `json:"-"`
}

// Hit is one matching page.
type Hit struct {
	Path    string  `json:"path"`
	URL     string  `json:"url"`
	Title   string  `json:"title"`
	Type    string  `json:"type"`
	Score   float64 `json:"score"`
	Snippet Snippet `json:"snippet"` // HTML in JSON: matched words in <mark>, the rest escaped
	Exact   bool    `json:"-"`       // the query is the page's title or alias
	// Relaxed is the relaxation step that found the page (RelaxFiller …),
	// 0 when it matches every word.
	Relaxed int `json:"relaxed,omitempty"`

	stored map[string]any // stored fields, for the snippet
}

// Facets count the matching pages per value. A dimension under a filter is
// counted as if that filter were not set, so every choice shows its count.
type Facets struct {
	Type  []FacetCount `json:"type"`
	Stage []FacetCount `json:"stage"`
}

// FacetCount is the number of matching pages with one value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Scoring. A page's score is bleve's TF-IDF over this query tree, and
// reference_test.go recomputes it from exported postings alone:
//
//	query   = Conjunction(clause …), restricted by the filters (which do not score);
//	          Disjunction(clause …) for the last relaxation step (Query.Any)
//	clause  = Disjunction(leaf(v, f, fieldBoost[f]·w) for each variant v and field f
//	          [+ loose(v, w·looseWeight) when v.Loose > 0])
//	          w = 1 for the words typed, synonymWeight for a synonym;
//	          a Char variant only in charFields; a Backoff variant (relax.go) is
//	          instead Term(c) in the chars field with boost backoffBoost·w for
//	          each of its characters c [+ loose(v, w·looseWeight) when v.Loose > 0]
//	leaf    = Term t                          one term
//	        | Conjunction(Term t …)           the bigrams of one CJK run (each once)
//	        | Phrase(t …)                     v.Adjacent: consecutive positions of one value
//	        | Disjunction(Term t for t in the field's terms with prefix p)
//	                                          v.Prefix; with no such term, or only p
//	                                          itself, just Term p
//	        | Disjunction(Term t for t in the field's terms matching ^.?C.?$)
//	                                          v.Char
//	loose   = Disjunction(min v.Loose; Disjunction(Term t in each field) for t in v.LooseTerms)
//
// with
//
//	Term t     = √tf · norm · idf · boost · idf · queryNorm      (if t is in the page's field)
//	idf        = 1 + ln(pages / (df + 1))        df: pages with t in the field, maybe 0
//	norm       = the posting's norm, 1/√(terms in the field)
//	Conjunction, Phrase = Σ children (all must match)
//	Disjunction = Σ matching children × matching/children (at least max(1, min) match)
//	queryNorm  = 1/√W,  W = Σ over every Term node of the tree of (boost·idf)²,
//	             matching or not (an empty Disjunction adds nothing)
//
// A page of a type the query names (Query.Prefer) has its score multiplied
// by typePreference. Ties are broken by path. Pages whose name equals the
// query (Query.Exact) then come first, their score raised by the best
// score of the result. A query that relaxes (relax.go) adds the pages of
// each step after those found before.
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{fieldName, 10}, {fieldAnswer, 3}, {fieldLead, 3}, {fieldText, 1},
}

// charFields are where a lone CJK character is looked for: in every term of
// a page's name and lead, not its text, where it would match nearly all.
var charFields = map[string]bool{fieldName: true, fieldLead: true}

const (
	synonymWeight = 0.5
	looseWeight   = 1
	scoringModel  = "" // bleve's default, TF-IDF
)

// Search runs a request. A *QueryError means the query cannot be searched.
func (x *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	q, err := x.Parse(r.Query)
	if err != nil {
		return nil, err
	}
	for _, t := range r.Types {
		q.addFilter(fieldType, t)
	}
	for _, s := range r.Stages {
		q.addFilter(fieldStage, s)
	}
	x.resolveLabels(q)
	if len(q.Clauses) == 0 && len(q.Filters) == 0 {
		return nil, &QueryError{"nothing to search for: type a word"}
	}
	limit := r.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)

	rd, release, err := x.reader()
	if err != nil {
		return nil, err
	}
	defer release()
	s, err := x.newRun(ctx, rd, q, limit, !r.NoFacets)
	if err != nil {
		return nil, err
	}
	if err := s.step(ctx, q, RelaxNone); err != nil {
		return nil, err
	}
	s.strict = s.total
	if len(q.Clauses) > 0 && s.total < RelaxBelow {
		if err := s.relax(ctx, q); err != nil {
			return nil, err
		}
	}
	out, err := s.result(q)
	if err != nil {
		return nil, err
	}
	out.Took = time.Since(start)
	return out, nil
}

// run is one search: its steps, strict and relaxed, and what they found.
type run struct {
	x       *Index
	rd      index.IndexReader
	limit   int
	t       *facetTable
	count   *counter // nil without facets
	filters []Filter // the filters the query applies; count applies the rest
	total   int
	strict  int
	hits    []stepHit
	seen    map[uint64]bool // every match so far: fewer than RelaxBelow when a step relaxes
	paths   map[uint64]string
}

// stepHit is a match and the step that found it.
type stepHit struct {
	scored
	step  int
	q     *Query // the step's query, for the snippet
	exact bool
}

func (x *Index) newRun(ctx context.Context, rd index.IndexReader, q *Query, limit int, facets bool) (*run, error) {
	t, err := x.facets(ctx, rd)
	if err != nil {
		return nil, err
	}
	s := &run{x: x, rd: rd, limit: limit, t: t, filters: q.Filters, seen: map[uint64]bool{}, paths: map[uint64]string{}}
	// With facets, the filters on facet dimensions are applied from the
	// facet table as the matches are counted, in the same walk; the other
	// filters restrict the query.
	if facets {
		s.count = newCounter(t, q.Filters)
		s.filters = nil
		for _, f := range q.Filters {
			if !facetFilter(f) {
				s.filters = append(s.filters, f)
			}
		}
	}
	return s, nil
}

// relax runs the relaxation steps after the strict query q, each that
// changes the query, until the pages found reach RelaxBelow.
func (s *run) relax(ctx context.Context, q *Query) error {
	cur := q
	for step := RelaxFiller; step <= RelaxAny && s.total < RelaxBelow; step++ {
		var next *Query
		var err error
		switch step {
		case RelaxFiller:
			next = relaxFiller(cur, s.x.syn)
		case RelaxChars:
			next, err = s.x.relaxChars(ctx, s.rd, cur)
		case RelaxAny:
			next = relaxAny(cur)
		}
		if err != nil {
			return err
		}
		if next == nil {
			continue
		}
		if err := s.step(ctx, next, step); err != nil {
			return err
		}
		cur = next
	}
	return nil
}

// step runs the query of one step and adds the pages it finds first.
func (s *run) step(ctx context.Context, q *Query, step int) error {
	// each step's clauses, a relaxed step's new ones too, keep their
	// pinyin keys only where some page has them, as the static client
	if err := resolvePinyin(ctx, s.rd, q); err != nil {
		return err
	}
	var exact map[uint64]bool
	if q.Exact != "" {
		var err error
		if exact, err = exactIDs(ctx, s.rd, s.x, q.Exact, q.Filters); err != nil {
			return err
		}
	}
	if err := s.x.preferNames(ctx, s.rd, q); err != nil {
		return err
	}
	pref := preferenceOf(s.t, q)
	// every match is kept while fewer than RelaxBelow, for the next step
	keep := max(s.limit+len(s.seen), RelaxBelow)
	p, err := walk(ctx, s.rd, s.x, withFilters(s.x.mustQuery(q), s.filters), true, keep, exact, s.count, pref, s.seen)
	if err != nil {
		return err
	}
	top, paths, err := collectTop(s.rd, s.t, p, keep)
	if err != nil {
		return err
	}
	for id, path := range paths {
		s.paths[id] = path
	}
	ranked, err := exactFirst(p, top, s.pathOf)
	if err != nil {
		return err
	}
	for _, m := range ranked {
		s.hits = append(s.hits, stepHit{scored: m, step: step, q: q, exact: exact[m.id]})
	}
	s.total += p.total
	if s.total < RelaxBelow {
		for _, m := range p.all {
			s.seen[m.id] = true
		}
	}
	return nil
}

func (s *run) pathOf(id uint64) (string, error) {
	if path, ok := s.paths[id]; ok {
		return path, nil
	}
	path, err := s.rd.ExternalID(s.t.internal(id))
	s.paths[id] = path
	return path, err
}

// result loads the first limit hits.
func (s *run) result(q *Query) (*Result, error) {
	out := &Result{Query: q.Text, Total: s.total, Strict: s.strict, Hits: []Hit{}}
	if s.count != nil {
		out.Facets.Type, out.Facets.Stage = s.count.result(0), s.count.result(1)
	} else {
		out.Facets.Type, out.Facets.Stage = []FacetCount{}, []FacetCount{}
	}
	for _, m := range s.hits {
		out.Relaxed = max(out.Relaxed, m.step)
	}
	if len(s.hits) > s.limit {
		s.hits = s.hits[:s.limit]
	}
	for _, m := range s.hits {
		path, err := s.pathOf(m.id)
		if err != nil {
			return nil, err
		}
		h, err := loadHit(s.rd, path, m.score)
		if err != nil {
			return nil, err
		}
		h.Exact, h.Relaxed = m.exact, m.step
		h.Snippet = makeSnippet(m.q, s.x.storedText(h))
		out.Hits = append(out.Hits, h)
	}
	return out, nil
}

// exactFirst puts the pages whose name equals the query first, by score
// and path: their score gains the best score of the result, so the order
// stays by score.
func exactFirst(p *pass, top []scored, pathOf func(uint64) (string, error)) ([]scored, error) {
	if len(p.exact) == 0 || len(top) == 0 {
		return top, nil
	}
	for _, m := range p.exact {
		if _, err := pathOf(m.id); err != nil {
			return nil, err
		}
	}
	sort.Slice(p.exact, func(i, j int) bool {
		a, b := p.exact[i], p.exact[j]
		if a.score != b.score {
			return a.score > b.score
		}
		pa, _ := pathOf(a.id)
		pb, _ := pathOf(b.id)
		return pa < pb
	})
	best := top[0].score
	out := make([]scored, 0, len(p.exact)+len(top))
	seen := map[uint64]bool{}
	for _, m := range p.exact {
		out = append(out, scored{score: m.score + best, id: m.id})
		seen[m.id] = true
	}
	for _, m := range top {
		if !seen[m.id] {
			out = append(out, m)
		}
	}
	return out, nil
}

func (x *Index) mustQuery(q *Query) query.Query {
	if len(q.Clauses) == 0 {
		return query.NewMatchAllQuery()
	}
	var cs, backoffs []query.Query
	for _, c := range q.Clauses {
		if c.backedOff() && !q.Any {
			backoffs = append(backoffs, x.clauseQuery(c))
		} else {
			cs = append(cs, x.clauseQuery(c))
		}
	}
	if q.Any {
		return anyOf(cs)
	}
	// words backed off to their characters are each a guess: a page
	// matches with any of them, scaled by the share it matches
	switch len(backoffs) {
	case 0:
	case 1:
		cs = append(cs, backoffs[0])
	default:
		cs = append(cs, anyOf(backoffs))
	}
	return query.NewConjunctionQuery(cs)
}

// backedOff reports whether c is a word backed off to its characters.
func (c Clause) backedOff() bool { return len(c.Variants) > 0 && c.Variants[0].Backoff }

func (x *Index) clauseQuery(c Clause) query.Query {
	var leaves []query.Query
	for i, v := range c.Variants {
		w := 1.0
		if i > 0 {
			w = synonymWeight
		}
		if v.Backoff {
			for _, c := range v.Terms {
				t := query.NewTermQuery(c)
				t.SetField(fieldChars)
				t.SetBoost(backoffBoost * w)
				leaves = append(leaves, t)
			}
			if v.Loose > 0 {
				leaves = append(leaves, looseQuery(v, w*looseWeight))
			}
			continue
		}
		for _, fb := range fieldBoosts {
			if v.Char && !charFields[fb.field] {
				continue
			}
			if v.Char {
				leaves = append(leaves, x.charQuery(v.Terms[0], fb.field, fb.boost*w))
				continue
			}
			leaves = append(leaves, leafQuery(v, fb.field, fb.boost*w))
		}
		if v.Loose > 0 {
			leaves = append(leaves, looseQuery(v, w*looseWeight))
		}
	}
	if c.Pinyin != "" {
		leaves = append(leaves, pinyinQuery(c.Pinyin))
	}
	return anyOf(leaves)
}

// looseQuery matches pages with at least v.Loose of v.LooseTerms, each in
// any field.
func looseQuery(v Variant, w float64) query.Query {
	var terms []query.Query
	for _, t := range v.LooseTerms {
		var fields []query.Query
		for _, fb := range fieldBoosts {
			fields = append(fields, leafQuery(Variant{Terms: []string{t}}, fb.field, fb.boost*w))
		}
		terms = append(terms, anyOf(fields))
	}
	d := anyOf(terms)
	d.SetMin(float64(min(v.Loose, len(terms))))
	return d
}

// anyOf matches the pages that match any of qs.
func anyOf(qs []query.Query) *query.DisjunctionQuery { return query.NewDisjunctionQuery(qs) }

func dedupeStrings(list []string) []string {
	var out []string
	for _, s := range list {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func leafQuery(v Variant, field string, boost float64) query.Query {
	var q interface {
		query.FieldableQuery
		query.BoostableQuery
	}
	switch {
	case v.Prefix:
		q = query.NewPrefixQuery(v.Terms[0])
	case len(v.Terms) == 1:
		q = query.NewTermQuery(v.Terms[0])
	case v.Adjacent:
		q = query.NewPhraseQuery(v.Terms, field)
	default:
		terms := make([]query.Query, 0, len(v.Terms))
		for _, t := range dedupeStrings(v.Terms) {
			terms = append(terms, leafQuery(Variant{Terms: []string{t}}, field, boost))
		}
		return query.NewConjunctionQuery(terms)
	}
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// filterQuery is every filter as a term disjunction, all of them required.
func filterQuery(filters []Filter) query.Query {
	if len(filters) == 0 {
		return nil
	}
	var all []query.Query
	for _, f := range filters {
		var any []query.Query
		for _, v := range f.Values {
			t := query.NewTermQuery(v)
			t.SetField(f.Field)
			any = append(any, t)
		}
		all = append(all, query.NewDisjunctionQuery(any))
	}
	return query.NewConjunctionQuery(all)
}

// resolveLabels turns stage and role display names in filters into keys.
func (x *Index) resolveLabels(q *Query) {
	for i, f := range q.Filters {
		var names map[string]string
		switch f.Field {
		case fieldStage:
			names = x.meta.Stages
		case fieldRole:
			names = x.meta.Roles
		}
		for j, v := range f.Values {
			for key, name := range names {
				if Normalize(name) == v {
					q.Filters[i].Values[j] = Normalize(key)
				}
			}
		}
	}
}
