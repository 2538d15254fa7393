package search

// Pinyin: a rep types xingtu, xingt, xt or XingTu for 星图, jiage or jg for
// 价格. Every page gets a field of pinyin keys, made at index time from
// what the page is called — its title, aliases, tags and competitor names,
// never its body — with the readings of github.com/mozillazg/go-pinyin.
// A query word of Latin letters is looked up there as it is, beside its
// English matching: the keys hold every form a query may take, so the
// static client needs no dictionary, only the keys.
//
// Keys of a run of Chinese characters (pinyinKeys):
//   - each character's syllables (xing, tu), so "xing tu" finds 星图 word
//     by word;
//   - for each piece of two to pinyinMaxGram characters, and the whole run
//     when it is no longer than pinyinMaxRun, each reading of the piece in
//     full (xingtu) and as first letters (xt), and its most common reading
//     also in full up to some syllable and first letters after it (xingt):
//     a word typed part way;
//   - a character with several readings (heteronyms: 重 zhong chong, 行
//     xing hang) gives a key for each combination of readings, the most
//     common first, at most pinyinMaxReadings per piece, so 重庆 gives
//     chongqing and 银行 yinhang, and a long run cannot explode. (The
//     forms typed part way of the other combinations were more than a
//     quarter of the keys at 10k pages and are left out: zhongq finds 重庆,
//     chongq does not.)
//   - ü is typed v (lv, as input methods do) or u (lu).

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	pinyin "github.com/mozillazg/go-pinyin"
)

const (
	// fieldPinyin holds a page's pinyin keys, analysed by PinyinAnalyzerName.
	fieldPinyin = "pinyin"
	// PinyinAnalyzerName splits the pinyin field into its keys.
	PinyinAnalyzerName = "playbook_pinyin"

	pinyinMaxGram     = 4 // pieces of a run get keys up to this many characters
	pinyinMaxRun      = 8 // a whole run up to this long gets keys too: names such as 灵犀智能销售
	pinyinMaxReadings = 8 // reading combinations per piece, most common first
	// pinyinBoost weighs a pinyin key: as a word of the body text, the
	// least a field counts, so a page with the English word in its name or
	// summary stays above a page that only has it as pinyin.
	pinyinBoost = 1
)

func init() {
	mustRegister(PinyinAnalyzerName, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return pinyinAnalyzer{}, nil
	})
}

// pinyinAnalyzer makes each space-separated key of the pinyin field a term.
type pinyinAnalyzer struct{}

func (pinyinAnalyzer) Analyze(input []byte) analysis.TokenStream {
	var out analysis.TokenStream
	start := -1
	for i := 0; i <= len(input); i++ {
		if i < len(input) && input[i] != ' ' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, &analysis.Token{Term: input[start:i:i], Start: start, End: i,
				Position: len(out) + 1, Type: analysis.AlphaNumeric})
			start = -1
		}
	}
	return out
}

// pinyinText is the value of a page's pinyin field: the keys of its
// title, aliases, tags, competitor names and a case's customer, separated
// by spaces.
func pinyinText(d Doc) string {
	var b strings.Builder
	add := func(key string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(key)
	}
	for _, s := range [][]string{{d.Title}, d.Aliases, d.Tags, d.Competitors, {d.Customer}} {
		for _, v := range s {
			pinyinKeys(v, add)
		}
	}
	return b.String()
}

// pinyinKeys calls add with each key of each run of characters with a
// reading in s, repeats included: a key's frequency counts in its score.
func pinyinKeys(s string, add func(string)) {
	var run [][]string // the readings of each character of the current run
	flush := func() {
		runKeys(run, add)
		run = run[:0]
	}
	for _, r := range s {
		if rs := readings(r); len(rs) > 0 {
			run = append(run, rs)
		} else {
			flush()
		}
	}
	flush()
}

// runKeys adds the keys of one run: syllables, pieces and the whole run.
func runKeys(run [][]string, add func(string)) {
	for _, rs := range run {
		for _, r := range rs {
			add(r)
		}
	}
	for n := 2; n <= min(pinyinMaxGram, len(run)); n++ {
		for i := 0; i+n <= len(run); i++ {
			pieceKeys(run[i:i+n], add)
		}
	}
	if len(run) > pinyinMaxGram && len(run) <= pinyinMaxRun {
		pieceKeys(run, add)
	}
}

// pieceKeys adds, for each reading combination of a piece, its forms: the
// first k syllables in full and the first letters of the rest, for k = 0
// (all first letters) and k = all, and for the first combination every k
// in between too; each key once.
func pieceKeys(piece [][]string, add func(string)) {
	seen := map[string]bool{}
	for i, c := range combinations(piece, pinyinMaxReadings) {
		for k := 0; k <= len(c); k++ {
			if i > 0 && k > 0 && k < len(c) {
				continue
			}
			var b strings.Builder
			for i, syl := range c {
				if i < k {
					b.WriteString(syl)
				} else {
					b.WriteByte(syl[0])
				}
			}
			if key := b.String(); !seen[key] {
				seen[key] = true
				add(key)
			}
		}
	}
}

