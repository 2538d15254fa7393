package search

import (
	"encoding/json"
	"html"
	"math/bits"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Snippet is a short passage of a page with the matched words marked.
type Snippet []Span

// Span is a piece of a snippet.
type Span struct {
	Text string
	Mark bool // a matched word
}

// HTML renders the snippet with matches in <mark> and all text escaped.
func (s Snippet) HTML() string {
	return s.Format(func(t string) string { return "<mark>" + html.EscapeString(t) + "</mark>" }, html.EscapeString)
}

// Format renders marked and plain spans with the given functions, e.g.
// to show matches as 【…】 on a terminal.
func (s Snippet) Format(mark, plain func(string) string) string {
	var b strings.Builder
	for _, sp := range s {
		if sp.Mark {
			b.WriteString(mark(sp.Text))
		} else {
			b.WriteString(plain(sp.Text))
		}
	}
	return b.String()
}

// MarshalJSON writes the snippet as its HTML.
func (s Snippet) MarshalJSON() ([]byte, error) { return json.Marshal(s.HTML()) }

// snippetRunes is the length of a snippet in characters, "…" aside.
const snippetRunes = 100

// snippetFields are the stored texts a snippet may come from, in order of
// preference when several match equally well.
var snippetFields = []string{fieldText, fieldObjection, fieldSummary}

// storedText returns the texts of a hit a snippet may come from.
func (x *Index) storedText(h Hit) map[string]string {
	out := map[string]string{}
	for _, f := range snippetFields {
		switch v := h.stored[f].(type) {
		case string:
			out[f] = v
		case []any:
			parts := make([]string, 0, len(v))
			for _, p := range v {
				if s, ok := p.(string); ok {
					parts = append(parts, s)
				}
			}
			out[f] = strings.Join(parts, "\n")
		}
	}
	return out
}

// makeSnippet picks the window of snippetRunes characters that contains
// matches of the most clauses, from the field where that number is highest,
// and marks every match in it. A match is a run of consecutive tokens
// equal to a variant's terms (for CJK terms, simply the characters they
// were made of), and for a run that is not found whole its loose words, or
// else its bigrams; for a lone CJK character, that character anywhere; for
// a prefix, a word that begins with it; for the characters of a relaxed
// word (Variant.Backoff), each of them anywhere. Without any match the snippet is
// the start of the summary, else of the text.
func makeSnippet(q *Query, texts map[string]string) Snippet {
	best, bestField := window{}, ""
	words := wordsOnly(q) // the same for every text
	for _, f := range snippetFields {
		t := texts[f]
		if t == "" {
			continue
		}
		if w := bestWindow(t, findMarks(q, t, words)); w.clauses > best.clauses {
			best, bestField = w, f
		}
	}
	if bestField == "" {
		t := texts[fieldSummary]
		if t == "" {
			t = texts[fieldText]
		}
		return render(t, window{end: min(len(t), runeOffset(t, snippetRunes))})
	}
	return render(texts[bestField], best)
}

type mark struct {
	start, end int // bytes
	clause     int
}

// maxSnippetScan bounds how much of a text is searched for a snippet.
const maxSnippetScan = 32 << 10

// findMarks finds the matches of q's clauses in text; wordsOnly is
// wordsOnly(q).
func findMarks(q *Query, text string, wordsOnly bool) []mark {
	if len(text) > maxSnippetScan {
		text = text[:maxSnippetScan]
	}
	var toks []token // analysed only when a variant is not plain CJK
	analysed := false
	defer func() {
		if analysed {
			tokenBufs.Put(&toks)
		}
	}()
	var marks []mark
	for ci, c := range q.Clauses {
		for _, v := range c.Variants {
			if v.Backoff { // characters, found as written
				for _, t := range v.Terms {
					marks = appendOccurrences(marks, text, t, ci)
				}
				continue
			}
			if surface, ok := cjkSurface(v); ok {
				// CJK characters are never folded, so a run of them is
				// found as written: no need to analyse the text
				n := len(marks)
				marks = appendOccurrences(marks, text, surface, ci)
				// without the whole run: its loose words, else its bigrams
				parts := v.LooseTerms
				if v.Loose == 0 && len(marks) == n && !v.Adjacent {
					parts = dedupeStrings(v.Terms)
				}
				for _, t := range parts {
					marks = appendOccurrences(marks, text, t, ci)
				}
				continue
			}
			if !analysed {
				if wordsOnly {
					toks = analyzeWords(*tokenBufs.Get().(*[]token), text)
				} else {
					toks = analyzeInto(*tokenBufs.Get().(*[]token), text)
				}
				analysed = true
			}
			marks = append(marks, variantMarks(v, toks, text, ci)...)
		}
	}
	sort.Slice(marks, func(i, j int) bool {
		if marks[i].start != marks[j].start {
			return marks[i].start < marks[j].start
		}
		return marks[i].end > marks[j].end
	})
	return marks
}

// wordsOnly reports whether the variants findMarks matches against tokens
// (those cjkSurface does not find as written) hold no CJK term, so that
// the text's words suffice: customer success beside 客户成功 needs no
// bigrams of the page.
func wordsOnly(q *Query) bool {
	for _, c := range q.Clauses {
		for _, v := range c.Variants {
			if _, ok := cjkSurface(v); ok || v.Backoff {
				continue
			}
			for _, t := range v.Terms {
				for _, r := range t {
					if isCJK(r) {
						return false
					}
				}
			}
		}
	}
	return true
}

// tokenBufs holds token slices for findMarks: a text of maxSnippetScan
// bytes is thousands of tokens, analysed for each hit of a query with a
// word that is not plain CJK.
var tokenBufs = sync.Pool{New: func() any { return new([]token) }}

// cjkSurface returns the text a variant of CJK terms matches: the run its
// bigrams were made from, or its lone character.
func cjkSurface(v Variant) (string, bool) {
	var b strings.Builder
	for i, t := range v.Terms {
		r := []rune(t)
		// bigrams, or a lone character alone
		if len(r) == 0 || len(r) > 2 || len(r) == 1 && len(v.Terms) > 1 {
			return "", false
		}
		for _, c := range r {
			if !isCJK(c) {
				return "", false
			}
		}
		if i == 0 {
			b.WriteString(t)
		} else if r[0] != lastRune(b.String()) {
			return "", false // not one run
		} else {
			b.WriteRune(r[1])
		}
	}
	return b.String(), b.Len() > 0
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// appendOccurrences marks every occurrence of sub in text.
func appendOccurrences(marks []mark, text, sub string, ci int) []mark {
	for at := 0; ; {
		i := strings.Index(text[at:], sub)
		if i < 0 {
			return marks
		}
		marks = append(marks, mark{at + i, at + i + len(sub), ci})
		at += i + len(sub)
	}
}

func variantMarks(v Variant, toks []token, text string, ci int) []mark {
	var out []mark
	n := len(v.Terms)
	for i := range toks {
		t := toks[i]
		switch {
		case v.Char:
			if t.kind == kindWord || t.kind == kindGap {
				continue
			}
			// the character's place inside a one- or two-character token
			if r, size := utf8.DecodeRuneInString(text[t.Start:]); string(fold(r)) == v.Terms[0] {
				out = append(out, mark{t.Start, t.Start + size, ci})
			} else if t.kind == kindBigram && strings.HasSuffix(t.Term, v.Terms[0]) {
				out = append(out, mark{t.Start + size, t.End, ci})
			}
		case v.Prefix:
			if t.kind == kindWord && strings.HasPrefix(t.Term, v.Terms[0]) {
				out = append(out, mark{t.Start, t.End, ci})
			}
		default:
			if i+n <= len(toks) && termsEqual(toks[i:i+n], v.Terms) {
				out = append(out, mark{t.Start, toks[i+n-1].End, ci})
			} else if n > 1 && (contains(v.LooseTerms, t.Term) || !v.Adjacent && v.Loose == 0 && contains(v.Terms, t.Term)) {
				out = append(out, mark{t.Start, t.End, ci})
			}
		}
	}
	return out
}

func termsEqual(toks []token, terms []string) bool {
	for i, t := range terms {
		if toks[i].Term != t {
			return false
		}
	}
	return true
}

type window struct {
	start, end int // bytes
	clauses    int // distinct clauses matched inside
	marks      []mark
}

// bestWindow tries a window at each match and keeps the first that covers
// the most clauses. A window starts at the beginning of the sentence of its
// first match when that is near, else a few characters before it.
func bestWindow(text string, marks []mark) window {
	var best window
	bestLo := 0
	anchors := 0
	for i, m := range marks {
		if i > 0 && m.start == marks[i-1].start {
			continue
		}
		if anchors++; anchors > maxAnchors {
			break
		}
		start := windowStart(text, m.start)
		end := start + runeOffset(text[start:], snippetRunes)
		if end < m.end {
			end = m.end
		}
		lo := i // marks are sorted by start: look back to the window's start only
		for lo > 0 && marks[lo-1].start >= start {
			lo--
		}
		var seen uint32 // clauses matched inside: at most MaxClauses
		for _, o := range marks[lo:] {
			if o.start >= end {
				break
			}
			if o.end <= end {
				seen |= 1 << o.clause
			}
		}
		if n := bits.OnesCount32(seen); n > best.clauses {
			best, bestLo = window{start: start, end: end, clauses: n}, lo
		}
	}
	for _, o := range marks[bestLo:] {
		if o.start >= best.end {
			break
		}
		if o.end <= best.end {
			best.marks = append(best.marks, o)
		}
	}
	return best
}

// A window's clauses are bits of a uint32.
var _ = [1]struct{}{}[MaxClauses/33]

// maxAnchors bounds the windows tried in one text.
const maxAnchors = 200

const leadRunes = 24 // how far back a window may start before its first match

func windowStart(text string, at int) int {
	start := at
	for n := 0; n < leadRunes && start > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if strings.ContainsRune("。！？!?；;\n", r) {
			return start
		}
		start -= size
	}
	if start == 0 {
		return 0
	}
	// no sentence start near: begin a few characters before the match
	start = at
	for n := 0; n < 8 && start > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		start -= size
	}
	return start
}

