package markdown

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// sampleLexers are the lexers TestFastLexerSameTokens checks: the common
// languages of fences whose rules are rewritten. All of chroma's take
// minutes under -race; PLAYBOOK_ALL_LEXERS=1 checks every one.
var sampleLexers = []string{"sql", "mysql", "postgresql", "tsql", "abap", "go", "rust", "java", "typescript", "c", "cpp", "swift"}

// TestFastLexerSameTokens tokenises text made of the words of every
// rewritten rule, glued by the separators that decide a word's end, with
// each rewritten lexer and with chroma's own: the tokens must be the same.
func TestFastLexerSameTokens(t *testing.T) {
	var all []chroma.Lexer
	if os.Getenv("PLAYBOOK_ALL_LEXERS") != "" {
		all = lexers.GlobalLexerRegistry.Lexers
	} else {
		for _, name := range sampleLexers {
			if l := lexers.Get(name); l != nil {
				all = append(all, l)
			}
		}
	}
	rewritten := 0
	for _, orig := range all {
		fast := fastLexer(orig)
		if fast == orig {
			continue
		}
		rewritten++
		name := orig.Config().Name
		t.Run(name, func(t *testing.T) {
			for i, src := range wordSamples(t, orig) {
				if want, got := sameTokens(t, orig, fast, src); !reflect.DeepEqual(want, got) {
					t.Fatalf("sample %d (%.80q…): tokens differ\nchroma: %.300v\nfast:   %.300v", i, src, want, got)
				}
			}
		})
	}
	if rewritten == 0 {
		t.Fatal("no lexer was rewritten: the SQL keyword rule should be")
	}
	if fastLexer(lexers.Get("sql")) == lexers.Get("sql") {
		t.Error("the SQL lexer was not rewritten")
	}
}

// wordSamples are the words of l's rewritten rules in three cases, each
// followed by a separator of each kind, and pairs of words run together;
// short lines, since some lexers take quadratic time on long ones.
func wordSamples(t *testing.T, l chroma.Lexer) []string {
	rules, err := l.(*chroma.RegexLexer).Rules()
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, rs := range rules {
		for _, r := range rs {
			if _, ok := triePattern(r.Pattern); ok {
				m := wordRule.FindStringSubmatch(r.Pattern)
				words = append(words, strings.Split(m[1], "|")...)
			}
		}
	}
	if len(words) > maxSampleWords { // an even spread: some lexers are slow
		spread := make([]string, maxSampleWords)
		for i := range spread {
			spread[i] = words[i*len(words)/maxSampleWords]
		}
		words = spread
	}
	var out []string
	for _, sep := range []string{" ", "_x ", "$ ", "-", "é "} {
		for _, c := range []func(string) string{strings.ToUpper, strings.ToLower} {
			var b strings.Builder
			for _, w := range words {
				b.WriteString(c(w) + sep + "\n")
			}
			out = append(out, b.String())
		}
	}
	var b strings.Builder
	for i := 1; i < len(words); i++ {
		b.WriteString(words[i-1] + words[i] + "\n")
	}
	return append(out, b.String())
}

// maxSampleWords keeps the test to seconds: chroma's own lexers take
// up to milliseconds a word on these lines.
const maxSampleWords = 150

func TestTriePattern(t *testing.T) {
	words := func(n int) string { // 16+ plain words, enough to be rewritten
		var ws []string
		for i := range n {
			ws = append(ws, "W"+string(rune('A'+i)))
		}
		return strings.Join(ws, "|")
	}
	tests := []struct {
		name, pattern string
		ok            bool
	}{
		{"keyword list", `(` + words(20) + `)\b`, true},
		{"few words", `(` + words(5) + `)\b`, false},
		{"no \\b", `(` + words(20) + `)`, false},
		{"regexp syntax in a word", `(` + words(20) + `|A.B)\b`, false},
		{"other words before their run", `(END-EXEC|` + words(20) + `|END)\b`, true},
		{"other words after their run", `(END|` + words(20) + `|END-EXEC)\b`, false},
		{"only other words", `(A-B|C-D|E-F|G-H|I-J|K-L|M-N|O-P|Q-R|S-T|U-V|W-X|Y-Z|A-C|A-D|A-E|A-F)\b`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := triePattern(tt.pattern)
			if ok != tt.ok {
				t.Fatalf("rewritten %v (%q), want %v", ok, p, tt.ok)
			}
			if ok && (strings.Contains(p, "||") || strings.HasSuffix(p, "|)\\b")) {
				t.Errorf("%q has an empty alternative", p)
			}
		})
	}
}

func tokens(t *testing.T, l chroma.Lexer, src string) []chroma.Token {
	it, err := chroma.Coalesce(l).Tokenise(nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tokens()
}

// chromaTimeout is the wall time after which chroma gives up on one rule's
// match and reads it as no match (regexp2's MatchTimeout, 250 ms, set by
// chroma); half of it leaves a margin.
const chromaTimeout = 125 * time.Millisecond

// sameTokens tokenises src with want and got. On a busy machine (-race, a
// load of 30 on 2 cores) one rule's match can pass chroma's timeout, and
// chroma then lexes that spot differently: a difference from a run that
// took that long is lexed again, up to 5 times, rather than failed on.
func sameTokens(t *testing.T, want, got chroma.Lexer, src string) (w, g []chroma.Token) {
	for range 5 {
		start := time.Now()
		w, g = tokens(t, want, src), tokens(t, got, src)
		if reflect.DeepEqual(w, g) || time.Since(start) < chromaTimeout {
			return w, g
		}
	}
	return w, g
}

// TestFastLexerCorpus compares the tokens of every fenced block of the
// Markdown files under $PLAYBOOK_CORPUS (such as pingcap/docs-cn, whose
// SQL made the rewrite worth it), when it is set.
func TestFastLexerCorpus(t *testing.T) {
	dir := os.Getenv("PLAYBOOK_CORPUS")
	if dir == "" {
		t.Skip("PLAYBOOK_CORPUS is not set")
	}
	fence := regexp.MustCompile("(?ms)^```([A-Za-z0-9+_-]*)[^\n]*\n(.*?)^```")
	blocks := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
			fast := lexerFor(m[1])
			if fast == nil {
				continue
			}
			blocks++
			if want, got := sameTokens(t, lexers.Get(m[1]), fast, m[2]); !reflect.DeepEqual(want, got) {
				t.Errorf("%s: a %s block: tokens differ", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d blocks compared", blocks)
}
