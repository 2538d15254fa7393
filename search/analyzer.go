package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// Analyzer names registered with bleve. An index stores these names in its
// mapping, so any binary that opens it must link this package.
const (
	AnalyzerName        = "playbook_zh_en"   // text fields
	KeywordAnalyzerName = "playbook_keyword" // filter and facet fields
)

// MaxWordRunes is the longest word token; longer runs of letters and digits
// are cut to their first MaxWordRunes characters.
const MaxWordRunes = 64

func init() {
	// bleve resolves analyzers by name through a global registry, also when
	// it opens an index; there is no other way to hand it ours.
	mustRegister(AnalyzerName, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return textAnalyzer{}, nil
	})
	mustRegister(KeywordAnalyzerName, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return keywordAnalyzer{}, nil
	})
}

func mustRegister(name string, c registry.AnalyzerConstructor) {
	if err := registry.RegisterAnalyzer(name, c); err != nil {
		panic(err)
	}
}

// Token is one term of analysed text with its place in the input.
type Token struct {
	Term  string `json:"term"`
	Start int    `json:"start"` // byte offset of the first byte in the input
	End   int    `json:"end"`   // byte offset just after the last byte
	Pos   int    `json:"pos"`   // 1-based position among the tokens of the input
}

// tokenKind tells the analyzer's token classes apart.
type tokenKind uint8

const (
	kindWord    tokenKind = iota // a run of letters, digits and marks
	kindBigram                   // two adjacent CJK characters
	kindUnigram                  // a CJK character with no CJK neighbour
	kindGap                      // a run of CJK characters, from analyzeWords only
)

type token struct {
	Token
	kind tokenKind
	run  int // index of the run (word or CJK run) the token came from
}

// Analyze splits text into terms exactly as the index does. The rules are
// the specification the static search client must reproduce:
//
//  1. Read the input as UTF-8, one code point at a time; an invalid byte is
//     a separator. Offsets are bytes of the original input.
//  2. Fold width: U+FF01–U+FF5E become U+0021–U+007E and U+3000 (ideographic
//     space) becomes U+0020. Then lower-case the code point with its simple
//     Unicode lower-case mapping (Go's unicode.ToLower).
//  3. Classify the folded code point:
//     CJK — script Han, Hiragana, Katakana or Hangul, or U+30FC (ー);
//     word — otherwise a letter (L) or number (N), or a mark (M) right
//     after a word character (a mark never starts a word);
//     apostrophe — ' or U+2019 between two word characters is dropped and
//     the word goes on ("customer's" → "customers");
//     anything else (spaces, punctuation, symbols, emoji) separates.
//  4. A maximal run of word characters is one token, cut to MaxWordRunes
//     code points. A token made only of a–z is stemmed with the Porter
//     stemmer (github.com/blevesearch/go-porterstemmer, without its
//     lower-casing); other tokens (digits, accents, other scripts) are kept.
//  5. A maximal run of adjacent CJK characters of length n ≥ 2 gives its n−1
//     overlapping bigrams; a run of length 1 gives that character alone.
//  6. Positions count the tokens from 1 in order of output, with no gaps.
func Analyze(text string) []Token {
	toks := analyze(text)
	out := make([]Token, len(toks))
	for i, t := range toks {
		out[i] = t.Token
	}
	return out
}

// fold applies width folding and lower-casing to one code point.
func fold(r rune) rune {
	switch {
	case r < 'A', r >= 0x4E00 && r <= 0x9FFF:
		// nothing to fold below A, nor in CJK Unified Ideographs, the bulk
		// of Chinese text: skip unicode.ToLower's table search
		return r
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

var cjkScripts = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul}

func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x4E00 && r <= 0x9FFF: // CJK Unified Ideographs, the bulk of Chinese text
		return true
	}
	return r == 0x30FC || unicode.IsOneOf(cjkScripts, r)
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' }

// analyze implements Analyze and keeps each token's kind and run. Terms of
// CJK tokens, and of words that folding leaves alone, are substrings of
// text.
func analyze(text string) []token {
	return analyzeInto(make([]token, 0, len(text)/3+1), text)
}

// analyzeInto is analyze appending to buf[:0], for callers that reuse a
// buffer.
func analyzeInto(buf []token, text string) []token {
	return analyzeWith(analyzer{text: text, out: buf[:0]})
}

// analyzeWords is analyzeInto with each run of CJK characters given as one
// token of kind kindGap with no term: the word tokens, and what stands
// between them, for a caller that looks for words only. It does not build
// the bigrams of Chinese text, most of the work.
func analyzeWords(buf []token, text string) []token {
	return analyzeWith(analyzer{text: text, out: buf[:0], wordsOnly: true})
}

