package search

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func keysOf(s string) []string {
	var out []string
	pinyinKeys(s, func(k string) { out = append(out, k) })
	return out
}

// TestPinyinKeys: the forms a rep types for a name are among its keys.
func TestPinyinKeys(t *testing.T) {
	for _, tc := range []struct {
		in        string
		want, not []string
	}{
		{"星图CRM", []string{"xing", "tu", "xingtu", "xt", "xingt"}, []string{"crm", "x", "t", "xtu"}},
		{"重庆", []string{"chongqing", "zhongqing", "cq", "zq", "zhongq"}, []string{"chongq"}}, // heteronym 重
		{"东林银行", []string{"donglinyinhang", "dlyh", "yinhang", "yh", "donglinyinx"}, nil},    // 行 hang
		{"绿源", []string{"lvyuan", "luyuan", "ly"}, nil},                                      // ü as v and u
		{"简道销售云", []string{"jiandaoxiaoshouyun", "jdxsy", "jiandaox", "xiaoshouyun"}, nil},
		{"价格 异议", []string{"jiage", "jg", "yiyi"}, []string{"jiageyiyi", "geyi"}}, // a space ends a run
		{"Pricing FAQ", nil, []string{"pricing", "faq"}},                          // no Chinese, no keys
		{"", nil, nil},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got := keysOf(tc.in)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("keys of %q lack %q: %v", tc.in, w, got)
				}
			}
			for _, n := range tc.not {
				if slices.Contains(got, n) {
					t.Errorf("keys of %q hold %q", tc.in, n)
				}
			}
			for _, k := range got {
				if !lowerASCII(k) {
					t.Errorf("key %q of %q is not a–z", k, tc.in)
				}
			}
		})
	}
}

// TestPinyinKeysBounded: a long title of characters with many readings gets
// a bounded number of keys, and no whole-run key beyond pinyinMaxRun.
func TestPinyinKeysBounded(t *testing.T) {
	long := strings.Repeat("重行和长乐", 40) // 200 characters, three or four readings each
	got := keysOf(long)
	// per character: its syllables (at most 4 here) and, for each piece
	// of n = 2…pinyinMaxGram characters starting at it, two forms of at
	// most pinyinMaxReadings combinations and n-1 more of the first
	perChar := 4
	for n := 2; n <= pinyinMaxGram; n++ {
		perChar += 2*pinyinMaxReadings + n - 1
	}
	if bound := len([]rune(long)) * perChar; len(got) > bound {
		t.Errorf("%d keys for %d characters, at most %d", len(got), len([]rune(long)), bound)
	}
	for _, k := range got {
		if len(k) > pinyinMaxGram*6 {
			t.Fatalf("key %q is longer than a piece of %d characters", k, pinyinMaxGram)
		}
	}
	whole := keysOf("重行和长乐重行和长乐") // 10 characters: pieces only
	if slices.Contains(whole, "zhongxinghechanglezhongxinghechangle") {
		t.Error("a run longer than pinyinMaxRun has a whole-run key")
	}
}

