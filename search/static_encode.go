package search

// The static export's encodings: JSON files, posting lists, split lists.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

func encodeJSON(v any) ([]byte, error) {
	b := jsonBuffers.Get().(*bytes.Buffer)
	defer jsonBuffers.Put(b)
	b.Reset()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false) // JSON read by fetch, never inlined in HTML
	err := enc.Encode(v)
	return bytes.Clone(b.Bytes()), err
}

// jsonBuffers are encodeJSON's scratch buffers. A file may wait to be
// written (ExportStatic's map, the build's hand-over); a buffer's spare
// capacity (up to as much again as its bytes) kept with each made a third
// of the peak heap of a 10k-page build when the export held every file, so
// each file is an exact-size copy instead.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func isLower(b byte) bool { return 'a' <= b && b <= 'z' }

func fieldsAndBoosts() ([]string, []float64) {
	var fs []string
	var bs []float64
	for _, fb := range fieldBoosts {
		fs, bs = append(fs, fb.field), append(bs, fb.boost)
	}
	return fs, bs
}

func fieldTerms(r index.IndexReader, field string) ([]string, error) {
	fd, err := r.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	var out []string
	for {
		de, err := fd.Next()
		if err != nil {
			return nil, err
		}
		if de == nil {
			return out, nil
		}
		if utf8.ValidString(de.Term) {
			out = append(out, de.Term)
		}
	}
}

// fieldLength recovers the field length from bleve's norm, 1/√length
// stored as a float32, and checks that the client can compute the very
// same norm back.
func fieldLength(norm float64) (int, error) {
	if norm <= 0 {
		return 0, fmt.Errorf("norm %v", norm)
	}
	n := int(math.Round(1 / (norm * norm)))
	for _, c := range []int{n, n - 1, n + 1} {
		if c > 0 && float64(float32(1/math.Sqrt(float64(c)))) == norm {
			return c, nil
		}
	}
	return 0, fmt.Errorf("norm %v is not 1/√n for a whole n", norm)
}

func encodePostings(ps []posting, withLength bool) json.RawMessage {
	b := []byte{'['}
	prev := 0
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(p.doc-prev), 10)
		prev = p.doc
		if withLength {
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(p.freq), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(p.length), 10)
		}
	}
	return kept(append(b, ']'))
}

// kept is an encoding the export keeps until its file is written, at its
// own size: the spare capacity of the appends that built each one made a
// third of what the postings held.
func kept(b []byte) json.RawMessage {
	if cap(b) == len(b) {
		return b
	}
	return bytes.Clone(b)
}

// impact is a posting's own share of its score, √freq·norm, computed as
// the client computes it (norm rounded to float32), so the client gets
// bounds that hold to the bit.
func impact(p posting) float64 {
	return math.Sqrt(float64(p.freq)) * float64(float32(1/math.Sqrt(float64(p.length))))
}

// encodeTiered splits a long text posting list: the head,
// {"d": [doc …], "h": [index, freq, len …], "c": [index, class …], "m":
// [freq, len …]}, has every doc (delta-coded), the freq and len of the
// tiers.head postings of highest impact (index delta-coded into d),
// the bound class (see boundClasses) of the tiers.upper tail postings
// of highest impact (index delta-coded into d; every other tail posting
// is in the last class), and per class the freq and len of the class's
// posting of highest impact (0, 1 for an empty class), from which the
// client bounds a tail posting until its tail is fetched. The tails,
// [freq, len …] per block in doc order, are what the head leaves out.
func encodeTiered(ps []posting, t tiers, blocks int) (json.RawMessage, []json.RawMessage) {
	rank, top := rankByImpact(ps, t.head)
	d, h, c := newInts(), newInts(), newInts()
	var best [boundClasses]int // index+1 of the class's tail posting of highest impact
	rest := make([]jsonInts, blocks)
	prevDoc, prevHead, prevClass := 0, 0, 0
	for i, p := range ps {
		d = d.add(p.doc - prevDoc)
		prevDoc = p.doc
		if rank[i] < t.head {
			h = h.add(i-prevHead, p.freq, p.length)
			prevHead = i
			continue
		}
		k := boundClasses - 1
		if rank[i] < t.head+t.upper {
			k = min(boundClass(impact(p), top), boundClasses-2)
			c = c.add(i-prevClass, k)
			prevClass = i
		}
		if best[k] == 0 || impact(p) > impact(ps[best[k]-1]) {
			best[k] = i + 1
		}
		b := p.doc / t.block
		if rest[b] == nil {
			rest[b] = newInts()
		}
		rest[b] = rest[b].add(p.freq, p.length)
	}
	return tieredHead(d, h, c, classBests(ps, best)), closeAll(rest)
}