func analyzeWith(a analyzer) []token {
	text := a.text
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if r == utf8.RuneError && size <= 1 {
			a.flush()
			i++
			continue
		}
		f := fold(r)
		switch {
		case isCJK(f):
			a.flushWord()
			if !a.wordsOnly {
				a.addCJK(i, i+size)
			} else if n := len(a.out); n == 0 || a.out[n-1].kind != kindGap {
				a.emit("", i, i+size, kindGap) // CJK after a word, or first
				a.runs++
			}
		case isWordRune(f) && (len(a.word) > 0 || !unicode.IsMark(f)):
			a.flushCJK()
			a.addWord(i, i+size, f, f != r)
		case isApostrophe(f) && len(a.word) > 0 && isWordRune(nextFolded(text[i+size:])):
			a.changed = true // dropped inside a word
		default:
			a.flush()
		}
		i += size
	}
	a.flush()
	return a.out
}

// analyzer is the state of one analyze call.
type analyzer struct {
	text      string
	out       []token
	wordsOnly bool // see analyzeWords
	runs      int  // runs (words and CJK runs) finished so far

	word     []rune // folded runes of the current word
	wst, wnd int    // its byte range
	changed  bool   // the word's term differs from its text

	cjk          int // characters in the current CJK run
	prevS, prevE int // the last of them
}

func (a *analyzer) emit(term string, start, end int, kind tokenKind) {
	a.out = append(a.out, token{Token: Token{Term: term, Start: start, End: end, Pos: len(a.out) + 1}, kind: kind, run: a.runs})
}

func (a *analyzer) addWord(start, end int, f rune, changed bool) {
	if len(a.word) == 0 {
		a.wst = start
	}
	a.word = append(a.word, f)
	a.wnd = end
	a.changed = a.changed || changed
}

func (a *analyzer) addCJK(start, end int) {
	if a.cjk > 0 {
		a.emit(a.text[a.prevS:end], a.prevS, end, kindBigram)
	}
	a.cjk++
	a.prevS, a.prevE = start, end
}

func (a *analyzer) flush() {
	a.flushWord()
	a.flushCJK()
}

func (a *analyzer) flushWord() {
	if len(a.word) == 0 {
		return
	}
	w := a.word
	if len(w) > MaxWordRunes {
		w, a.changed = w[:MaxWordRunes], true
	}
	term := ""
	if plain(w) {
		term = string(porterstemmer.StemWithoutLowerCasing(append(make([]rune, 0, len(w)), w...)))
	} else if a.changed {
		term = string(w)
	} else {
		term = a.text[a.wst:a.wnd]
	}
	a.emit(term, a.wst, a.wnd, kindWord)
	a.runs++
	a.word, a.changed = a.word[:0], false
}

func (a *analyzer) flushCJK() {
	if a.cjk == 0 {
		return
	}
	if a.cjk == 1 {
		a.emit(a.text[a.prevS:a.prevE], a.prevS, a.prevE, kindUnigram)
	}
	a.runs++
	a.cjk = 0
}

// plain reports whether a word is only a–z, and so is stemmed.
func plain(w []rune) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// nextFolded is the folded code point at the start of s, or a separator.
func nextFolded(s string) rune {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return ' '
	}
	f := fold(r)
	if isCJK(f) {
		return ' '
	}
	return f
}

// Normalize folds width and case of a whole string the way the analyzer
// does per character, and trims white space at both ends. Keyword fields
// (type, stages, tags …) and synonym lookup use it.
func Normalize(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		if r == utf8.RuneError {
			continue
		}
		b = append(b, fold(r))
	}
	start, end := 0, len(b)
	for start < end && unicode.IsSpace(b[start]) {
		start++
	}
	for end > start && unicode.IsSpace(b[end-1]) {
		end--
	}
	return string(b[start:end])
}

// textAnalyzer is Analyze as a bleve analyzer.
type textAnalyzer struct{}

func (textAnalyzer) Analyze(input []byte) analysis.TokenStream {
	toks := analyze(string(input))
	out := make(analysis.TokenStream, len(toks))
	all := make([]analysis.Token, len(toks)) // one allocation for every token
	for i, t := range toks {
		typ := analysis.AlphaNumeric
		switch t.kind {
		case kindBigram:
			typ = analysis.Double
		case kindUnigram:
			typ = analysis.Single
		}
		var term []byte
		if t.End-t.Start == len(t.Term) && string(input[t.Start:t.End]) == t.Term {
			term = input[t.Start:t.End:t.End] // the term as written: share the input
		} else {
			term = []byte(t.Term)
		}
		all[i] = analysis.Token{Term: term, Start: t.Start, End: t.End, Position: t.Pos, Type: typ}
		out[i] = &all[i]
	}
	return out
}

// keywordAnalyzer makes the whole normalised value one token, or none when
// it is empty.
type keywordAnalyzer struct{}

func (keywordAnalyzer) Analyze(input []byte) analysis.TokenStream {
	v := Normalize(string(input))
	if v == "" {
		return nil
	}
	return analysis.TokenStream{{Term: []byte(v), Start: 0, End: len(input), Position: 1, Type: analysis.AlphaNumeric}}
}
