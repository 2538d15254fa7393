package search

import (
	"context"
	"math"

	index "github.com/blevesearch/bleve_index_api"
)

// Hooks for the external tests of this package.

// Reader opens a point-in-time reader of the index; close it.
func (x *Index) Reader() (index.IndexReader, error) {
	ai, err := x.bi.Advanced()
	if err != nil {
		return nil, err
	}
	return ai.Reader()
}

// RawScores runs a query and returns bleve's score of every matching page,
// before exact matches are moved first.
func (x *Index) RawScores(ctx context.Context, q *Query) (map[string]float64, error) {
	rd, err := x.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if err := resolvePinyin(ctx, rd, q); err != nil {
		return nil, err
	}
	// keep them all: walk keeps only the matches that may be among the keep best
	p, err := walk(ctx, rd, x, withFilters(x.mustQuery(q), q.Filters), true, math.MaxInt, nil, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, m := range p.all {
		path, err := rd.ExternalID(internalID(m.id))
		if err != nil {
			return nil, err
		}
		out[path] = m.score
	}
	return out, nil
}

// SetStaticTiers sets when the static export splits postings into heads
// and tails (see staticTiers) and returns a function restoring the
// defaults. As many tail postings as head has a bound class of their own,
// so that both kinds of tail bound are used. With textTails the text
// field's tails are shipped as files instead of counted in the pages' texts.
func SetStaticTiers(min, head, block int, textTails bool) (restore func()) {
	old := staticTiers
	staticTiers.min, staticTiers.head, staticTiers.upper, staticTiers.block, staticTiers.noTextFromDocs = min, head, head, block, textTails
	return func() { staticTiers = old }
}

// Exported for the reference scorer.
var (
	CharFields            = charFields
	SynonymWeight float64 = synonymWeight
	LooseWeight   float64 = looseWeight
	PinyinBoost   float64 = pinyinBoost
	PinyinField           = fieldPinyin
)

// FieldBoosts returns the text fields and their boosts, in order.
func FieldBoosts() (fields []string, boosts []float64) {
	for _, fb := range fieldBoosts {
		fields, boosts = append(fields, fb.field), append(boosts, fb.boost)
	}
	return fields, boosts
}

// SetSumTakeover sets the least number of terms walked term at a time and
// returns a func that restores it.
func SetSumTakeover(n int) func() {
	old := sumTakeover
	sumTakeover = n
	return func() { sumTakeover = old }
}

// SumSearchers is the number of term-at-a-time searchers made so far.
func SumSearchers() int64 { return sumSearchers.Load() }

// SetUnion switches the clause disjunctions' own searcher on or off and
// returns a func that restores the setting.
func SetUnion(on bool) func() {
	old := unionEnabled
	unionEnabled = on
	return func() { unionEnabled = old }
}

// UnionSearchers is the number of clause union searchers made so far.
func UnionSearchers() int64 { return unionSearchers.Load() }

// OneSegment reports whether the index's snapshot is one segment without
// deletions, whose postings termChild reads directly.
func (x *Index) OneSegment() bool {
	rd, release, err := x.reader()
	if err != nil {
		return false
	}
	defer release()
	return oneSegment(rd) != nil
}

// DocGroupPages is the number of pages per d/N.json file of a small site.
const DocGroupPages = docGroupPages
