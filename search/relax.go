package search

import (
	"context"
	"fmt"
	"strings"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Relaxation. A query that matches fewer than RelaxBelow pages, under its
// filters, is searched again, looser, in steps, until the pages found reach
// RelaxBelow or the steps run out; each step that changes the query runs:
//
//  1. RelaxFiller: question and filler words (fillerWords) are dropped —
//     客户说贵怎么办 looks for 贵;
//  2. RelaxChars: a word no page holds backs off to its CJK characters, any
//     of which matches in the chars field (the characters of a page's name
//     and lead), each scored by TF-IDF there, so a rare character carries
//     the match and a common one counts for little (贵得离谱 → 贵 …); a word
//     no page holds that has no CJK character is dropped; a word of four or
//     more characters also matches pages holding backoffLoose of its
//     two-character words anywhere, and keeps its longest held piece
//     (heldPiece: 工联宝 of 工联宝比) as a word; of several
//     backed-off words a page needs only one (mustQuery);
//  3. RelaxAny: a page matching any word matches, its score scaled by the
//     share of the words it matches (bleve's disjunction), so pages covering
//     more of the query come first.
//
// The pages a step adds come after those of the steps before, each step's
// by its own score: a relaxed hit never outranks a strict one. Hit.Relaxed
// is the step that found a page, and its snippet marks what that step
// looked for. Pages whose name equals the query come first only among the
// strict hits.
//
// A word of Latin letters keeps its pinyin key (pinyin.go) in every step,
// as in the strict query: step 1 gives the words it leaves their keys as
// parse does, step 2 counts a word some page has as pinyin as held, and a
// word that is neither a term nor a pinyin key of any page has no
// character to back off to and is dropped. A word is never split into
// syllables to relax it.

// RelaxBelow is "too little": a query matching fewer pages than this relaxes.
const RelaxBelow = 3

// Relaxation steps, as Hit.Relaxed and Result.Relaxed report them.
const (
	RelaxNone   = 0 // every word matched
	RelaxFiller = 1 // question and filler words dropped
	RelaxChars  = 2 // words no page holds backed off to their characters
	RelaxAny    = 3 // any word, ranked by how much of the query a page covers
)

// fillerWords are what the first relaxation step drops: question words,
// particles and the framing of a question. A CJK one is cut wherever it
// stands in a run of CJK characters, the longest first from the left
// (客户说贵怎么办 → 贵); a Latin one only as a whole word, compared by its
// analysed term. The static client reads this very list from meta.json.
var fillerWords = []string{
	"怎么办", "怎么样", "怎么", "怎样", "如何", "为什么", "为啥", "什么", "啥",
	"咋办", "咋整", "咋弄", "咋", "怎么回", "怎么说", "怎么搞", "怎么弄", "怎么破",
	"怎么处理", "怎么应对", "该怎么", "该", "干嘛", "干啥", "哪些", "哪个", "有没有", "能不能", "可不可以",
	"是不是", "要不要", "可以", "应该", "请问", "一下", "我们", "你们", "咱们", "他们",
	"这个", "那个", "一直", "总是", "老是", "客户说", "到底", "究竟", "是否", "能否", "还能", "时候",
	"吗", "呢", "吧", "啊", "呀", "嘛", "呗", "啦", "哈", "哦", "的",
	"how", "what", "why", "when", "where", "which", "who", "do", "does", "did", "can",
	"could", "should", "would", "is", "are", "the", "a", "an", "to", "of", "for", "with",
	"about", "i", "we", "you", "my", "our", "please",
}

// loneFillers are characters and words that step RelaxFiller also drops,
// but only where one stands alone as a word once the filler words are cut
// (客户担心 cloud 不 safe looks for 客户担心 cloud safe; 客户一直拖着不签
// for 拖着不签): beside other characters they carry meaning (不回复,
// 没预算, 客户案例), alone they are the question's framing — a particle, a
// modal verb, who is asking about whom — and match nearly every page, or
// hold out the page that answers without naming them. The static client
// reads this list from meta.json.
var loneFillers = []string{
	"不", "没", "很", "太", "都", "也", "就", "还", "又", "在", "是", "了", "着", "过",
	"和", "跟", "与", "或", "被", "把", "让", "给", "对", "从", "到",
	"要", "能", "会", "说", "想", "做", "搞", "弄", "办", "干",
	"我", "你", "他", "她", "它", "客户", "对方", "人家",
}

// typeWords name a page type. In a query, a CJK type word that is a run of
// CJK characters, or stands at its start or end (星图案例, 价格话术), and a
// Latin one that is a whole word (compared by analysed term: cases, scripts)
// is taken out of the words and becomes a preference (Query.Prefer). A
// query of nothing but type words keeps them as words too. The static
// client reads this list from meta.json.
var typeWords = [][2]string{
	{"案例", "case"}, {"话术", "script"}, {"竞品", "competitor"}, {"培训", "training"}, {"复盘", "retro"},
	{"弱点", "competitor"}, {"短板", "competitor"}, {"劣势", "competitor"}, {"软肋", "competitor"}, {"教训", "retro"},
	{"项目", "case"}, {"单子", "case"}, {"那单", "case"}, {"大单", "case"},
	{"case", "case"}, {"script", "script"}, {"competitor", "competitor"}, {"training", "training"}, {"retro", "retro"},
}

const (
	// typePreference multiplies the score of a page of a type the query
	// names (Query.Prefer).
	typePreference = 2
	// backoffBoost is the boost of a character of a word no page holds.
	backoffBoost = 1
	// backoffLoose is how many of its two-character words (backoffBigrams)
	// a page must hold, in any field, to match a backed-off word of four or
	// more characters that way too: the body text that answers a symptom
	// (签了五年想走还要赔钱: 五年 … 要赔) holds some of its words, seldom its
	// characters in a name or lead.
	backoffLoose = 2
)

// takeTypeWords takes the type words out of the words of items and
// returns the rest and the types named, in order. A type word inside a
// longer word of a synonym group (竞品 in 竞品分析, 培训 in 客户培训) is
// part of that word, not a type word: the synonyms of the word need it;
// unless that word is a synonym of the type word (客户案例 of 案例).
func takeTypeWords(items []item, syn *synonymTable) ([]item, []string) {
	var out []item
	var types []string
	left := false // a word or phrase remains
	for _, it := range items {
		if it.phrase {
			out, left = append(out, it), true
			continue
		}
		words := cutRuns(it.text, func(run []rune) []bool {
			return typeMask(run, &types, syn)
		}, func(w string) bool {
			t := latinType(w)
			if t != "" && !contains(types, t) {
				types = append(types, t)
			}
			return t != ""
		})
		out, left = appendWords(out, words, it.apart), left || len(words) > 0
	}
	if !left {
		return items, types
	}
	return out, types
}

// appendWords appends words as items, the first apart when apart.
func appendWords(items []item, words []string, apart bool) []item {
	for i, w := range words {
		items = append(items, item{text: w, apart: apart && i == 0})
	}
	return items
}

// typeMask marks the type words of a run of CJK characters: the whole run,
// else the longest type word it starts with and the longest the rest ends
// with, each only when characters remain and no longer synonym word holds
// it (see covered). It adds their types to types.
func typeMask(run []rune, types *[]string, syn *synonymTable) []bool {
	cut := make([]bool, len(run))
	add := func(t string, from, to int) {
		for i := from; i < to; i++ {
			cut[i] = true
		}
		if !contains(*types, t) {
			*types = append(*types, t)
		}
	}
	if t := cjkType(string(run)); t != "" {
		add(t, 0, len(run))
		return cut
	}
	lo := 0
	if n, t := longestType(run, true); n > 0 && n < len(run) && !syn.covered(run, 0, n) {
		add(t, 0, n)
		lo = n
	}
	if n, t := longestType(run[lo:], false); n > 0 && n < len(run)-lo && !syn.covered(run, len(run)-n, len(run)) {
		add(t, len(run)-n, len(run))
	}
	return cut
}

// longestType returns the length and type of the longest CJK type word run
// starts (or, when !start, ends) with.
func longestType(run []rune, start bool) (int, string) {
	best, typ := 0, ""
	for _, tw := range typeWords {
		w := []rune(tw[0])
		if !isCJK(w[0]) || len(w) > len(run) || len(w) <= best {
			continue
		}
		part := run[:len(w)]
		if !start {
			part = run[len(run)-len(w):]
		}
		if string(part) == tw[0] {
			best, typ = len(w), tw[1]
		}
	}
	return best, typ
}

func cjkType(s string) string {
	for _, tw := range typeWords {
		if tw[0] == s {
			return tw[1]
		}
	}
	return ""
}

// latinType returns the type a whole Latin word names, or "".
func latinType(w string) string {
	k := exactKey(w)
	for _, tw := range typeWords {
		if r := []rune(tw[0]); !isCJK(r[0]) && exactKey(tw[0]) == k {
			return tw[1]
		}
	}
	return ""
}

// cutRuns rewrites a word: each run of CJK characters goes to cjk, which
// returns which of its characters to cut, and each run of letters and
// digits to latin, which reports whether to cut it. Runs are classified,
// and passed, folded (Normalize's width and case folding). Cut characters
// become spaces, so what remains may be several words.
func cutRuns(w string, cjk func([]rune) []bool, latin func(string) bool) []string {
	rs := []rune(w)
	out := append([]rune(nil), rs...)
	for i := 0; i < len(rs); {
		class := runeClass(rs[i])
		j := i + 1
		for j < len(rs) && runeClass(rs[j]) == class {
			j++
		}
		folded := make([]rune, j-i)
		for k := range folded {
			folded[k] = fold(rs[i+k])
		}
		switch class {
		case classCJK:
			for k, c := range cjk(folded) {
				if c {
					out[i+k] = ' '
				}
			}
		case classWord:
			if latin(string(folded)) {
				for k := i; k < j; k++ {
					out[k] = ' '
				}
			}
		}
		i = j
	}
	return strings.Fields(string(out))
}

const (
	classOther = iota
	classCJK
	classWord
)

func runeClass(r rune) int {
	switch f := fold(r); {
	case isCJK(f):
		return classCJK
	case isWordRune(f):
		return classWord
	}
	return classOther
}

// fillerMask marks the filler words in a run of CJK characters.
func fillerMask(run []rune) []bool {
	cut := make([]bool, len(run))
	for i := 0; i < len(run); {
		n := 0
		for _, f := range fillerWords {
			w := []rune(f)
			if isCJK(w[0]) && len(w) > n && i+len(w) <= len(run) && string(run[i:i+len(w)]) == f {
				n = len(w)
			}
		}
		if n == 0 {
			i++
			continue
		}
		for k := i; k < i+n; k++ {
			cut[k] = true
		}
		i += n
	}
	return cut
}

// latinFiller reports whether a whole Latin word is a filler word.
func latinFiller(w string) bool {
	k := exactKey(w)
	for _, f := range fillerWords {
		if !isCJK([]rune(f)[0]) && exactKey(f) == k {
			return true
		}
	}
	return false
}

// relaxFiller is step RelaxFiller of q, or nil when q has no filler word
// or nothing but filler words. It keeps the first MaxClauses words.
func relaxFiller(q *Query, syn *synonymTable) *Query {
	var items []item
	for _, it := range q.items {
		if it.phrase {
			items = append(items, it)
			continue
		}
		items = appendWords(items, dropLone(cutRuns(it.text, fillerMask, latinFiller)), it.apart)
	}
	// a type word the filler hid (银行的案例有吗: 案例 stood inside the run)
	// is one now, and what it leaves alone may be a lone filler (弱点是)
	items, types := takeTypeWords(items, syn)
	items = dropLoneItems(items)
	prefer := append([]string(nil), q.Prefer...)
	for _, t := range types {
		if !contains(prefer, t) {
			prefer = append(prefer, t)
		}
	}
	cs := itemClauses(items, syn)
	if len(cs) > MaxClauses { // cutting fillers out of one long run makes many words
		cs = cs[:MaxClauses]
	}
	markPrefix(cs, q.Text)
	markPinyin(cs)
	if len(cs) == 0 || sameClauses(cs, q.Clauses) {
		return nil
	}
	r := q.with(cs, items)
	r.Prefer = prefer
	return r
}

// dropLone drops the words that are a lone filler.
func dropLone(words []string) []string {
	out := words[:0]
	for _, w := range words {
		if !contains(loneFillers, w) {
			out = append(out, w)
		}
	}
	return out
}

// dropLoneItems drops the words that are a lone filler; the word after one
// it drops keeps its place apart.
func dropLoneItems(items []item) []item {
	var out []item
	apart := false
	for _, it := range items {
		if !it.phrase && contains(loneFillers, it.text) {
			apart = apart || it.apart
			continue
		}
		it.apart, apart = it.apart || apart, false
		out = append(out, it)
	}
	return out
}

// with is a relaxed copy of q with other clauses and no exact-name match.
func (q *Query) with(cs []Clause, items []item) *Query {
	return &Query{Text: q.Text, Clauses: cs, Filters: q.Filters, Prefer: q.Prefer, items: items}
}

// sameClauses compares clauses but for their pinyin keys: a key follows
// from a clause's text, and those of b may have been dropped already as
// keys no page has (resolvePinyin), those of a not yet.
func sameClauses(a, b []Clause) bool {
	return fmt.Sprint(withoutPinyin(a)) == fmt.Sprint(withoutPinyin(b))
}

func withoutPinyin(cs []Clause) []Clause {
	out := append([]Clause(nil), cs...)
	for i := range out {
		out[i].Pinyin = ""
	}
	return out
}

// relaxChars is step RelaxChars of q: every clause no page holds is
// replaced by its characters (backoff), or dropped when it has none. It is
// nil when every clause is held somewhere, or none would be left.
func (x *Index) relaxChars(ctx context.Context, r index.IndexReader, q *Query) (*Query, error) {
	var cs []Clause
	changed := false
	for _, c := range q.Clauses {
		held, err := x.holds(ctx, r, whole(c))
		if err != nil {
			return nil, err
		}
		if held {
			cs = append(cs, c)
			continue
		}
		changed = true
		if b, ok := backoff(c, x.syn); ok {
			piece, err := x.heldPiece(ctx, r, c)
			if err != nil {
				return nil, err
			}
			if v, ok := variantOf(piece); ok && piece != "" {
				v.Loose, v.LooseTerms = 0, nil
				b.Variants = append(b.Variants, v)
			}
			cs = append(cs, b)
		}
	}
	cs = dedupeClauses(cs)
	if !changed || len(cs) == 0 {
		return nil, nil
	}
	return q.with(cs, q.items), nil
}

// backoff is the clause of the CJK characters of c's text and, for each
// word of a synonym group the text holds (打折 in 打折要谁批; 物业 and 着火
// in 物业说怕着火), that word and its synonyms as variants of their own,
// each matched whole at the weight
// of a synonym: a page about 折扣 then comes before one that merely shares
// characters with the question. A lone character no page's name or lead
// holds (贵, what is left of 客户说贵怎么办) has the group words that hold
// it instead (太贵, 嫌贵 …), so it does not end in nothing. A word that
// could match loosely (a run of four or more characters) also matches a
// page holding backoffLoose of its two-character words in any field.
func backoff(c Clause, syn *synonymTable) (Clause, bool) {
	var chars []string
	for _, r := range c.Text {
		if isCJK(fold(r)) && !contains(chars, string(r)) {
			chars = append(chars, string(r))
		}
	}
	if len(chars) == 0 {
		return Clause{}, false
	}
	b := Clause{Text: c.Text, Variants: []Variant{{Terms: chars, Backoff: true}}}
	if len(c.Variants) > 0 && len(c.Variants[0].LooseTerms) > 0 {
		if lt := backoffBigrams(c.Variants[0].Terms); len(lt) > 0 {
			b.Variants[0].Loose, b.Variants[0].LooseTerms = min(backoffLoose, len(lt)), lt
		}
	}
	words := syn.groupWords(normalizeWord(c.Text))
	if len(words) == 0 {
		words = syn.holding(normalizeWord(c.Text))
	}
	for _, w := range words {
		if v, ok := variantOf(w); ok {
			v.Loose, v.LooseTerms = 0, nil
			b.Variants = append(b.Variants, v)
		}
	}
	return b, true
}

// whole is c without its loose matches: a word that pages hold only as
// scattered two-character pieces (一个传感器多少钱: 一个 … 传感器 on the
// price-objection script) is backed off too, so its group words (多少钱)
// find the page that answers it.
func whole(c Clause) Clause {
	w := c
	w.Variants = make([]Variant, len(c.Variants))
	for i, v := range c.Variants {
		v.Loose, v.LooseTerms = 0, nil
		w.Variants[i] = v
	}
	return w
}

// relaxAny is step RelaxAny of q: any clause may match. It is nil for a
// query of one clause, which that would not change.
func relaxAny(q *Query) *Query {
	if len(q.Clauses) < 2 || q.Any {
		return nil
	}
	r := q.with(q.Clauses, q.items)
	r.Any = true
	return r
}

// holds reports whether some page matches clause c, filters aside.
func (x *Index) holds(ctx context.Context, r index.IndexReader, c Clause) (bool, error) {
	return x.matchesSome(ctx, r, x.clauseQuery(c))
}

func (x *Index) matchesSome(ctx context.Context, r index.IndexReader, q query.Query) (bool, error) {
	s, err := q.Searcher(ctx, r, x.bi.Mapping(), bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return false, err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	dm, err := s.Next(sctx)
	return dm != nil, err
}

// preference is the score factor of each page type for one query.
type preference struct {
	t      *facetTable
	factor []float64 // by index of the type in t.values[0]
}

// of returns the factor of the page with internal ID id.
func (p *preference) of(id uint64) float64 {
	if p == nil {
		return 1
	}
	if ts := p.t.doc(id)[0]; len(ts) > 0 {
		return p.factor[ts[0]]
	}
	return 1
}

// preferenceOf returns the factors of q's preferences, or nil for none:
// typePreference for each type q names.
func preferenceOf(t *facetTable, q *Query) *preference {
	p := &preference{t: t, factor: make([]float64, len(t.values[0]))}
	for i := range p.factor {
		p.factor[i] = 1
	}
	any := false
	for _, typ := range preferredTypes(q) {
		if i, ok := t.index[0][typ]; ok {
			p.factor[i] *= typePreference
			any = true
		}
	}
	if !any {
		return nil
	}
	return p
}

// whyWords ask why something happened: a retro's whys answer that, so a
// query holding one prefers retros, and a deal it names (清泉那单为什么丢了)
// asks for the deal's retro rather than its case.
var whyWords = []string{"为什么", "为啥"}

// preferredTypes is q.Prefer, with a question holding a why word
// preferring retros instead of cases.
func preferredTypes(q *Query) []string {
	why := false
	for _, w := range whyWords {
		why = why || strings.Contains(q.Text, w)
	}
	if !why {
		return q.Prefer
	}
	out := []string{"retro"}
	for _, t := range q.Prefer {
		if t != "case" && t != "retro" {
			out = append(out, t)
		}
	}
	return out
}

// backoffBigrams are the bigrams of a run that touch no filler word (see
// looseTerms): all of them, not every other, since the one a page holds
// may stand at any offset.
func backoffBigrams(bigrams []string) []string {
	chars := make([]rune, 0, len(bigrams)+1)
	for _, b := range bigrams {
		chars = append(chars, []rune(b)[0])
	}
	chars = append(chars, []rune(bigrams[len(bigrams)-1])[1])
	cut := fillerMask(chars)
	var out []string
	for i, b := range bigrams {
		if !cut[i] && !cut[i+1] {
			out = append(out, b)
		}
	}
	return dedupeStrings(out)
}

// minHeldPiece and maxHeldPiece bound the characters of a held piece
// (heldPiece): a name or term, not a two-character word any page may
// share; and no longer than a name, so a word of 200 characters costs at
// most about 1,200 lookups, not 20,000.
const (
	minHeldPiece = 3
	maxHeldPiece = 8
)

// heldPiece is the longest run of minHeldPiece to maxHeldPiece CJK characters
// inside the text of a word no page holds that some page does hold, the
// leftmost of equals, or "": 工联宝比 is on no page, 工联宝 is a competitor's
// name. Its bigrams are the word's, so the static client fetches nothing
// more to find it.
func (x *Index) heldPiece(ctx context.Context, r index.IndexReader, c Clause) (string, error) {
	rs := []rune(c.Text)
	for n := min(len(rs)-1, maxHeldPiece); n >= minHeldPiece; n-- {
		for i := 0; i+n <= len(rs); i++ {
			piece := string(rs[i : i+n])
			v, ok := variantOf(piece)
			if !ok || !allCJK(rs[i:i+n]) {
				continue
			}
			v.Loose, v.LooseTerms = 0, nil
			held, err := x.holds(ctx, r, Clause{Text: piece, Variants: []Variant{v}})
			if err != nil || held {
				return piece, err
			}
		}
	}
	return "", nil
}

func allCJK(rs []rune) bool {
	for _, r := range rs {
		if !isCJK(fold(r)) {
			return false
		}
	}
	return true
}
