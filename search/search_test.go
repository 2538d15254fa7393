package search

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fixtureDocs is a small knowledge base for unit tests.
var fixtureDocs = []Doc{
	{Path: "scripts/price", URL: "/scripts/price/", Type: "script", Title: "价格异议处理：客户说“你们太贵了”",
		Aliases: []string{"/old/price/"}, Objection: "你们太贵了，比别家贵了一大截。",
		Summary: "最高频的异议。先澄清贵的参照物。", Headings: []string{"先别急着解释", "四步话术"},
		Body:   "客户说太贵了的时候，他说的可能是五件不同的事。\n先确认，再澄清，最后用三年总成本回应。签约前不要让价。",
		Stages: []string{"negotiation", "proposal"}, Roles: []string{"rep"}, Tags: []string{"价格", "异议处理"}},
	{Path: "scripts/delay", URL: "/scripts/delay/", Type: "script", Title: "拖延不决：“我们再考虑考虑”",
		Objection: "方案我们看了，挺好的，我们内部再考虑考虑。",
		Body:      "再考虑考虑几乎从来不是真的在考虑。用打分法问出顾虑，推动成交。",
		Stages:    []string{"closing"}, Tags: []string{"成交"}},
	{Path: "guides/approval", URL: "/guides/approval/", Type: "page", Title: "报价审批规则",
		Body:   "折扣权限：9 折及以上销售代表自行决定。报价审批规则适用于所有新签和续约报价。",
		Stages: []string{"negotiation"}, Tags: []string{"报价", "审批"}},
	{Path: "training/nego", URL: "/training/nego/", Type: "training", Title: "价格谈判与让步策略",
		Body:   "每一次让步都必须换回一个条件。参考报价审批规则和价格异议处理。回款周期也是条件。",
		Stages: []string{"negotiation"}, Tags: []string{"谈判", "价格"}},
	{Path: "cases/bank", URL: "/cases/bank/", Type: "case", Title: "东林银行：七周上线，替换星图CRM",
		Body:    "城商行零售信贷部 420 名客户经理，从星图CRM 切换到云帆CRM。合同金额 128 万元，已全部收款。",
		Details: []string{"东林银行股份有限公司", "云帆CRM 旗舰版"},
		Stages:  []string{"closing"}, Industries: []string{"金融"}, Competitors: []string{"星图CRM"}},
	{Path: "competitors/xingtu", URL: "/competitors/xingtu/", Type: "competitor", Title: "星图CRM 竞品卡",
		Aliases: []string{"星图CRM"}, Body: "星图CRM 是老牌厂商。Pricing is high; negotiations are slow.",
		Details: []string{"实施周期长", "<script>alert('x')</script> 二次开发报价高"},
		Stages:  []string{"proposal"}, Competitors: []string{"星图CRM"}},
	{Path: "pages/xss", URL: "/pages/xss/", Type: "page", Title: "转义 <b>测试</b> & co",
		Body: "这一页的正文有 <script>alert(1)</script> 和 \"引号\" & 符号，用来测试转义。"},
}

func fixtureIndex(t testing.TB, opts ...Option) *Index {
	t.Helper()
	idx, err := NewMemory(fixtureDocs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func search(t testing.TB, idx *Index, r Request) *Result {
	t.Helper()
	res, err := idx.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	return res
}

func paths(res *Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Path)
	}
	return out
}

// strictPaths are the paths of the hits that match every word.
func strictPaths(res *Result) []string {
	var out []string
	for _, h := range res.Hits {
		if h.Relaxed == RelaxNone {
			out = append(out, h.Path)
		}
	}
	return out
}

