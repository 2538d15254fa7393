package search

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/index/scorch"
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
	t, err := x.facets(ctx, rd)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, m := range p.all {
		path, err := rd.ExternalID(t.internal(m.id))
		if err != nil {
			return nil, err
		}
		out[path] = m.score
	}
	return out, nil
}

// ExportStaticTiers is ExportStatic with postings split into heads and
// tails from min postings on, heads of head postings and tail blocks of
// block pages (see tiers). As many tail postings as head has a bound class
// of their own, so that both kinds of tail bound are used. With textTails
// the text field's tails are shipped as files instead of counted in the
// pages' texts.
func (x *Index) ExportStaticTiers(ctx context.Context, min, head, block int, textTails bool) (map[string][]byte, error) {
	t := tiers{min: min, head: head, upper: head, block: block, noTextFromDocs: textTails}
	return collectFiles(func(put func(string, []byte) error) error { return x.exportStatic(ctx, t, put) })
}

// StaticQueryOf is meta.json's "query": the limits the client's analyzer
// reads from an export.
func StaticQueryOf() StaticQuery { return staticQuery() }

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

// OneSegment reports whether the index's snapshot is one scorch segment
// without deletions, as Build writes it; an updated index is not. (Search
// reads both through bleve's public API; the update tests use it to know
// they compare the two kinds.)
func (x *Index) OneSegment() bool {
	rd, release, err := x.reader()
	if err != nil {
		return false
	}
	defer release()
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return false
	}
	segs := snap.Segments()
	if len(segs) != 1 {
		return false
	}
	d := segs[0].Deleted()
	return d == nil || d.IsEmpty()
}

// DocGroupPages is the number of pages per d/N.json file of a small site.
const DocGroupPages = docGroupPages
