package search_test

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/search"
)

// The reference scorer computes every page's score from nothing but the
// postings an export of the index holds — per field and term: the pages,
// and per page the term's frequency, the field's norm and the positions —
// following the scoring rules documented in search.go. It is what the
// static search client implements; TestReferenceScores holds bleve to it.

type refPosting struct {
	freq uint64
	norm float64
	pos  map[uint64][]uint64 // array position → positions
}

type refIndex struct {
	docs  float64
	terms map[string][]string                          // field → terms, sorted
	post  map[string]map[string]map[string]*refPosting // field → term → path → posting
}

func loadRef(t *testing.T, idx *search.Index) *refIndex {
	t.Helper()
	r, err := idx.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	ref := &refIndex{docs: float64(n), terms: map[string][]string{}, post: map[string]map[string]map[string]*refPosting{}}
	fields, _ := search.FieldBoosts()
	paths := map[string]string{}
	for _, field := range append(fields, "type", "stage", "role", "tag", "industry", "region", "competitor", search.PinyinField) {
		ref.post[field] = map[string]map[string]*refPosting{}
		fd, err := r.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		for de, err := fd.Next(); de != nil; de, err = fd.Next() {
			if err != nil {
				t.Fatal(err)
			}
			ref.terms[field] = append(ref.terms[field], de.Term)
			docs := map[string]*refPosting{}
			tfr, err := r.TermFieldReader(context.Background(), []byte(de.Term), field, true, true, true)
			if err != nil {
				t.Fatal(err)
			}
			for p, err := tfr.Next(nil); p != nil; p, err = tfr.Next(nil) {
				if err != nil {
					t.Fatal(err)
				}
				path, ok := paths[string(p.ID)]
				if !ok {
					if path, err = r.ExternalID(p.ID); err != nil {
						t.Fatal(err)
					}
					paths[string(p.ID)] = path
				}
				rp := &refPosting{freq: p.Freq, norm: p.Norm, pos: map[uint64][]uint64{}}
				for _, v := range p.Vectors {
					var ap uint64
					if len(v.ArrayPositions) > 0 {
						ap = v.ArrayPositions[0]
					}
					rp.pos[ap] = append(rp.pos[ap], v.Pos)
				}
				docs[path] = rp
			}
			tfr.Close()
			ref.post[field][de.Term] = docs
		}
		fd.Close()
		sort.Strings(ref.terms[field])
	}
	return ref
}

// node is a part of the query tree: its weight enters the query norm, and
// it scores a page or does not match it.
type node interface {
	weight(r *refIndex) float64
	score(r *refIndex, doc string, qn float64) (float64, bool)
}

type termNode struct {
	field, term string
	boost       float64
}

func (n termNode) idf(r *refIndex) float64 {
	return 1 + math.Log(r.docs/float64(len(r.post[n.field][n.term])+1))
}

func (n termNode) weight(r *refIndex) float64 { w := n.boost * n.idf(r); return w * w }

func (n termNode) score(r *refIndex, doc string, qn float64) (float64, bool) {
	p := r.post[n.field][n.term][doc]
	if p == nil {
		return 0, false
	}
	idf := n.idf(r)
	return math.Sqrt(float64(p.freq)) * p.norm * idf * (n.boost * idf * qn), true
}

type conjNode []node

func (n conjNode) weight(r *refIndex) float64 {
	var w float64
	for _, k := range n {
		w += k.weight(r)
	}
	return w
}

func (n conjNode) score(r *refIndex, doc string, qn float64) (float64, bool) {
	var sum float64
	for _, k := range n {
		s, ok := k.score(r, doc, qn)
		if !ok {
			return 0, false
		}
		sum += s
	}
	return sum, true
}

type disjNode struct {
	kids []node
	min  int
}

func (n disjNode) weight(r *refIndex) float64 { return conjNode(n.kids).weight(r) }

func (n disjNode) score(r *refIndex, doc string, qn float64) (float64, bool) {
	var sum float64
	matched := 0
	for _, k := range n.kids {
		if s, ok := k.score(r, doc, qn); ok {
			sum += s
			matched++
		}
	}
	if matched == 0 || matched < n.min {
		return 0, false
	}
	return sum * float64(matched) / float64(len(n.kids)), true
}

// phraseNode: every term in the field, at consecutive positions of one
// array element; it scores as the sum of its terms.
type phraseNode struct {
	field string
	terms []termNode
}

func (n phraseNode) weight(r *refIndex) float64 {
	var w float64
	for _, t := range n.terms {
		w += t.weight(r)
	}
	return w
}

