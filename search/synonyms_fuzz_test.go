package search

import (
	"strings"
	"testing"
)

// FuzzParseSynonyms feeds arbitrary synonyms.yaml text to ParseSynonyms.
// It must never panic; an error names a line of the file; the groups it
// returns have at least two distinct, normalised words each; and a search
// table built from them answers for each of their words.
//
//	make fuzz   # or: go test ./search -run '^$' -fuzz FuzzParseSynonyms -fuzztime 60s
func FuzzParseSynonyms(f *testing.F) {
	f.Add(string(builtinSynonyms))
	for _, s := range []string{
		"- [签约, 成交, 签单]\n", "- \"回款, 收款，到款、回笼\"\n", "# only a comment\n", "", "- [a]\n",
		"- {a: b}\n", "a: b\n", "- [[a, b]]\n", "- [ＣＲＭ, crm,  Crm ]\n", "- [\"  \", x]\n", "- [a, &x b, *x]\n",
		"- [a\n", "\t- [a, b]\n", "- [价格异议, 嫌贵]\n- [嫌贵, 太贵]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		groups, err := ParseSynonyms([]byte(src))
		if err != nil {
			if !strings.Contains(err.Error(), "line ") {
				t.Fatalf("error names no line: %v", err)
			}
			return
		}
		for _, g := range groups {
			if len(g) < 2 {
				t.Fatalf("group %q of fewer than two words", g)
			}
			seen := map[string]bool{}
			for _, w := range g {
				if w == "" || seen[w] || normalizeWord(w) != w {
					t.Fatalf("group %q: word %q empty, repeated or not normalised", g, w)
				}
				seen[w] = true
			}
		}
		table := newSynonymTable(groups)
		for _, g := range groups {
			for _, w := range g {
				table.whole(w)
				table.part(w)
			}
		}
	})
}

// TestSynonymTableLargeGroup: a group of 5,000 words (a site's
// synonyms.yaml may hold one) builds a table that answers with the first
// maxVariants other words of the group, as a small group does.
func TestSynonymTableLargeGroup(t *testing.T) {
	words := make([]string, 5000)
	for i := range words {
		words[i] = "词" + strings.Repeat("甲", i%7) + string(rune('a'+i%26)) + strings.Repeat("z", i/26)
	}
	groups, err := ParseSynonyms([]byte("- [" + strings.Join(words, ", ") + "]\n- [" + words[5] + ", 另一个]\n"))
	if err != nil {
		t.Fatal(err)
	}
	table := newSynonymTable(groups)
	for _, i := range []int{0, 5, 4999} {
		w := groups[0][i]
		var want []string
		for _, o := range groups[0] {
			if o != w && len(want) < maxVariants {
				want = append(want, o)
			}
		}
		if got := limit(table.alts[w]); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("alternatives of %q: %q, want %q", w, got, want)
		}
	}
}
