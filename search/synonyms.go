package search

import (
	_ "embed"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"unicode/utf8"

	pinyin "github.com/mozillazg/go-pinyin"
	"github.com/playbook-sales/playbook/internal/yamlerr"
	"go.yaml.in/yaml/v3"
)

// builtinSynonyms is the curated list of synonym groups (synonyms.yaml).
//
//go:embed synonyms.yaml
var builtinSynonyms []byte

// SynonymsFile is a site's own synonym groups, in the site folder.
const SynonymsFile = "synonyms.yaml"

// BuiltinSynonyms returns the built-in synonym groups, normalised.
func BuiltinSynonyms() [][]string {
	groups, err := ParseSynonyms(builtinSynonyms)
	if err != nil {
		panic("search: built-in synonyms.yaml: " + err.Error())
	}
	return groups
}

// ParseSynonyms reads synonym groups: a YAML list whose items are lists of
// words ([签约, 成交, 签单]) or comma-separated strings ("签约, 成交, 签单").
// Words are normalised (width, case, spaces); groups of fewer than two
// distinct words are dropped.
func ParseSynonyms(data []byte) ([][]string, error) {
	var raw []yaml.Node
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("want a list of groups such as - [签约, 成交, 签单]: %w", yamlerr.WithLine(data, err))
	}
	var groups [][]string
	for _, n := range raw {
		var words []string
		switch n.Kind {
		case yaml.SequenceNode:
			if err := n.Decode(&words); err != nil {
				return nil, fmt.Errorf("line %d: want a list of words: %w", n.Line, err)
			}
		case yaml.ScalarNode:
			words = strings.FieldsFunc(n.Value, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
		default:
			return nil, fmt.Errorf("line %d: want [word, word, …] or \"word, word\"", n.Line)
		}
		if g := normalizeGroup(words); len(g) >= 2 {
			groups = append(groups, g)
		}
	}
	return groups, nil
}

// LoadSynonyms returns the built-in groups followed by those of the file at
// path; a missing file adds none.
func LoadSynonyms(path string) ([][]string, error) {
	groups := BuiltinSynonyms()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return groups, nil
	}
	if err != nil {
		return nil, err
	}
	site, err := ParseSynonyms(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return append(groups, site...), nil
}