func TestSearchBasics(t *testing.T) {
	idx := fixtureIndex(t)
	tests := []struct {
		q     string
		first string // "*": any
		total int    // pages matching every word (Result.Strict); 0: don't check
	}{
		{"太贵", "scripts/price", 0},
		{"价格异议", "scripts/price", 0},
		{"考虑考虑", "scripts/delay", 1},
		{"城商行", "cases/bank", 1},
		{"星图CRM", "competitors/xingtu", 2},         // the competitor's name is an alias: exact match first
		{"报价审批规则", "guides/approval", 0},           // exact title first although others mention it
		{"价格异议处理", "scripts/price", 0},             // the title before the colon
		{"price", "scripts/price", 0},              // an alias's last URL segment
		{`"negotiation"`, "competitors/xingtu", 1}, // stemmed (quoted: no synonyms)
		{"Pricing high", "competitors/xingtu", 1},  // stemmed, case folded
		{"ＣＲＭ", "competitors/xingtu", 2},           // full width
		{"价", "*", 3},                              // one character: pages with 价 in their name or lead
		{"签单", "scripts/delay", 0},                 // synonym of 成交 (and of 签约 in scripts/price)
		{"收款", "cases/bank", 0},                    // 收款 itself
		{"回款", "training/nego", 0},                 // the typed word ranks above its synonym 收款
		{"negot", "competitors/xingtu", 1},         // prefix of the last word
		{"type:script 价格", "scripts/price", 1},     // filter
		{"stage:closing 成交", "scripts/delay", 0},   // filter by stage key
		{"tag:异议处理", "scripts/price", 1},           // filter alone
		{"competitor:星图crm", "cases/bank", 2},      // keyword filters fold case
		{`"太贵了"`, "scripts/price", 1},              // phrase
		{`"贵了太"`, "", 0},                           // reversed phrase finds nothing
		{"续约降价", "", 0},                            // no page has both words
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res := search(t, idx, Request{Query: tt.q})
			got := ""
			if strict := strictPaths(res); len(strict) > 0 {
				got = strict[0]
			}
			if tt.first != "*" && got != tt.first {
				t.Errorf("first = %q, want %q (all: %v)", got, tt.first, paths(res))
			}
			if tt.total > 0 && res.Strict != tt.total {
				t.Errorf("strict = %d, want %d (all: %v)", res.Strict, tt.total, paths(res))
			}
			if res.Total < len(res.Hits) || res.Total < res.Strict {
				t.Errorf("total %d < %d hits or %d strict", res.Total, len(res.Hits), res.Strict)
			}
			checkOrder(t, res)
		})
	}
}

// checkOrder checks that strict hits come first and that the hits of each
// step are in score order.
func checkOrder(t *testing.T, res *Result) {
	t.Helper()
	for i := 1; i < len(res.Hits); i++ {
		a, b := res.Hits[i-1], res.Hits[i]
		if b.Relaxed < a.Relaxed || b.Relaxed == a.Relaxed && b.Score > a.Score {
			t.Errorf("hits not in step and score order: %v", res.Hits)
		}
	}
}

func TestAllTermsMustMatch(t *testing.T) {
	idx := fixtureIndex(t)
	res := search(t, idx, Request{Query: "让步 星图"})
	if res.Strict != 0 || len(strictPaths(res)) != 0 {
		t.Errorf("让步 星图: %v, want no strict hit (no page has both)", strictPaths(res))
	}
	res = search(t, idx, Request{Query: "星图 收款"})
	if got := strictPaths(res); len(got) != 1 || got[0] != "cases/bank" {
		t.Errorf("星图 收款: %v, want only cases/bank", got)
	}
}

func TestExactMatchFirst(t *testing.T) {
	idx := fixtureIndex(t)
	res := search(t, idx, Request{Query: "报价审批规则", Limit: 1})
	if len(res.Hits) != 1 || res.Hits[0].Path != "guides/approval" || !res.Hits[0].Exact {
		t.Fatalf("got %+v", res.Hits)
	}
	// the exact page is found even when it would not make the limit by score
	res = search(t, idx, Request{Query: "星图CRM", Limit: 1})
	if res.Hits[0].Path != "competitors/xingtu" {
		t.Errorf("got %v", paths(res))
	}
	// under a filter that excludes it, it is not brought back
	res = search(t, idx, Request{Query: "星图CRM", Types: []string{"case"}})
	if got := paths(res); len(got) != 1 || got[0] != "cases/bank" {
		t.Errorf("got %v", got)
	}
}

func TestFacets(t *testing.T) {
	idx := fixtureIndex(t)
	res := search(t, idx, Request{Query: `"价格"`})
	want := map[string]int{"script": 1, "training": 1}
	checkFacet(t, "type", res.Facets.Type, want)
	checkFacet(t, "stage", res.Facets.Stage, map[string]int{"negotiation": 2, "proposal": 1})

	// a type filter narrows the hits and the stage counts, not the type counts
	res = search(t, idx, Request{Query: `"价格"`, Types: []string{"training"}})
	if got := paths(res); len(got) != 1 || got[0] != "training/nego" {
		t.Errorf("hits %v", got)
	}
	checkFacet(t, "type", res.Facets.Type, want)
	checkFacet(t, "stage", res.Facets.Stage, map[string]int{"negotiation": 1})
}