// TestPinyinCombinationsOrder: the most common readings come first, and the
// cap keeps the first of that order.
func TestPinyinCombinationsOrder(t *testing.T) {
	piece := [][]string{{"zhong", "chong", "tong"}, {"qing"}, {"xing", "hang", "heng"}}
	got := combinations(piece, 4)
	want := [][]string{{"zhong", "qing", "xing"}, {"zhong", "qing", "hang"}, {"chong", "qing", "xing"},
		{"zhong", "qing", "heng"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("combinations = %v, want %v", got, want)
	}
	if n := len(combinations(piece, 100)); n != 9 {
		t.Errorf("%d combinations without a cap, want 9", n)
	}
}

func TestPinyinAnalyzer(t *testing.T) {
	toks := pinyinAnalyzer{}.Analyze([]byte(" xingtu  xt xingt "))
	var got []string
	for i, tok := range toks {
		got = append(got, string(tok.Term))
		if tok.Position != i+1 {
			t.Errorf("token %q at position %d, want %d", tok.Term, tok.Position, i+1)
		}
	}
	if !slices.Equal(got, []string{"xingtu", "xt", "xingt"}) {
		t.Errorf("tokens %v", got)
	}
}

// TestPinyinSearch: pinyin, initials, a syllable typed part way, case and
// spaces find names and titles; body text is not read as pinyin.
func TestPinyinSearch(t *testing.T) {
	idx := fixtureIndex(t)
	for _, tc := range []struct{ q, first string }{
		{"xingtu", "competitors/xingtu"},
		{"XingTu", "competitors/xingtu"},
		{"xing tu", "competitors/xingtu"},
		{"xingt", "competitors/xingtu"},
		{"xt", "competitors/xingtu"},
		{"donglinyinhang", "cases/bank"},
		{"dlyh", "cases/bank"},
		{"baojiashenpi", "guides/approval"},
		{"jiage tanpan", "training/nego"},
		{"xingtu 切换", "cases/bank"},
	} {
		t.Run(tc.q, func(t *testing.T) {
			res := search(t, idx, Request{Query: tc.q})
			if len(res.Hits) == 0 || res.Hits[0].Path != tc.first {
				t.Errorf("%q: first %v, want %s", tc.q, paths(res), tc.first)
			}
		})
	}
	// 签约 and 回款 are only in bodies: body text is not read as pinyin
	for _, q := range []string{"qianyue", "huikuan", "qy"} {
		if got := paths(search(t, idx, Request{Query: q})); len(got) > 0 {
			t.Errorf("%q finds %v, want nothing", q, got)
		}
	}
}

// TestPinyinBelowEnglish: a page with the English word in its name or
// summary ranks above a page that has it only as pinyin, and an English
// word that no name reads as keeps the very scores it had.
func TestPinyinBelowEnglish(t *testing.T) {
	docs := []Doc{
		{Path: "a", Title: "AI 外呼话术", Summary: "how to open an AI call"},
		{Path: "b", Title: "爱心活动"}, // ai xin
		{Path: "c", Title: "产品演示", Summary: "run a good demo"},
		{Path: "d", Title: "德莫咨询"}, // de mo
		{Path: "e", Title: "price list", Body: "the price of the demo"},
	}
	idx, err := NewMemory(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for q, want := range map[string][]string{"ai": {"a", "b"}, "demo": {"c", "e", "d"}} {
		if got := paths(search(t, idx, Request{Query: q})); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
	// price is no page's pinyin: its clause gets no pinyin leaf, so the
	// scores are exactly those of the query without pinyin
	without, err := idx.Parse("price")
	if err != nil {
		t.Fatal(err)
	}
	without.Clauses[0].Pinyin = ""
	want, err := idx.RawScores(context.Background(), without)
	if err != nil {
		t.Fatal(err)
	}
	q, err := idx.Parse("price")
	if err != nil {
		t.Fatal(err)
	}
	if q.Clauses[0].Pinyin != "price" {
		t.Fatalf("price parses with pinyin key %q", q.Clauses[0].Pinyin)
	}
	got, err := idx.RawScores(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("price scores %v with pinyin search, %v without", got, want)
	}
}

// TestHandlerPinyin: /api/search answers a pinyin query as Search does.
func TestHandlerPinyin(t *testing.T) {
	idx := fixtureIndex(t)
	for _, q := range []string{"xingtu", "dlyh", "XingT"} {
		rec, body := get(t, Handler(idx), "q="+q)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", q, rec.Code)
		}
		want := search(t, idx, Request{Query: q})
		hits := body["hits"].([]any)
		if len(want.Hits) == 0 || len(hits) != len(want.Hits) {
			t.Fatalf("%s: %d hits over HTTP, %d from Search", q, len(hits), len(want.Hits))
		}
		for i, h := range hits {
			if p := h.(map[string]any)["path"]; p != want.Hits[i].Path {
				t.Errorf("%s: hit %d is %v over HTTP, %s from Search", q, i+1, p, want.Hits[i].Path)
			}
		}
	}
}

// FuzzPinyinKeys: any text gives keys of a–z only, none empty, at most a
// bounded number per character, and the analyzer gives them back.
func FuzzPinyinKeys(f *testing.F) {
	for _, s := range []string{"星图CRM 竞品卡", "重庆银行：行长", "呣嗯哦〇", "绿女略", "𠀀𪚥", "a中b文c", "\xff中"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys := keysOf(s)
		perChar := 8 // the syllables of a character with many readings
		for n := 2; n <= pinyinMaxGram; n++ {
			perChar += 2*pinyinMaxReadings + n - 1
		}
		// a whole run of 5 to 8 characters: at most 2·8+7 keys, 5 a character
		perChar += (2*pinyinMaxReadings + pinyinMaxRun - 1 + pinyinMaxGram) / (pinyinMaxGram + 1)
		if bound := utf8.RuneCountInString(s) * perChar; len(keys) > bound {
			t.Fatalf("%d keys for %q, more than %d", len(keys), s, bound)
		}
		for _, k := range keys {
			if !lowerASCII(k) {
				t.Fatalf("key %q of %q", k, s)
			}
		}
		toks := pinyinAnalyzer{}.Analyze([]byte(strings.Join(keys, " ")))
		if len(toks) != len(keys) {
			t.Fatalf("%d keys analysed into %d tokens", len(keys), len(toks))
		}
	})
}