// classBests is "m": per class the freq and len of its posting of highest
// impact, best its index+1 (0, 1 for an empty class).
func classBests(ps []posting, best [boundClasses]int) jsonInts {
	m := newInts()
	for _, i := range best {
		if i == 0 {
			m = m.add(0, 1)
		} else {
			m = m.add(ps[i-1].freq, ps[i-1].length)
		}
	}
	return m
}

func tieredHead(d, h, c, m jsonInts) json.RawMessage {
	out := append([]byte(`{"d":`), d.close()...)
	out = append(append(out, `,"h":`...), h.close()...)
	out = append(append(out, `,"c":`...), c.close()...)
	out = append(append(out, `,"m":`...), m.close()...)
	return kept(append(out, '}'))
}

// closeAll closes each list begun, nil for the others.
func closeAll(lists []jsonInts) []json.RawMessage {
	out := make([]json.RawMessage, len(lists))
	for b, r := range lists {
		if r != nil {
			out[b] = kept(r.close())
		}
	}
	return out
}

// rankByImpact returns each posting's place in the order of highest
// impact first, and the impact of the first one after the head.
func rankByImpact(ps []posting, head int) (rank []int, top float64) {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return impact(ps[order[a]]) > impact(ps[order[b]]) })
	rank = make([]int, len(ps))
	for r, i := range order {
		rank[i] = r
	}
	if len(ps) > head {
		top = impact(ps[order[head]])
	}
	return rank, top
}

// jsonInts is a JSON array of integers being written, "[" and its items.
type jsonInts []byte

func newInts() jsonInts { return jsonInts{'['} }

func (b jsonInts) add(vs ...int) jsonInts {
	for _, v := range vs {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return b
}

func (b jsonInts) close() json.RawMessage { return json.RawMessage(append(b, ']')) }

// boundClasses is the number of classes a split list's tail postings are
// bounded by. Of the tiers.upper tail postings of highest impact,
// class k holds the impacts in (top·boundRatio^(k+1), top·boundRatio^k],
// class boundClasses-2 everything lower; the last class holds the rest of
// the tail. The client scores a tail posting with its class's highest
// impact, close to its own where pages rank, so few pages look as if they
// could reach the top and few tails or pages are fetched to rank them
// (with one bound per block of 1,024 pages, a common word's tails made a
// query fetch hundreds of pages). Listing the classes of the upper postings
// only keeps a common word's head small: the rest of a tail bounded by the
// (head+upper)th impact is rarely near the top.
const boundClasses = 20

const boundRatio = 0.9

// boundClass is the class of a tail posting of impact v, top the tail's
// highest impact. Any split is correct (the bound is the class's own
// highest impact); this one keeps the bounds tight where pages rank.
func boundClass(v, top float64) int {
	k := 0
	for t := top * boundRatio; k < boundClasses-1 && v <= t; t *= boundRatio {
		k++
	}
	return k
}

func encodePositions(ps []posting) json.RawMessage {
	b := []byte{'['}
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, v := range p.pos {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(v), 10)
		}
		b = append(b, ']')
	}
	return kept(append(b, ']'))
}