// combinations lists at most limit reading combinations of a piece, in
// order of the sum of the readings' places in their characters' lists
// (the dictionary lists the most common reading first), ties in
// lexicographic order of those places.
func combinations(piece [][]string, limit int) [][]string {
	most := 0
	for _, rs := range piece {
		most += len(rs) - 1
	}
	var out [][]string
	idx := make([]int, len(piece))
	var fill func(i, left int)
	fill = func(i, left int) {
		if len(out) == limit {
			return
		}
		if i == len(piece) {
			if left == 0 {
				c := make([]string, len(piece))
				for j, k := range idx {
					c[j] = piece[j][k]
				}
				out = append(out, c)
			}
			return
		}
		for k := 0; k < len(piece[i]) && k <= left; k++ {
			idx[i] = k
			fill(i+1, left-k)
		}
	}
	for sum := 0; sum <= most && len(out) < limit; sum++ {
		fill(0, sum)
	}
	return out
}

var pinyinArgs = pinyin.Args{Style: pinyin.Normal, Heteronym: true}

// readingCache holds readings by character: go-pinyin strips the tones of
// each reading with regular expressions on every call, and a site's names
// use a few thousand characters over and over. At most one entry per
// character of the dictionary.
var readingCache sync.Map // rune → []string

// readings are a character's syllables without tones, most common first,
// with ü as v and again as u; none for a character without a reading.
func readings(r rune) []string {
	if r < 0x3000 {
		return nil // no Chinese below: skip the dictionary for Latin text
	}
	if rs, ok := readingCache.Load(r); ok {
		return rs.([]string)
	}
	rs := lookupReadings(r)
	readingCache.Store(r, rs)
	return rs
}

func lookupReadings(r rune) []string {
	var out []string
	for _, p := range pinyin.SinglePinyin(r, pinyinArgs) {
		if !lowerASCII(p) { // a syllable with a tone mark left, as of 呣
			continue
		}
		out = appendNew(out, p)
		if strings.Contains(p, "v") {
			out = appendNew(out, strings.ReplaceAll(p, "v", "u"))
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

func lowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLower(s[i]) {
			return false
		}
	}
	return s != ""
}

// pinyinKeyOf is the key a clause looks up in the pinyin field: its text
// as typed when that is one word of two or more Latin letters, folded
// (XingTu → xingtu); else "".
func pinyinKeyOf(c Clause) string {
	if c.Phrase {
		return ""
	}
	k := Normalize(c.Text)
	if len(k) < 2 || len(k) > MaxWordRunes || !lowerASCII(k) {
		return ""
	}
	return k
}

// markPinyin gives each clause of Latin letters its pinyin key.
func markPinyin(cs []Clause) {
	for i := range cs {
		cs[i].Pinyin = pinyinKeyOf(cs[i])
	}
}

// pinyinMapping indexes the pinyin keys with frequencies and norms, for
// scoring, and nothing else: no positions, nothing stored.
func pinyinMapping() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = PinyinAnalyzerName
	f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, false
	return f
}

// pinyinQuery is the leaf of a clause's pinyin key (see search.go).
func pinyinQuery(key string) query.Query {
	q := query.NewTermQuery(key)
	q.SetField(fieldPinyin)
	q.SetBoost(pinyinBoost)
	return q
}

// resolvePinyin drops the pinyin key of each clause whose key no page has:
// an English word that is no pinyin of the site's names keeps exactly the
// query it had without pinyin search. The static client decides the same
// from whether its pinyin file lists the key.
func resolvePinyin(ctx context.Context, r index.IndexReader, q *Query) error {
	for i, c := range q.Clauses {
		if c.Pinyin == "" {
			continue
		}
		tfr, err := r.TermFieldReader(ctx, []byte(c.Pinyin), fieldPinyin, false, false, false)
		if err != nil {
			return fmt.Errorf("search: pinyin %q: %w", c.Pinyin, err)
		}
		n := tfr.Count()
		if err := tfr.Close(); err != nil {
			return err
		}
		if n == 0 {
			q.Clauses[i].Pinyin = ""
		}
	}
	return nil
}

// staticPinyinFiles is the number of y/J.json files of an export of n
// pages: a pinyin key's postings are in y/J.json, J = FNV-1a("y"+key) mod
// this, apart from the shards, so that only a query of Latin letters pays
// for them.
func staticPinyinFiles(n int) int { return max(16, StaticShards(n)/4) }

// staticPinyinNames lists the pinyin files of an export of n pages: y/J.json
// and the tails q/B/J.json, placed as the text tails in r/B/J.json are.
func staticPinyinNames(n int, t tiers) []string {
	var names []string
	for j := range staticPinyinFiles(n) {
		names = append(names, "y/"+strconv.Itoa(j)+".json")
	}
	for b := range t.blocks(n) {
		for j := range staticTailBuckets(n) {
			names = append(names, pinyinTailFile(b, j))
		}
	}
	return names
}

func pinyinTailFile(block, bucket int) string { return tailFile("q", block, bucket) }

// nameTypes are the types of the pages a name is the subject of: a case
// is about its customer, a battlecard about its competitor. A query whose
// every word is found only as the pinyin of some page's name asks for
// such a page (lugang: the case about 鹭港公交, not the retro of that
// deal), so it prefers these types as a type word would.
var nameTypes = []string{"case", "competitor"}

// preferNames adds nameTypes to q.Prefer when q names no type and every
// clause of q matches some page only by its pinyin key.
func (x *Index) preferNames(ctx context.Context, r index.IndexReader, q *Query) error {
	if len(q.Prefer) > 0 || len(q.Clauses) == 0 {
		return nil
	}
	for _, c := range q.Clauses {
		if c.Pinyin == "" {
			return nil
		}
		plain := c
		plain.Pinyin = ""
		held, err := x.holds(ctx, r, plain)
		if err != nil || held {
			return err
		}
	}
	q.Prefer = nameTypes
	return nil
}
