package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a query may hold; beyond them Parse returns a QueryError.
const (
	MaxQueryRunes = 200 // characters of the whole query
	MaxClauses    = 24  // words and phrases to match
)

// QueryError is a query that cannot be searched, with a message for the
// person who typed it. The HTTP handler answers it with 400.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

// Query is a parsed query.
//
// The syntax, in full:
//   - words separated by white space must all match (AND); a run of
//     Chinese characters matches where all its two-character pieces are in
//     one field, which for overlapping pieces means almost always side by
//     side, like finding text on a page; a run of four or more also matches
//     loosely (Variant.Loose); a lone character matches inside any word;
//   - "quoted words" (also “…”, 「…」, 『…』) match as one phrase; a quote
//     left open runs to the end;
//   - key:value filters: type, stage, role, tag, industry, region,
//     competitor (plural forms and 类型 阶段 角色 标签 行业 地区 竞品 too);
//     value may be quoted (tag:"异议 处理") or a list (type:script,case);
//     values of one key are alternatives, different keys must all hold;
//   - everything else that is not a letter, digit or CJK character
//     (+ - * ^ ~ ( ) [ ] { } … and emoji) only separates words.
//
// See clausesOf for how words become clauses, synonyms included.
type Query struct {
	Text    string   // the sanitised query
	Clauses []Clause // all must match (any, when Any)
	Filters []Filter // all must hold
	Exact   string   // exactKey of the query's words: a page with this name ranks first
	// Prefer lists the page types the query names by a type word (案例,
	// case …; see typeWords), taken out of its words: pages of these
	// types score typePreference times higher.
	Prefer []string
	// Any is set by the last relaxation step (RelaxAny): a page matching
	// any clause matches, its score scaled by the share of clauses it
	// matches.
	Any bool

	items []item // the words and phrases the clauses were made of, for relaxing
}

// Clause is one thing a page must contain, in one of several ways.
type Clause struct {
	Text     string    // as typed
	Phrase   bool      // quoted
	Variants []Variant // the words typed first, then their synonyms
	Pinyin   string    // a key of the pinyin field the clause also matches (see pinyin.go), or ""
}

// Variant is one way to satisfy a clause: analysed terms that must all be
// in one field of a page (side by side when Adjacent).
type Variant struct {
	Terms []string
	Char  bool // a lone CJK character: matches every term that contains it
	// Backoff is set by relaxation for a word no page holds: Terms are its
	// CJK characters, any of which matches in the chars field (see
	// relaxChars).
	Backoff bool
	Prefix  bool // the query's last word (a–z, 3+ letters): matches terms beginning with its stem
	// Loose, when above 0, lets a page with at least Loose of LooseTerms
	// anywhere match too, ranked below pages with the whole run. It is set
	// for an unquoted run of four or more CJK characters, which is often
	// two words typed without a space (续约降价): LooseTerms are the run's
	// bigrams at even offsets, and the last bigram when the run's length is
	// odd, so that every character is covered once or twice (续约, 降价), and
	// Loose = ⌈0.6 × len(LooseTerms)⌉.
	Loose      int
	LooseTerms []string
	// Adjacent terms must stand together, as a phrase: set for quoted
	// phrases and for variants of several runs. The bigrams of one CJK run
	// need only all be in one field, which for overlapping bigrams almost
	// always means together, and costs no positions.
	Adjacent bool
}

// Filter restricts results to pages with one of Values in Field.
type Filter struct {
	Field  string // a keyword field: type, stage, role, tag, industry, region, competitor
	Values []string
}

// filterKeys maps what users type before ":" to keyword fields.
var filterKeys = map[string]string{
	"type": fieldType, "types": fieldType, "类型": fieldType,
	"stage": fieldStage, "stages": fieldStage, "阶段": fieldStage,
	"role": fieldRole, "roles": fieldRole, "角色": fieldRole,
	"tag": fieldTag, "tags": fieldTag, "标签": fieldTag,
	"industry": fieldIndustry, "industries": fieldIndustry, "行业": fieldIndustry,
	"region": fieldRegion, "regions": fieldRegion, "地区": fieldRegion, "区域": fieldRegion,
	"competitor": fieldCompetitor, "competitors": fieldCompetitor, "竞品": fieldCompetitor,
}