func normalizeGroup(words []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range words {
		w = normalizeWord(w)
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// normalizeWord folds width and case and squeezes white space to one space.
func normalizeWord(w string) string { return strings.Join(strings.Fields(Normalize(w)), " ") }

// synonymTable answers which words a word may be replaced by.
//
// The rules, which the static client reproduces:
//   - a word's alternatives are the other words of every group it is in, in
//     the order of the groups and of the words in them, without repeats;
//   - whole match: 1–maxSynonymWords consecutive query words whose analysed
//     terms equal those of a group word (the longest such run wins);
//   - part match: otherwise, the longest group word of at least two
//     characters inside one query word (leftmost on ties) is replaced by each
//     alternative; a group word with letters or digits must not touch other
//     letters or digits there (so "crm" is not found in "scrm");
//   - a query gets at most maxVariants alternatives per word.
type synonymTable struct {
	alts   map[string][]string // normalised word → alternatives
	byKey  map[string][]string // analysed terms of a word (exactKey) → alternatives
	byChar map[rune]string     // a CJK character → the first group word holding it, in list order
	maxLen int                 // longest word, in runes
}

const (
	maxSynonymWords = 4
	maxVariants     = 8
)

// newSynonymTable keeps at most maxVariants alternatives of a word, the
// most a query uses (limit): storing all of them took the cube of a
// group's size, 26 s for one group of 2,000 words in a site's synonyms.yaml.
func newSynonymTable(groups [][]string) *synonymTable {
	t := &synonymTable{alts: map[string][]string{}, byKey: map[string][]string{}, byChar: map[rune]string{}}
	for _, g := range groups {
		g = normalizeGroup(g)
		t.addChars(g)
		keys := make([]string, len(g))
		for i, w := range g {
			keys[i] = exactKey(w)
		}
		for i, w := range g {
			t.maxLen = max(t.maxLen, utf8.RuneCountInString(w))
			k := keys[i]
			for j, o := range g {
				full := len(t.alts[w]) >= maxVariants
				if !full && o != w && !contains(t.alts[w], o) {
					t.alts[w] = append(t.alts[w], o)
				}
				keyFull := k == "" || len(t.byKey[k]) >= maxVariants
				if !keyFull && keys[j] != k && !contains(t.byKey[k], o) {
					t.byKey[k] = append(t.byKey[k], o)
				}
				if full && keyFull {
					break
				}
			}
		}
	}
	return t
}

// addChars files the words of a group under the CJK characters no earlier
// word holds.
func (t *synonymTable) addChars(g []string) {
	for _, w := range g {
		for _, r := range w {
			if _, ok := t.byChar[r]; !ok && isCJK(r) {
				t.byChar[r] = w
			}
		}
	}
}

// holding returns, for a lone CJK character w, the first group word that
// holds it and that word's alternatives: its group (贵 → 太贵, 嫌贵,
// 价格太高 …). It is nil when w is no lone character or no word holds it.
func (t *synonymTable) holding(w string) []string {
	r, size := utf8.DecodeRuneInString(w)
	word, ok := t.byChar[r]
	if size != len(w) || !ok {
		return nil
	}
	return append([]string{word}, limit(t.alts[word])...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// whole returns the alternatives of a whole text, compared by its analysed
// terms (so "Negotiations" finds the group of "negotiation").
func (t *synonymTable) whole(s string) []string {
	return limit(t.byKey[exactKey(s)])
}

// part finds the group word to replace inside a normalised word and returns
// the word with each alternative in its place.
func (t *synonymTable) part(w string) []string {
	r := []rune(w)
	bestAt, bestLen := t.inner(r)
	if bestAt < 0 {
		return nil
	}
	head, tail := string(r[:bestAt]), string(r[bestAt+bestLen:])
	var out []string
	for _, a := range limit(t.alts[string(r[bestAt:bestAt+bestLen])]) {
		out = append(out, head+a+tail)
	}
	return out
}

// inner finds the longest group word inside a normalised word, the first
// of the longest: its start and length in runes, or -1.
func (t *synonymTable) inner(r []rune) (at, n int) { return t.innerIn(r, 0, len(r)) }

// innerIn is inner within r[lo:hi]; bounded still looks at r's neighbours.
func (t *synonymTable) innerIn(r []rune, lo, hi int) (at, n int) {
	bestAt, bestLen := -1, 0
	for i := lo; i < hi; i++ {
		for n := min(t.maxLen, hi-i); n >= max(2, bestLen+1); n-- {
			if _, ok := t.alts[string(r[i:i+n])]; ok && bounded(r, i, i+n) {
				bestAt, bestLen = i, n
				break
			}
		}
	}
	return bestAt, bestLen
}

// groupWords returns every group word inside a normalised word, each followed
// by its alternatives: the one inner finds, then those it leaves on its
// left and on its right, found the same way. A question holding two
// topics (物业说怕着火: 物业 and 着火) keeps both.
func (t *synonymTable) groupWords(w string) []string {
	r := []rune(w)
	var out []string
	var walk func(lo, hi int)
	walk = func(lo, hi int) {
		at, n := t.innerIn(r, lo, hi)
		if at < 0 {
			return
		}
		word := string(r[at : at+n])
		for _, x := range append([]string{word}, limit(t.alts[word])...) {
			if !contains(out, x) {
				out = append(out, x)
			}
		}
		walk(lo, at)
		walk(at+n, hi)
	}
	walk(0, len(r))
	return out
}

// covered reports whether run[a:b] lies inside a longer word of a group
// that run holds and that is no synonym of run[a:b] itself (竞品 in
// 竞品分析, but not 案例 in 客户案例, a synonym of 案例). A nil table covers
// nothing.
func (t *synonymTable) covered(run []rune, a, b int) bool {
	if t == nil {
		return false
	}
	inner := string(run[a:b])
	for i := max(0, b-t.maxLen); i <= a; i++ {
		for j := max(b, i+b-a+1); j <= min(len(run), i+t.maxLen); j++ {
			if alts, ok := t.alts[string(run[i:j])]; ok && !contains(alts, inner) {
				return true
			}
		}
	}
	return false
}

// bounded reports whether r[i:j] may be replaced: when its ends are letters
// or digits (not CJK), their neighbours outside must not be.
func bounded(r []rune, i, j int) bool {
	wordy := func(c rune) bool { return isWordRune(c) && !isCJK(c) }
	if wordy(r[i]) && i > 0 && wordy(r[i-1]) {
		return false
	}
	if wordy(r[j-1]) && j < len(r) && wordy(r[j]) {
		return false
	}
	return true
}

func limit(list []string) []string {
	if len(list) > maxVariants {
		return list[:maxVariants]
	}
	return list
}

// Revision changes whenever an index built from the same pages would
// differ: the index Format, the built-in synonym list and the pinyin
// dictionary's version.
func Revision() string {
	h := fnv.New64a()
	h.Write(builtinSynonyms)
	h.Write([]byte(pinyin.Version))
	return fmt.Sprintf("%d-%x", Format, h.Sum64())
}
