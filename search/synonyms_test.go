package search

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// minBuiltinGroups is the least number of groups the built-in list holds
// (issue 10: reps' vocabulary by category, at least 250 groups).
const minBuiltinGroups = 250

// tooBroad are words the curation rules keep out of every group: they are on
// nearly every page or inside many other words.
var tooBroad = []string{"客户", "问题", "销售", "系统", "方案", "公司", "产品", "银行", "客户经理", "怎么办"}

// TestBuiltinSynonyms holds the built-in list to the curation rules at the
// top of synonyms.yaml that a program can check.
func TestBuiltinSynonyms(t *testing.T) {
	groups := BuiltinSynonyms()
	if len(groups) < minBuiltinGroups {
		t.Errorf("%d built-in groups, want at least %d", len(groups), minBuiltinGroups)
	}
	type place struct {
		word  string
		group []string
	}
	byKey := map[string]place{} // analysed terms → the word that has them
	for _, g := range groups {
		if len(g) < 2 || len(g) > 2*maxVariants+1 {
			t.Errorf("group %v has %d words, want 2 to %d: a core of %d that find each other and at most %d that lead to it",
				g, len(g), 2*maxVariants+1, maxVariants+1, maxVariants)
		}
		for _, w := range g {
			if utf8.RuneCountInString(w) < 2 {
				t.Errorf("group %v: %q is a single character; it would match too much", g, w)
			}
			if slices.Contains(tooBroad, w) {
				t.Errorf("group %v: %q is too broad; it would flood the results", g, w)
			}
			k := exactKey(w)
			if k == "" {
				t.Errorf("group %v: the analyzer makes no terms of %q", g, w)
				continue
			}
			if p, dup := byKey[k]; dup {
				t.Errorf("%q and %q are one word to the search (terms %q), in groups %v and %v; keep one", p.word, w, k, p.group, g)
			}
			byKey[k] = place{w, g}
		}
	}
}

// TestBuiltinSynonymsFile checks what parsing would hide: every item of
// synonyms.yaml is a group of distinct words (ParseSynonyms drops repeats
// and groups of fewer than two words), and every group sits under a
// category header ("# ── name").
func TestBuiltinSynonymsFile(t *testing.T) {
	var raw []yaml.Node
	if err := yaml.Unmarshal(builtinSynonyms, &raw); err != nil {
		t.Fatal(err)
	}
	groups := BuiltinSynonyms()
	if len(raw) != len(groups) {
		t.Errorf("synonyms.yaml has %d items but gives %d groups: an empty group, a one-word group or a word twice", len(raw), len(groups))
	}
	for i, n := range raw {
		var words []string
		if err := n.Decode(&words); err != nil {
			t.Errorf("line %d: %v", n.Line, err)
			continue
		}
		if i < len(groups) && len(words) != len(groups[i]) {
			t.Errorf("line %d: %v has a word twice (after folding case and width)", n.Line, words)
		}
	}
	categories, ungrouped := 0, 0
	for _, line := range strings.Split(string(builtinSynonyms), "\n") {
		switch {
		case strings.HasPrefix(line, "# ── "):
			categories++
		case strings.HasPrefix(line, "- ") && categories == 0:
			ungrouped++
		}
	}
	if categories < 20 || ungrouped > 0 {
		t.Errorf("%d category headers, %d groups before the first; want every group under a header", categories, ungrouped)
	}
}

func TestParseSynonymsFormats(t *testing.T) {
	groups, err := ParseSynonyms([]byte(`
# comments are fine
- [签约, 成交, 签约]      # repeats dropped
- "回款, 收款，到款、回笼"  # one string, several separators
- [ＡＲＰＵ, 客单价]        # normalised
- [孤单]                  # one word: dropped
- []
`))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"签约", "成交"}, {"回款", "收款", "到款", "回笼"}, {"arpu", "客单价"}}
	if !reflect.DeepEqual(groups, want) {
		t.Errorf("got %q, want %q", groups, want)
	}
	for _, bad := range []string{"a: b", "- {a: b}", "- [a, [b]]", "[unclosed"} {
		if _, err := ParseSynonyms([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestLoadSynonyms(t *testing.T) {
	dir := t.TempDir()
	builtin := len(BuiltinSynonyms())
	groups, err := LoadSynonyms(filepath.Join(dir, SynonymsFile))
	if err != nil || len(groups) != builtin {
		t.Fatalf("missing file: %d groups, %v", len(groups), err)
	}
	path := filepath.Join(dir, SynonymsFile)
	if err := os.WriteFile(path, []byte("- [云帆, yunfan]\n- [签约, 落单]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	groups, err = LoadSynonyms(path)
	if err != nil || len(groups) != builtin+2 {
		t.Fatalf("%d groups, %v", len(groups), err)
	}
	// a site group adds to a built-in one sharing a word
	table := newSynonymTable(groups)
	if alts := table.whole("落单"); !reflect.DeepEqual(alts, []string{"签约"}) {
		t.Errorf("落单 → %v", alts)
	}
	if alts := table.whole("签约"); !contains(alts, "成交") || !contains(alts, "落单") {
		t.Errorf("签约 → %v", alts)
	}
	if err := os.WriteFile(path, []byte("签约: 成交"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSynonyms(path); err == nil {
		t.Error("a mapping: no error")
	}
}

func TestSynonymTable(t *testing.T) {
	table := newSynonymTable([][]string{{"回款", "收款"}, {"客户成功", "CSM"}, {"客户", "顾客"}})
	tests := []struct {
		fn, in string
		want   []string
	}{
		{"whole", "回款", []string{"收款"}},
		{"whole", "ＣＳＭ", []string{"客户成功"}},
		{"whole", "回款流程", nil},
		{"part", "回款流程", []string{"收款流程"}},
		{"part", "客户成功案例", []string{"csm案例"}}, // the longest group word wins
		{"part", "老客户", []string{"老顾客"}},
		{"part", "csms", nil}, // Latin words are matched whole
		{"part", "价格", nil},
	}
	for _, tt := range tests {
		var got []string
		if tt.fn == "whole" {
			got = table.whole(tt.in)
		} else {
			got = table.part(normalizeWord(tt.in))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s(%q) = %q, want %q", tt.fn, tt.in, got, tt.want)
		}
	}
}