// Parse parses a query with the index's synonyms.
func (x *Index) Parse(q string) (*Query, error) { return parse(q, x.syn) }

// Sanitize makes raw input safe to parse and show: invalid UTF-8, control
// and format characters (zero-width, bidi overrides) become spaces, and the
// ends are trimmed.
func Sanitize(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func parse(raw string, syn *synonymTable) (*Query, error) {
	s := Sanitize(raw)
	if n := utf8.RuneCountInString(s); n > MaxQueryRunes {
		return nil, &QueryError{fmt.Sprintf("the query is too long: %d characters, at most %d", n, MaxQueryRunes)}
	}
	q := &Query{Text: s}
	items := scan(s)
	var texts []string // every word and phrase, for Exact
	apart := false     // a filter stands before the next word
	for i := 0; i < len(items); i++ {
		it := items[i]
		if it.phrase {
			texts = append(texts, it.text)
			q.items = append(q.items, it)
			continue
		}
		if field, value, ok := splitFilter(it.text); ok {
			if value == "" && i+1 < len(items) && items[i+1].phrase && items[i+1].glued {
				value = items[i+1].text
				i++
			}
			q.addFilter(field, value)
			apart = true
			continue
		}
		it.apart, apart = apart, false
		texts = append(texts, it.text)
		q.items = append(q.items, it)
	}
	q.items, q.Prefer = takeTypeWords(q.items, syn)
	q.Clauses = itemClauses(q.items, syn)
	markPrefix(q.Clauses, s)
	markPinyin(q.Clauses)
	if len(q.Clauses) > MaxClauses {
		return nil, &QueryError{fmt.Sprintf("the query has too many words: %d, at most %d", len(q.Clauses), MaxClauses)}
	}
	if len(q.Clauses) > 0 {
		q.Exact = exactKey(strings.Join(texts, " "))
	}
	return q, nil
}

// itemClauses makes the clauses of words and phrases: consecutive words
// together (for synonyms of several words), each phrase alone.
func itemClauses(items []item, syn *synonymTable) []Clause {
	var cs []Clause
	var words []string
	flush := func() {
		cs = append(cs, clausesOf(words, syn)...)
		words = nil
	}
	for _, it := range items {
		if it.phrase || it.apart {
			flush()
		}
		if it.phrase {
			cs = append(cs, phraseClause(it.text))
			continue
		}
		words = append(words, it.text)
	}
	flush()
	return dedupeClauses(cs)
}

// item is a word or a quoted phrase of the raw query.
type item struct {
	text   string
	phrase bool
	glued  bool // a phrase that follows the previous item without a space
	apart  bool // a word after a filter: no synonym of several words spans the filter
}

var quotePairs = map[rune]string{'"': `"`, '＂': `"＂`, '“': `”"`, '「': "」", '『': "』"}

// scan splits a query into words and quoted phrases.
func scan(s string) []item {
	rs := []rune(s)
	var items []item
	for i := 0; i < len(rs); {
		r := rs[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		if closers, ok := quotePairs[r]; ok {
			j := i + 1
			for j < len(rs) && !strings.ContainsRune(closers, rs[j]) {
				j++
			}
			glued := i > 0 && !unicode.IsSpace(rs[i-1])
			items = append(items, item{text: string(rs[i+1 : j]), phrase: true, glued: glued})
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && quotePairs[rs[j]] == "" {
			j++
		}
		items = append(items, item{text: string(rs[i:j])})
		i = j
	}
	return items
}

// splitFilter recognises key:value (also with a full-width colon).
func splitFilter(w string) (field, value string, ok bool) {
	i := strings.IndexAny(w, ":：")
	if i <= 0 {
		return "", "", false
	}
	field, ok = filterKeys[Normalize(w[:i])]
	_, size := utf8.DecodeRuneInString(w[i:])
	return field, w[i+size:], ok
}

func (q *Query) addFilter(field, value string) {
	var values []string
	for _, v := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if v = Normalize(v); v != "" {
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		return
	}
	for i := range q.Filters {
		if q.Filters[i].Field == field {
			q.Filters[i].Values = append(q.Filters[i].Values, values...)
			return
		}
	}
	q.Filters = append(q.Filters, Filter{Field: field, Values: values})
}

// clausesOf turns consecutive plain words into clauses:
//   - the longest run of 1–maxSynonymWords words that is a synonym group
//     word becomes one clause whose variants are the run and its synonyms;
//   - else a word containing a group word (see synonymTable) becomes one
//     clause: the word, then the word with the group word replaced;
//   - else each run of the word's analysis (a Latin word or number, a run of
//     CJK characters) is a clause of its own, so "CRM系统" needs crm and 系统
//     but not side by side.
//
// A variant of several runs must match as a phrase.
func clausesOf(words []string, syn *synonymTable) []Clause {
	var out []Clause
	for i := 0; i < len(words); {
		n, alts := 0, []string(nil)
		for k := min(maxSynonymWords, len(words)-i); k >= 1; k-- {
			if a := syn.whole(strings.Join(words[i:i+k], " ")); len(a) > 0 {
				n, alts = k, a
				break
			}
		}
		if n == 0 {
			n, alts = 1, syn.part(normalizeWord(words[i]))
		}
		if w := withNumerals(words[i]); n == 1 && len(alts) > 0 && w != words[i] {
			alts = append([]string{w}, alts...)
		}
		text := strings.Join(words[i:i+n], " ")
		i += n
		if len(alts) == 0 {
			out = append(out, runClauses(text)...)
			continue
		}
		c := Clause{Text: text}
		for i, v := range append([]string{text}, alts...) {
			if vt, ok := variantOf(v); ok {
				if i > 0 {
					vt.Loose, vt.LooseTerms = 0, nil // synonyms match whole
				}
				c.Variants = append(c.Variants, vt)
			} else if len(c.Variants) == 0 {
				break // the typed words have no terms
			}
		}
		if len(c.Variants) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// runClauses makes a clause of each run of a word's analysis.
func runClauses(text string) []Clause {
	toks := analyze(text)
	var out []Clause
	for i := 0; i < len(toks); {
		j := i
		for j < len(toks) && toks[j].run == toks[i].run {
			j++
		}
		run := toks[i:j]
		c := Clause{Text: text[run[0].Start:run[len(run)-1].End], Variants: []Variant{variantOfTokens(run)}}
		if n := chineseNumeral(c.Text); n != "" {
			v, _ := variantOf(n)
			c.Variants = append(c.Variants, v)
		}
		out = append(out, c)
		i = j
	}
	return out
}

// withNumerals is w with each number in digits that touches a CJK
// character written as chineseNumeral (验收后90天 → 验收后九十天).
func withNumerals(w string) string {
	rs := []rune(w)
	var b strings.Builder
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
			j++
		}
		if j == i {
			b.WriteRune(rs[i])
			i++
			continue
		}
		n := chineseNumeral(string(rs[i:j]))
		touches := (i > 0 && isCJK(fold(rs[i-1]))) || (j < len(rs) && isCJK(fold(rs[j])))
		if n == "" || !touches {
			n = string(rs[i:j])
		}
		b.WriteString(n)
		i = j
	}
	return b.String()
}

// chineseNumeral is how a page may write a number typed in digits (90 →
// 九十, 120 → 一百二十, 105 → 一百零五): reps type 90天 and 18万, writers
// often 九十天 and 十八万. It is "" for anything but 10–9999 without a
// leading zero, and for 10 itself: a lone 十, 二 or 两 would match inside
// every word that holds it.
func chineseNumeral(s string) string {
	if len(s) < 2 || len(s) > 4 || s[0] == '0' {
		return ""
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return ""
		}
	}
	const digits, units = "零一二三四五六七八九", "千百十"
	dr, ur := []rune(digits), []rune(units)
	var b []rune
	zero := false
	for i, r := range s {
		d, place := int(r-'0'), len(s)-1-i // place: 0 ones, 1 tens …
		if d == 0 {
			zero = len(b) > 0
			continue
		}
		if zero {
			b, zero = append(b, dr[0]), false
		}
		if !(d == 1 && place == 1 && i == 0) { // 十五, not 一十五
			b = append(b, dr[d])
		}
		if place > 0 {
			b = append(b, ur[3-place])
		}
	}
	if len(b) < 2 {
		return ""
	}
	return string(b)
}

func phraseClause(text string) Clause {
	c := Clause{Text: text, Phrase: true}
	if v, ok := variantOf(text); ok {
		v.Loose, v.LooseTerms, v.Adjacent = 0, nil, len(v.Terms) > 1
		c.Variants = []Variant{v}
	}
	return c
}

func variantOf(text string) (Variant, bool) {
	toks := analyze(text)
	if len(toks) == 0 {
		return Variant{}, false
	}
	return variantOfTokens(toks), true
}

func variantOfTokens(toks []token) Variant {
	v := Variant{Terms: make([]string, len(toks))}
	bigrams := 0
	for i, t := range toks {
		v.Terms[i] = t.Term
		if t.kind == kindBigram && t.run == toks[0].run {
			bigrams++
		}
	}
	v.Char = len(toks) == 1 && toks[0].kind == kindUnigram
	v.Adjacent = len(toks) > 1 && bigrams < len(toks)
	if bigrams == len(toks) && bigrams >= minLooseBigrams {
		if lt := looseTerms(v.Terms); len(lt) >= 2 {
			v.LooseTerms = lt
			v.Loose = (len(lt)*looseShare + 9) / 10
		}
	}
	return v
}

// looseTerms picks the loose terms of a run's bigrams: in each stretch of
// the run between filler words (fillerWords, cut as relaxFiller cuts them),
// the bigrams at even offsets, and the last when the stretch has an odd
// number of characters, so every character is covered once or twice. A
// bigram touching a filler word is no loose term: 第一次见客户说什么 must not
// match a page for holding 说什 and 什么, nor 贵怎么办 one for 贵怎 and 么办;
// such a question finds its pages when relaxation drops the filler.
func looseTerms(bigrams []string) []string {
	chars := make([]rune, 0, len(bigrams)+1)
	for _, b := range bigrams {
		chars = append(chars, []rune(b)[0])
	}
	chars = append(chars, []rune(bigrams[len(bigrams)-1])[1])
	cut := fillerMask(chars)
	var out, stretch []string
	flush := func() {
		for i := 0; i < len(stretch); i += 2 {
			out = append(out, stretch[i])
		}
		if len(stretch) > 0 && len(stretch)%2 == 0 { // an odd number of characters: cover the last
			out = append(out, stretch[len(stretch)-1])
		}
		stretch = stretch[:0]
	}
	for i, b := range bigrams {
		if cut[i] || cut[i+1] {
			flush()
			continue
		}
		stretch = append(stretch, b)
	}
	flush()
	return dedupeStrings(out)
}

// A run of at least minLooseBigrams bigrams (four characters) may match
// loosely, by looseShare tenths of its bigrams.
const (
	minLooseBigrams = 3
	looseShare      = 6
)

// dedupeClauses drops clauses without variants and repeats of a clause.
func dedupeClauses(cs []Clause) []Clause {
	seen := map[string]bool{}
	out := cs[:0]
	for _, c := range cs {
		if len(c.Variants) == 0 {
			continue
		}
		k := fmt.Sprint(c.Variants)
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

// markPrefix lets the query's last clause match as a prefix when it is a
// single unquoted a–z word of three or more letters at the very end of the
// query: someone typing "negot" finds negotiation.
func markPrefix(cs []Clause, s string) {
	if len(cs) == 0 {
		return
	}
	c := &cs[len(cs)-1]
	if c.Phrase || len(c.Variants) != 1 || len(c.Variants[0].Terms) != 1 || !strings.HasSuffix(s, c.Text) {
		return
	}
	if utf8.RuneCountInString(c.Text) < 3 {
		return
	}
	for _, r := range Normalize(c.Text) {
		if r < 'a' || r > 'z' {
			return
		}
	}
	c.Variants[0].Prefix = true
}