func (n phraseNode) score(r *refIndex, doc string, qn float64) (float64, bool) {
	var sum float64
	for _, t := range n.terms {
		s, ok := t.score(r, doc, qn)
		if !ok {
			return 0, false
		}
		sum += s
	}
	first := r.post[n.field][n.terms[0].term][doc]
	for ap, starts := range first.pos {
	next:
		for _, p := range starts {
			for i, t := range n.terms[1:] {
				if !containsPos(r.post[n.field][t.term][doc].pos[ap], p+uint64(i)+1) {
					continue next
				}
			}
			return sum, true
		}
	}
	return 0, false
}

func containsPos(list []uint64, p uint64) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}

// expand lists the terms of a field that match, as a prefix or regexp
// query expands them.
func (r *refIndex) expand(field string, match func(string) bool, boost float64) node {
	var kids []node
	for _, t := range r.terms[field] {
		if match(t) {
			kids = append(kids, termNode{field, t, boost})
		}
	}
	return disjNode{kids: kids}
}

func refLeaf(r *refIndex, v search.Variant, field string, boost float64) node {
	switch {
	case v.Char:
		re := regexp.MustCompile("^.?" + regexp.QuoteMeta(v.Terms[0]) + ".?$")
		return r.expand(field, re.MatchString, boost)
	case v.Prefix:
		// bleve: no expansion, or only the prefix itself, is a term query
		d := r.expand(field, func(t string) bool { return strings.HasPrefix(t, v.Terms[0]) }, boost).(disjNode)
		if len(d.kids) == 0 || len(d.kids) == 1 && d.kids[0].(termNode).term == v.Terms[0] {
			return termNode{field, v.Terms[0], boost}
		}
		return d
	case len(v.Terms) == 1:
		return termNode{field, v.Terms[0], boost}
	case v.Adjacent:
		p := phraseNode{field: field}
		for _, t := range v.Terms {
			p.terms = append(p.terms, termNode{field, t, boost})
		}
		return p
	}
	var c conjNode
	seen := map[string]bool{}
	for _, t := range v.Terms {
		if !seen[t] {
			seen[t] = true
			c = append(c, termNode{field, t, boost})
		}
	}
	return c
}

func refQuery(r *refIndex, q *search.Query) node {
	fields, boosts := search.FieldBoosts()
	var must conjNode
	for _, c := range q.Clauses {
		var leaves []node
		for i, v := range c.Variants {
			w := 1.0
			if i > 0 {
				w = search.SynonymWeight
			}
			for j, f := range fields {
				if !v.Char || search.CharFields[f] {
					leaves = append(leaves, refLeaf(r, v, f, boosts[j]*w))
				}
			}
			if v.Loose > 0 {
				var terms []node
				for _, t := range v.LooseTerms {
					var fs []node
					for j, f := range fields {
						fs = append(fs, termNode{f, t, boosts[j] * w * search.LooseWeight})
					}
					terms = append(terms, disjNode{kids: fs})
				}
				leaves = append(leaves, disjNode{kids: terms, min: v.Loose})
			}
		}
		if c.Pinyin != "" {
			leaves = append(leaves, termNode{search.PinyinField, c.Pinyin, search.PinyinBoost})
		}
		must = append(must, disjNode{kids: leaves})
	}
	return must
}

func refPasses(r *refIndex, doc string, filters []search.Filter) bool {
	for _, f := range filters {
		ok := false
		for _, v := range f.Values {
			if r.post[f.Field][v][doc] != nil {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// TestReferenceScores: for every rep-style query, bleve matches exactly the
// pages the reference scorer matches, with the same scores.
func TestReferenceScores(t *testing.T) {
	idx := sampleIndex(t)
	ref := loadRef(t, idx)
	docs := map[string]bool{}
	for _, field := range []string{"type"} {
		for _, m := range ref.post[field] {
			for d := range m {
				docs[d] = true
			}
		}
	}
	queries := []string{"价", "贵 客", "negot", `"太贵了"`, "type:script 价格", "stage:negotiation,closing 续约",
		"客户成功经理负责续约谈判", "cs经理 上线", "云帆CRM 旗舰版", "不存在的词 价格"}
	for _, rq := range append(loadQueries(t), loadPinyinQueries(t)...) {
		queries = append(queries, rq.Q)
	}
	for _, qs := range queries {
		q, err := idx.Parse(qs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := idx.RawScores(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		tree := refQuery(ref, q)
		qn := 1 / math.Sqrt(tree.weight(ref))
		want := map[string]float64{}
		for d := range docs {
			if s, ok := tree.score(ref, d, qn); ok && refPasses(ref, d, q.Filters) {
				want[d] = s
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: bleve matches %d pages, the reference %d", qs, len(got), len(want))
		}
		for d, w := range want {
			g, ok := got[d]
			if !ok {
				t.Errorf("%s: %s matches in the reference only", qs, d)
			} else if math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
				t.Errorf("%s: %s scores %.12g in bleve, %.12g in the reference", qs, d, g, w)
			}
		}
	}
}