// runeOffset is the byte offset after n runes of s (or len(s)).
func runeOffset(s string, n int) int {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// render cuts the window out of text, marks its matches (overlapping ones
// merged), squeezes white space and adds "…" where text was cut.
func render(text string, w window) Snippet {
	var s Snippet
	add := func(t string, marked bool) {
		t = squeeze(t)
		if t == "" {
			return
		}
		if n := len(s); n > 0 && s[n-1].Mark == marked {
			s[n-1].Text += t
			return
		}
		s = append(s, Span{Text: t, Mark: marked})
	}
	if w.start > 0 {
		add("…", false)
	}
	at := w.start
	for _, m := range merge(w.marks) {
		if m.start < at {
			continue
		}
		add(text[at:m.start], false)
		add(text[m.start:m.end], true)
		at = m.end
	}
	add(text[at:w.end], false)
	if w.end < len(text) {
		add("…", false)
	}
	if len(s) > 0 && !s[0].Mark {
		s[0].Text = strings.TrimLeftFunc(s[0].Text, unicode.IsSpace)
	}
	return s
}

// merge joins overlapping and touching marks (bigrams of one word overlap).
func merge(marks []mark) []mark {
	var out []mark
	for _, m := range marks {
		if n := len(out); n > 0 && m.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, m.end)
			continue
		}
		out = append(out, m)
	}
	return out
}

// squeeze turns every run of white space into one space.
func squeeze(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