// TestFacetsBothFiltered filters both facet dimensions and another field:
// each dimension is counted under every filter but its own, the hits under
// all of them.
func TestFacetsBothFiltered(t *testing.T) {
	idx := fixtureIndex(t)
	res := search(t, idx, Request{Query: "stage:negotiation,closing type:script,case"})
	if got := strings.Join(paths(res), " "); res.Total != 3 || got != "cases/bank scripts/delay scripts/price" {
		t.Errorf("total %d, hits %v", res.Total, got)
	}
	checkFacet(t, "type", res.Facets.Type, map[string]int{"script": 2, "page": 1, "training": 1, "case": 1})
	checkFacet(t, "stage", res.Facets.Stage, map[string]int{"negotiation": 1, "proposal": 1, "closing": 2})

	res = search(t, idx, Request{Query: "role:rep", Types: []string{"script", "case"}, Stages: []string{"negotiation", "closing"}})
	if got := strings.Join(paths(res), " "); res.Total != 1 || got != "scripts/price" {
		t.Errorf("with role: total %d, hits %v", res.Total, got)
	}
	checkFacet(t, "type", res.Facets.Type, map[string]int{"script": 1})
	checkFacet(t, "stage", res.Facets.Stage, map[string]int{"negotiation": 1, "proposal": 1})

	// a value no page has: nothing matches, the other dimension still counts
	res = search(t, idx, Request{Query: "规则 type:nosuch"})
	if res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("type:nosuch: total %d, hits %v", res.Total, paths(res))
	}
	checkFacet(t, "type", res.Facets.Type, map[string]int{"page": 1, "training": 1})
	checkFacet(t, "stage", res.Facets.Stage, map[string]int{})
}

func checkFacet(t *testing.T, name string, got []FacetCount, want map[string]int) {
	t.Helper()
	m := map[string]int{}
	for _, f := range got {
		m[f.Value] = f.Count
	}
	if len(m) != len(want) {
		t.Errorf("%s facet = %v, want %v", name, got, want)
		return
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s facet = %v, want %v", name, got, want)
		}
	}
}

func TestStageLabels(t *testing.T) {
	idx := fixtureIndex(t, WithLabels(map[string]string{"closing": "成交", "negotiation": "谈判"}, nil))
	a := search(t, idx, Request{Query: "stage:谈判"})
	b := search(t, idx, Request{Query: "stage:negotiation"})
	c := search(t, idx, Request{Stages: []string{"谈判"}})
	if a.Total != 3 || strings.Join(paths(a), " ") != strings.Join(paths(b), " ") || c.Total != 3 {
		t.Errorf("stage:谈判 %v, stage:negotiation %v, Stages %v", paths(a), paths(b), paths(c))
	}
}

func TestFilterOnlyListsByPath(t *testing.T) {
	idx := fixtureIndex(t)
	res := search(t, idx, Request{Query: "type:script"})
	if got := strings.Join(paths(res), " "); got != "scripts/delay scripts/price" {
		t.Errorf("got %s", got)
	}
}

func TestSearchErrors(t *testing.T) {
	idx := fixtureIndex(t)
	for _, q := range []string{"", "   ", "+++", "type:", strings.Repeat("长", 10000)} {
		_, err := idx.Search(context.Background(), Request{Query: q})
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%.20q: err = %v, want a QueryError", q, err)
		}
	}
}

func TestLimit(t *testing.T) {
	idx := fixtureIndex(t)
	if n := len(search(t, idx, Request{Query: "价", Limit: 1}).Hits); n != 1 {
		t.Errorf("limit 1: %d hits", n)
	}
	if n := len(search(t, idx, Request{Query: "价", Limit: 1000}).Hits); n > MaxLimit {
		t.Errorf("limit 1000: %d hits", n)
	}
}

