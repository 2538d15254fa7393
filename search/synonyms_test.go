package search

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestBuiltinSynonyms(t *testing.T) {
	groups := BuiltinSynonyms()
	if len(groups) < 100 {
		t.Errorf("%d built-in groups, want at least 100", len(groups))
	}
	seen := map[string]int{}
	for i, g := range groups {
		if len(g) < 2 {
			t.Errorf("group %d %v has fewer than two words", i, g)
		}
		for _, w := range g {
			if utf8.RuneCountInString(w) < 2 {
				t.Errorf("group %v: %q is a single character; it would match too much", g, w)
			}
			if j, dup := seen[w]; dup {
				t.Errorf("%q is in group %v and %v; merge them", w, groups[j], g)
			}
			seen[w] = i
			if exactKey(w) == "" {
				t.Errorf("%q has no terms", w)
			}
		}
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
