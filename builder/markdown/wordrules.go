package markdown

import (
	"regexp"
	"sort"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// Chroma lexers match keywords with rules like `(SELECT|SMALLINT|…)\b`: one
// alternation of hundreds of words, which chroma's backtracking regexp
// engine tries word by word at the start of every token. SQL's two such
// rules made highlighting SQL cost 2 µs a byte, a quarter of the whole
// build of a code-heavy site (pingcap/docs-cn). fastLexer rewrites those
// rules as a trie of the same words, (S(?:ELECT|MALLINT)|…)\b, which
// rejects a token after its first letters; the tokens are the same.
//
// The rewrite keeps the match because the alternation is followed by \b:
// a word made of word characters only can match only if it is the whole
// run of word characters at that position, and at most one such word is
// that run, whichever order they are tried in. The few words with other
// characters (SQL's END-EXEC) stay in front, in their order; that is the
// same match as long as the word that is their leading run (END) came after
// them, which triePattern checks.

// wordRule is a rule the rewrite applies to: one group of words followed
// by \b.
var wordRule = regexp.MustCompile(`^\(([^()|\\]+(?:\|[^()|\\]+)+)\)\\b$`)

// plainWord is a word of word characters only; leadingRun is the start of
// one that has others.
var (
	plainWord  = regexp.MustCompile(`^\w+$`)
	leadingRun = regexp.MustCompile(`^\w*`)
)

// special lists characters that are not literal in a regexp; a word
// holding one is left alone.
const special = `.+*?[]{}^$`

// minTrieWords is the size from which an alternation is rewritten: a
// few words cost little either way.
const minTrieWords = 16

// fastLexer returns l with its long word alternations rewritten as tries,
// or l itself when it has none (or is not a regexp lexer).
func fastLexer(l chroma.Lexer) chroma.Lexer {
	rl, ok := l.(*chroma.RegexLexer)
	if !ok {
		return l
	}
	rules, err := rl.Rules()
	if err != nil {
		return l
	}
	out, changed := chroma.Rules{}, false
	for state, rs := range rules {
		copied := make([]chroma.Rule, len(rs))
		for i, r := range rs {
			if p, ok := triePattern(r.Pattern); ok {
				r.Pattern, changed = p, true
			}
			copied[i] = r
		}
		out[state] = copied
	}
	if !changed {
		return l
	}
	fast, err := chroma.NewLexer(rl.Config(), func() chroma.Rules { return out })
	if err != nil {
		return l
	}
	fast.SetRegistry(lexers.GlobalLexerRegistry)
	return fast
}

// triePattern rewrites `(w1|w2|…)\b` as the same group over a trie of the
// words; ok is false for any other pattern.
func triePattern(pattern string) (string, bool) {
	m := wordRule.FindStringSubmatch(pattern)
	if m == nil {
		return "", false
	}
	words := strings.Split(m[1], "|")
	if strings.ContainsAny(m[1], special) {
		return "", false
	}
	var plain, other []string
	index := map[string]int{} // first position of each word, upper-cased
	for i, w := range words {
		if _, ok := index[strings.ToUpper(w)]; !ok {
			index[strings.ToUpper(w)] = i
		}
		if plainWord.MatchString(w) {
			plain = append(plain, w)
		} else {
			other = append(other, w)
		}
	}
	if len(plain) < minTrieWords {
		return "", false // nothing to gain; and no empty alternative
	}
	for _, w := range other {
		run := leadingRun.FindString(w)
		if i, ok := index[strings.ToUpper(run)]; ok && i < index[strings.ToUpper(w)] {
			return "", false // the run's word would have matched first
		}
	}
	sort.Strings(plain)
	var b strings.Builder
	b.WriteByte('(')
	for _, w := range other {
		b.WriteString(w + "|")
	}
	writeTrie(&b, compactWords(plain))
	b.WriteString(`)\b`)
	return b.String(), true
}

func compactWords(sorted []string) []string {
	out := sorted[:0]
	for i, w := range sorted {
		if i == 0 || w != sorted[i-1] {
			out = append(out, w)
		}
	}
	return out
}

// writeTrie writes an alternation matching exactly the sorted, distinct
// words, sharing their first letters: A(?:BORT|BS)|B…. The empty word
// (a word that is a prefix of others) comes last, as (?:…)? would put it.
func writeTrie(b *strings.Builder, words []string) {
	empty := len(words) > 0 && words[0] == ""
	if empty {
		words = words[1:]
	}
	if empty {
		b.WriteString("(?:")
	}
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && words[j][0] == words[i][0] {
			j++
		}
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteByte(words[i][0])
		if j-i == 1 {
			b.WriteString(words[i][1:])
		} else {
			rest := make([]string, j-i)
			for k := range rest {
				rest[k] = words[i+k][1:]
			}
			b.WriteString("(?:")
			writeTrie(b, rest)
			b.WriteByte(')')
		}
		i = j
	}
	if empty {
		b.WriteString(")?")
	}
}
