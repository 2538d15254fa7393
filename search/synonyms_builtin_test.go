package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/playbook-sales/playbook/search"
)

// sampleSynonymCases are reps' words that no page of the sample site uses,
// with the page that answers them.
var sampleSynonymCases = []struct {
	category, q, want string
	within            int // the page must be among the first within hits
}{
	{"price objection", "嫌贵", "scripts/价格异议处理", 1},
	{"price objection", "便宜点", "scripts/续约降价要求", 1},
	{"price objection", "打个折", "guides/报价审批规则", 3}, // after the scripts for a price cut: 打个折 leads to 折扣 and 降价 alike
	{"stalling", "再想想", "scripts/拖延不决", 1},
	{"stalling", "不急", "scripts/拖延不决", 1},
	{"who decides", "老板说了算", "scripts/决策人不在场", 2},
	{"customer roles", "一把手", "scripts/决策人不在场", 1},
	{"industry shorthand", "车企", "cases/瑞丰精密", 1}, // says 主机厂
	{"industry shorthand", "城市商业银行", "cases/donglin-bank", 1},
	{"follow-up", "已读不回", "scripts/微信跟进节奏", 1},
	{"sales stages", "丢标", "retros/启明教育丢单复盘", 3},
	{"competitors", "友商", "training/竞品攻防星图与简道", 2}, // the answer field puts the script 竞品更便宜 (objection: a competitor is cheaper) first
	{"ROI", "省钱", "scripts/续约降价要求", 1},
}

// TestBuiltinSynonymsOnSample: reps' words that no page of the sample site
// uses find the page that answers them, through the index playbook build
// writes. Each query quoted (which turns synonyms off) must find nothing,
// so it is the built-in list that finds the page. TestStaticMatchesBleve
// runs the same queries through the static client.
func TestBuiltinSynonymsOnSample(t *testing.T) {
	idx := sampleIndex(t)
	for _, tt := range sampleSynonymCases {
		t.Run(tt.category+"/"+tt.q, func(t *testing.T) {
			if n := total(t, idx, `"`+tt.q+`"`); n != 0 {
				t.Fatalf("%d pages hold %q itself; pick a word no page uses", n, tt.q)
			}
			got := hitPaths(t, idx, tt.q, tt.within)
			if !slices.Contains(got, tt.want) {
				t.Errorf("%s: want %s in the first %d, got %v", tt.q, tt.want, tt.within, got)
			}
		})
	}
}

// synonymPages are pages written in the long form of a category's words;
// TestBuiltinSynonymsByCategory searches each with a short form, which no
// page holds.
var synonymPages = []struct {
	category, q, text string
}{
	{"industry shorthand", "车企", "某汽车制造集团：经销商管理上线"},
	{"industry shorthand", "房企", "房地产开发商的渠道报备案例"},
	{"industry shorthand", "农商行", "农村商业银行的零售贷款营销"},
	{"customer types", "国企", "国有企业的采购规范与供应商准入"},
	{"customer types", "中央企业", "央企集采的投标注意事项"},
	{"customer types", "外企", "外资企业的英文合同审阅"},
	{"customer types", "KA", "重点客户经营手册"},
	{"price objection", "嫌贵", "客户觉得价格太高时先问参照物"},
	{"schedule", "延期", "项目推迟时怎么和客户沟通"},
	{"schedule", "来不及", "时间太紧：压缩上线计划的三种办法"},
	{"approvals", "盖章", "合同用印流程与时限"},
	{"approvals", "走流程", "客户内部流程太长怎么推进"},
	{"contract and payment", "账期", "付款周期谈判的底线"},
	{"contract and payment", "首付", "预付款比例的审批"},
	{"contract and payment", "开发票", "开票信息核对清单"},
	{"competitors", "友商", "竞争对手报低价时的应对"},
	{"product talk", "demo", "产品演示的五个环节"},
	{"product talk", "概念验证", "POC 成功标准模板"},
	{"product talk", "续费", "续约前九十天的准备"},
	{"follow-up", "已读不回", "客户不回复时的跟进节奏"},
	{"security", "等级保护", "等保测评材料准备"},
	{"security", "本地部署", "私有化部署的硬件要求"},
	{"ROI", "ROI", "投资回报测算表"},
	{"people", "一把手", "见到总经理之前要准备什么"},
	{"sales stages", "签单", "成交前的最后一次会议"},
	{"sales stages", "输单", "丢单以后的客户回访"},
}