func TestSnippets(t *testing.T) {
	idx := fixtureIndex(t)
	tests := []struct{ q, path, want string }{
		{"太贵", "scripts/price", "客户说<mark>太贵了</mark>的时候"},               // 太贵了 is a synonym of 太贵
		{"最高频异议", "scripts/price", "<mark>最高频</mark>的<mark>异议</mark>。"}, // only parts of the run match, apart: the summary (价格异议 now finds 太贵了, a synonym of its 价格)
		{"三年总成本", "scripts/price", "<mark>三年总成本</mark>"},                // bigrams merged into one mark
		{"价", "training/nego", "<mark>价</mark>格"},                       // just the character
		{"negot", "competitors/xingtu", "<mark>negotiations</mark>"},
		{"正文", "pages/xss", "<mark>正文</mark>有 &lt;script&gt;alert(1)&lt;/script&gt; 和 &#34;引号&#34; &amp; 符号"},
		{"二次开发", "competitors/xingtu", "&gt; <mark>二次开发</mark>报价高"},
		{"收款", "cases/bank", "已全部<mark>收款</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res := search(t, idx, Request{Query: tt.q, Limit: 10})
			for _, h := range res.Hits {
				if h.Path == tt.path {
					got := h.Snippet.HTML()
					if !strings.Contains(got, tt.want) {
						t.Errorf("snippet %q does not contain %q", got, tt.want)
					}
					checkSnippetHTML(t, got)
					return
				}
			}
			t.Errorf("%s not found: %v", tt.path, paths(res))
		})
	}
}

// checkSnippetHTML fails when snippet HTML holds a tag other than mark.
func checkSnippetHTML(t testing.TB, html string) {
	t.Helper()
	rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(html)
	if strings.ContainsAny(rest, "<>") {
		t.Errorf("snippet HTML %q has unescaped markup", html)
	}
}

func TestSnippetWindow(t *testing.T) {
	body := strings.Repeat("无关的句子。", 40) + "这里讲回款。" + strings.Repeat("其他内容。", 40)
	idx, err := NewMemory([]Doc{{Path: "a", Title: "A", Body: body}})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	s := search(t, idx, Request{Query: "回款"}).Hits[0].Snippet
	got := s.Format(func(m string) string { return "[" + m + "]" }, func(p string) string { return p })
	if !strings.HasPrefix(got, "…这里讲[回款]。其他内容") || !strings.HasSuffix(got, "…") {
		t.Errorf("snippet %q", got)
	}
	if n := len([]rune(s.Format(func(m string) string { return m }, func(p string) string { return p }))); n > snippetRunes+2 {
		t.Errorf("snippet has %d characters", n)
	}
}

func TestBuildOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site", ".playbook", "index")
	if _, err := Open(dir); !errors.Is(err, ErrNoIndex) {
		t.Fatalf("Open before Build: %v, want ErrNoIndex", err)
	}
	groups := append(BuiltinSynonyms(), []string{"云帆", "yunfan"})
	if err := Build(dir, fixtureDocs, WithSynonyms(groups), WithSource(map[string]string{"k": "v"})); err != nil {
		t.Fatal(err)
	}
	idx, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m := idx.Meta(); m.Docs != len(fixtureDocs) || m.Source["k"] != "v" || len(m.Synonyms) != len(groups) {
		t.Errorf("meta %+v", m)
	}
	// site synonyms stored in the index apply when it is opened
	if res := search(t, idx, Request{Query: "yunfan"}); res.Total != 1 || res.Hits[0].Path != "cases/bank" {
		t.Errorf("yunfan: %v", paths(res))
	}
	// the same scores as in memory
	mem := fixtureIndex(t, WithSynonyms(groups))
	for _, q := range []string{"价格", "星图CRM", "价", "negot", "续约降价 type:script"} {
		a, b := search(t, idx, Request{Query: q}), search(t, mem, Request{Query: q})
		if len(a.Hits) != len(b.Hits) {
			t.Fatalf("%s: %v vs %v", q, paths(a), paths(b))
		}
		for i := range a.Hits {
			if a.Hits[i].Path != b.Hits[i].Path || math.Abs(a.Hits[i].Score-b.Hits[i].Score) > 1e-9 {
				t.Errorf("%s: disk %v %v, memory %v %v", q, a.Hits[i].Path, a.Hits[i].Score, b.Hits[i].Path, b.Hits[i].Score)
			}
		}
	}

	// rebuilding replaces the index while the old one is open
	if err := Build(dir, fixtureDocs[:2]); err != nil {
		t.Fatal(err)
	}
	if res := search(t, idx, Request{Query: "城商行"}); res.Total != 1 {
		t.Errorf("the open index changed under its reader: %v", paths(res))
	}
	idx.Close()
	idx, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if n := idx.Meta().Docs; n != 2 {
		t.Errorf("rebuilt index has %d docs", n)
	}
	if res := search(t, idx, Request{Query: "城商行"}); res.Total != 0 {
		t.Errorf("old document still found: %v", paths(res))
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), buildPrefix+"*"))
	if len(leftovers) > 0 {
		t.Errorf("build folders left behind: %v", leftovers)
	}
}

func TestOpenOtherFormat(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, metaFile), []byte(`{"format": 999}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrNoIndex) {
		t.Errorf("err = %v, want ErrNoIndex", err)
	}
}

func TestDedupeAndEmpty(t *testing.T) {
	docs := []Doc{{Path: "a", Title: "旧标题"}, {Path: "", Title: "no path"}, {Path: "a", Title: "新标题"}}
	idx, err := NewMemory(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if res := search(t, idx, Request{Query: "标题"}); res.Total != 1 || res.Hits[0].Title != "新标题" {
		t.Errorf("got %+v", res.Hits)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if err := Build(dir, nil); err != nil {
		t.Fatal(err)
	}
	empty, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if res := search(t, empty, Request{Query: "价格"}); res.Total != 0 {
		t.Errorf("empty index: %+v", res)
	}
}

// For queries whose token-matched variants are all words, findMarks reads
// only the words of a text (analyzeWords); it must mark exactly what the
// full analysis marks, also where Chinese stands between or inside words.
func TestSnippetWordsOnlyAsFull(t *testing.T) {
	texts := []string{
		"客户成功 customer success 团队负责 Customer-Success 上线；customers' successes 也算。",
		"customer 的 success 不相邻；customer，success 相邻；ＣＵＳＴＯＭＥＲ　ＳＵＣＣＥＳＳ 全角。",
		"CRM系统与CRM 系统、crm's 报价；API接口 api-first；negotiations negotiate 谈判 pricing。",
		"ARPU 客单价 arpu；POC 演示 poc，Poc。café naïve ünïcode ﬁle",
	}
	files, _ := filepath.Glob("../content/*/*.md") // the sample knowledge base
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	queries := []string{"customer success", "客户成功", "CRM", "pricing negotiation", "negot", "ARPU", "客单价", "POC 演示",
		"api", `"customer success"`, "café", "file"}
	checked := 0
	for _, qs := range queries {
		q, err := parse(qs, builtinTable)
		if err != nil {
			t.Fatal(err)
		}
		if !wordsOnly(q) {
			continue
		}
		for _, text := range texts {
			full := analyzeInto(nil, text)
			words := analyzeWords(nil, text)
			for ci, c := range q.Clauses {
				for _, v := range c.Variants {
					if _, ok := cjkSurface(v); ok {
						continue
					}
					checked++
					got, want := variantMarks(v, words, text, ci), variantMarks(v, full, text, ci)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%q variant %v in %.40q: words-only marks %v, full %v", qs, v.Terms, text, got, want)
					}
				}
			}
		}
	}
	if checked < 200 {
		t.Fatalf("only %d variant×text pairs checked", checked)
	}
}

// A CJK variant of one term, a two-character word or a lone character, is
// found as written (cjkSurface); the marks must be those of its tokens.
func TestSnippetSurfaceAsTokens(t *testing.T) {
	files, _ := filepath.Glob("../content/*/*.md")
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		full := analyzeInto(nil, text)
		for _, w := range []string{"价格", "客户", "上线", "太贵", "价", "的", "客", "单"} {
			v, ok := variantOf(w)
			if !ok || len(v.Terms) != 1 {
				t.Fatalf("%q: variant %+v", w, v)
			}
			surface, ok := cjkSurface(v)
			if !ok || surface != w {
				t.Fatalf("%q: cjkSurface %q, %v", w, surface, ok)
			}
			// tokens mark a character once per bigram it is in
			got, want := appendOccurrences(nil, text, surface, 0), slices.Compact(variantMarks(v, full, text, 0))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q in %s: found as written %v, by tokens %v", w, f, got, want)
			}
			checked += len(want)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d marks checked", checked)
	}
}