// TestBuiltinSynonymsByCategory: in an index of synonymPages, each short
// form finds its page first, and nothing at all without synonyms.
func TestBuiltinSynonymsByCategory(t *testing.T) {
	var docs []search.Doc
	for i, p := range synonymPages {
		docs = append(docs, search.Doc{Path: fmt.Sprintf("pages/%02d", i), URL: fmt.Sprintf("/pages/%02d/", i), Type: "page", Title: p.text})
	}
	with := memoryIndex(t, docs)
	without := memoryIndex(t, docs, search.WithSynonyms(nil))
	for i, p := range synonymPages {
		t.Run(p.category+"/"+p.q, func(t *testing.T) {
			if n := total(t, without, p.q); n != 0 {
				t.Fatalf("%q finds %d pages without synonyms; the pages must not hold it", p.q, n)
			}
			want := fmt.Sprintf("pages/%02d", i)
			if got := hitPaths(t, with, p.q, 1); !slices.Equal(got, []string{want}) {
				t.Errorf("%q: first hit %v, want %s (%s)", p.q, got, want, p.text)
			}
		})
	}
}

// TestBuiltinSynonymsEveryWord indexes a page per word of every built-in
// group and searches each group's first word: it must find the pages of the
// group's core, its first maxVariants+1 words; and each word after the
// core (a rep's phrasing that leads one way to the core) must find the
// page of the first word. A word the analyzer cannot index, or one that
// the query parser never reaches, fails here.
func TestBuiltinSynonymsEveryWord(t *testing.T) {
	groups := search.BuiltinSynonyms()
	var docs []search.Doc
	pageOf := map[string]string{}
	for _, g := range groups {
		for _, w := range g {
			path := fmt.Sprintf("w/%04d", len(docs))
			pageOf[w] = path
			docs = append(docs, search.Doc{Path: path, URL: "/" + path + "/", Type: "page", Title: w})
		}
	}
	idx := memoryIndex(t, docs)
	for _, g := range groups {
		res, err := idx.Search(context.Background(), search.Request{Query: g[0], Limit: search.MaxLimit})
		if err != nil {
			t.Errorf("%q: %v", g[0], err)
			continue
		}
		found := map[string]bool{}
		for _, h := range res.Hits {
			found[h.Path] = true
		}
		for _, w := range g[:min(len(g), coreWords)] {
			if !found[pageOf[w]] {
				t.Errorf("%q does not find the page of %q (group %v; %d hits of %d)", g[0], w, g, len(res.Hits), res.Total)
			}
		}
		for _, w := range g[min(len(g), coreWords):] {
			if got := hitPaths(t, idx, w, search.MaxLimit); !slices.Contains(got, pageOf[g[0]]) {
				t.Errorf("%q does not find the page of %q, the first word of its group %v", w, g[0], g)
			}
		}
	}
}

// coreWords is the core of a built-in group: each of its words has all the
// others as alternatives (a word has at most 8).
const coreWords = 9

func memoryIndex(t *testing.T, docs []search.Doc, opts ...search.Option) *search.Index {
	t.Helper()
	idx, err := search.NewMemory(docs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// total is the number of pages that hold every word of q: relaxed hits
// (close matches, see relax.go) do not hold the word.
func total(t *testing.T, idx *search.Index, q string) int {
	t.Helper()
	res, err := idx.Search(context.Background(), search.Request{Query: q})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return res.Strict
}

func hitPaths(t *testing.T, idx *search.Index, q string, n int) []string {
	t.Helper()
	res, err := idx.Search(context.Background(), search.Request{Query: q, Limit: n})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Path)
	}
	return out
}
