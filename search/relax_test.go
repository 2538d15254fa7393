package search

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func clauseTexts(cs []Clause) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text)
	}
	return out
}

// A type word becomes a preference for its type, not text a page must hold.
func TestTypeWords(t *testing.T) {
	noSyn := newSynonymTable(nil)
	tests := []struct {
		in     string
		words  []string // clause texts
		prefer []string
	}{
		{"价格话术", []string{"价格"}, []string{"script"}},
		{"口腔的案例", []string{"口腔的"}, []string{"case"}},
		{"竞品攻防", []string{"攻防"}, []string{"competitor"}},
		{"星图 案例", []string{"星图"}, []string{"case"}},
		{"cases 星图", []string{"星图"}, []string{"case"}},
		{"Training plan", []string{"plan"}, []string{"training"}},
		{"案例话术库", []string{"话术库"}, []string{"case"}}, // a type word at the start, then none at the end of 话术库
		{"复盘 案例 华东", []string{"华东"}, []string{"retro", "case"}},
		{"案例", []string{"案例"}, []string{"case"}},              // nothing else: kept as a word too
		{"竞品 \"复盘\"", []string{"复盘"}, []string{"competitor"}}, // a phrase is never a type word
		{"星图竞品卡", []string{"星图竞品卡"}, nil},                     // inside a word: text
		{"showcase", []string{"showcase"}, nil},
		{"type:case 星图", []string{"星图"}, nil}, // a filter is a filter
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := parse(tt.in, noSyn)
			if err != nil {
				t.Fatal(err)
			}
			if got := clauseTexts(q.Clauses); !reflect.DeepEqual(got, tt.words) {
				t.Errorf("clauses %q, want %q", got, tt.words)
			}
			if !reflect.DeepEqual(q.Prefer, tt.prefer) {
				t.Errorf("prefer %q, want %q", q.Prefer, tt.prefer)
			}
		})
	}
}

// A type word inside a longer word of a synonym group is part of that
// word: its synonyms need it (竞品分析 finds 竞品卡 and battlecard). A
// word of the type word's own group (客户案例, 成功案例 for 案例) names the
// type as the type word does.
func TestTypeWordsInSynonyms(t *testing.T) {
	syn := newSynonymTable(BuiltinSynonyms())
	tests := []struct {
		in     string
		words  []string
		prefer []string
	}{
		{"竞品分析", []string{"竞品分析"}, nil},
		{"客户案例", []string{"客户"}, []string{"case"}}, // 客户案例 is a synonym of 案例 itself
		{"客户培训", []string{"客户培训"}, nil},
		{"培训课", []string{"课"}, []string{"training"}}, // a synonym of 培训
		{"培训机构", []string{"培训机构"}, nil},
		{"竞品替换", []string{"竞品替换"}, nil},
		{"价格话术", []string{"价格"}, []string{"script"}}, // no group word holds 话术 here
		{"星图竞品", []string{"星图"}, []string{"competitor"}},
		{"竞品分析 案例", []string{"竞品分析"}, []string{"case"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := parse(tt.in, syn)
			if err != nil {
				t.Fatal(err)
			}
			if got := clauseTexts(q.Clauses); !reflect.DeepEqual(got, tt.words) {
				t.Errorf("clauses %q, want %q", got, tt.words)
			}
			if !reflect.DeepEqual(q.Prefer, tt.prefer) {
				t.Errorf("prefer %q, want %q", q.Prefer, tt.prefer)
			}
		})
	}
}

// A type word that stood inside a run with filler words (银行的案例有吗)
// is one once step 1 has cut them: taken out, and a preference added to
// those of the query.
func TestRelaxFillerTypeWords(t *testing.T) {
	noSyn := newSynonymTable(nil)
	tests := []struct {
		in     string
		words  []string
		prefer []string
	}{
		{"银行的案例有吗", []string{"银行", "有"}, []string{"case"}},
		{"简道的弱点是什么", []string{"简道"}, []string{"competitor"}},
		{"话术 价格的案例吗", []string{"价格"}, []string{"script", "case"}},
		{"客户的案例吗", []string{"案例"}, []string{"case"}}, // nothing but a type word (客户 alone goes): it stays a word too
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := parse(tt.in, noSyn)
			if err != nil {
				t.Fatal(err)
			}
			r := relaxFiller(q, noSyn)
			if r == nil {
				t.Fatal("no step")
			}
			if got := clauseTexts(r.Clauses); !reflect.DeepEqual(got, tt.words) {
				t.Errorf("relaxed to %q, want %q", got, tt.words)
			}
			if !reflect.DeepEqual(r.Prefer, tt.prefer) {
				t.Errorf("prefer %q, want %q", r.Prefer, tt.prefer)
			}
		})
	}
}

// Filler words are cut from the words, CJK ones wherever they stand.
func TestRelaxFiller(t *testing.T) {
	noSyn := newSynonymTable(nil)
	tests := []struct {
		in    string
		words []string // nil: the step changes nothing or leaves nothing
	}{
		{"客户说贵怎么办", []string{"贵"}},
		{"客户说要再考虑一下怎么回", []string{"要再考虑"}}, // 怎么回, the framing of a question, goes whole
		{"有没有银行的案例", []string{"银行"}},
		{"为什么 丢单", []string{"丢单"}},
		{"How to handle 降价", []string{"handle", "降价"}},
		{"\"怎么办\" 价格", nil}, // a phrase keeps its words; nothing else changes
		{"价格", nil},
		{"怎么办", nil}, // nothing but filler
		{"目的地", []string{"目", "地"}},
		{"客户担心 cloud 不 safe", []string{"客户担心", "cloud", "safe"}}, // a lone 不 goes, not 不 in a word
		{"一直不回复", []string{"不回复"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := parse(tt.in, noSyn)
			if err != nil {
				t.Fatal(err)
			}
			r := relaxFiller(q, noSyn)
			if tt.words == nil {
				if r != nil {
					t.Errorf("relaxed to %q, want no step", clauseTexts(r.Clauses))
				}
				return
			}
			if r == nil {
				t.Fatalf("no step, want %q", tt.words)
			}
			if got := clauseTexts(r.Clauses); !reflect.DeepEqual(got, tt.words) {
				t.Errorf("relaxed to %q, want %q", got, tt.words)
			}
			if r.Exact != "" {
				t.Errorf("a relaxed query has an exact name %q", r.Exact)
			}
		})
	}
}

// The steps, on the fixture: each relaxes only what it must, relaxed hits
// come after strict ones and say which step found them, and their snippets
// mark what the step looked for.
func TestRelaxSteps(t *testing.T) {
	idx := fixtureIndex(t)
	tests := []struct {
		q       string
		strict  int
		relaxed int    // Result.Relaxed
		first   string // first hit
		mark    string // in the first hit's snippet
	}{
		{q: "客户说太贵怎么办", relaxed: RelaxFiller, first: "scripts/price", mark: "<mark>太贵了</mark>"},
		{q: "嫌它贵", relaxed: RelaxChars, first: "scripts/price", mark: "<mark>贵</mark>"},                // 嫌贵 is a synonym of 太贵 (synonyms.yaml)
		{q: "太贵 星图", strict: 1, relaxed: RelaxAny, first: "competitors/xingtu"},                        // its 报价高 is a synonym of 太贵; then the pages of either word
		{q: "考虑考虑", strict: 1, relaxed: RelaxNone, first: "scripts/delay", mark: "<mark>再考虑考虑</mark>"}, // too little, but no step changes it
		{q: "价", strict: 3, relaxed: RelaxNone, first: "guides/approval"},                              // enough: no relaxing
		{q: "价格 zzqx", relaxed: RelaxChars, first: "scripts/price"},                                    // a Latin word no page holds is dropped; 价格 is in the price objection's group
		// pinyin keys take part in the steps: the word step 1 leaves has its
		// key, and step 2 keeps a word some page holds only as pinyin
		{q: "xingtu怎么办", relaxed: RelaxFiller, first: "competitors/xingtu"},
		{q: "zzqx xingtu", relaxed: RelaxChars, first: "competitors/xingtu"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res := search(t, idx, Request{Query: tt.q})
			if res.Strict != tt.strict || res.Relaxed != tt.relaxed {
				t.Errorf("strict %d, relaxed %d; want %d, %d (%v)", res.Strict, res.Relaxed, tt.strict, tt.relaxed, paths(res))
			}
			if len(res.Hits) == 0 || res.Hits[0].Path != tt.first {
				t.Fatalf("hits %v, want %s first", paths(res), tt.first)
			}
			if s := res.Hits[0].Snippet.HTML(); !strings.Contains(s, tt.mark) {
				t.Errorf("snippet %q does not contain %q", s, tt.mark)
			}
			checkOrder(t, res)
			strict := 0
			for _, h := range res.Hits {
				if h.Relaxed == RelaxNone {
					strict++
				}
			}
			if strict != min(res.Strict, len(res.Hits)) {
				t.Errorf("%d strict hits of %d strict pages", strict, res.Strict)
			}
		})
	}
}

// A word no page holds backs off to its characters, weighted by how rare
// each is: the page with the rare one comes first, though the common one
// is on more pages and more often.
func TestBackoffWeighsRareCharacters(t *testing.T) {
	var docs []Doc
	for i, title := range []string{"客户的事", "客户的话", "客户的人", "客户的钱"} {
		docs = append(docs, Doc{Path: "p" + string(rune('0'+i)), Title: title})
	}
	docs = append(docs, Doc{Path: "rare", Title: "嫌弃", Body: "客户"})
	res := searchDocs(t, docs, "嫌客户")
	if res.Relaxed != RelaxChars || len(res.Hits) == 0 || res.Hits[0].Path != "rare" {
		t.Errorf("relaxed %d, hits %v; want rare first", res.Relaxed, paths(res))
	}
}

// Under filters a relaxed query keeps them; facets count each page once
// across the steps.
func TestRelaxKeepsFilters(t *testing.T) {
	idx := fixtureIndex(t)
	res := search(t, idx, Request{Query: "客户说太贵怎么办", Types: []string{"training"}})
	for _, h := range res.Hits {
		if h.Type != "training" {
			t.Errorf("hit %s of type %s under type:training", h.Path, h.Type)
		}
	}
	sum := 0
	for _, f := range res.Facets.Type {
		sum += f.Count
	}
	all := search(t, idx, Request{Query: "客户说太贵怎么办"})
	if sum != all.Total {
		t.Errorf("type facets count %d pages, the query without the filter finds %d", sum, all.Total)
	}
}

// The client reads the relaxation's lists from the export, as declared.
func TestStaticMetaRelax(t *testing.T) {
	idx := fixtureIndex(t)
	files, err := idx.ExportStatic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files["meta.json"]), `"filler":["怎么办",`) {
		t.Errorf("meta.json lacks the filler words: %.300s", files["meta.json"])
	}
	for _, f := range StaticFiles(len(fixtureDocs)) {
		if _, ok := files[f]; !ok {
			t.Errorf("listed file %s not exported", f)
		}
	}
}

// docs/search.md lists the filler words as fillerWords declares them.
func TestDocsListFillerWords(t *testing.T) {
	data, err := os.ReadFile("../docs/search.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start := strings.Index(doc, "the static client in `meta.json`:")
	end := strings.Index(doc, "2. **A word no page holds")
	if start < 0 || end < start {
		t.Fatal("docs/search.md: the filler word list is not where this test looks")
	}
	list := strings.Fields(strings.TrimSuffix(strings.TrimSpace(doc[start+len("the static client in `meta.json`:"):end]), "."))
	if !reflect.DeepEqual(list, fillerWords) {
		t.Errorf("docs/search.md lists %q,\nfillerWords are %q", list, fillerWords)
	}
	for _, tw := range typeWords {
		if !strings.Contains(doc, tw[0]) {
			t.Errorf("docs/search.md does not name the type word %s", tw[0])
		}
	}
}

// A backed-off word keeps the synonym group word it holds: 打折要谁批 is on
// no page, and the page about 折扣 (a synonym of 打折) comes before one
// that holds more of the question's characters.
func TestBackoffKeepsGroupWord(t *testing.T) {
	docs := []Doc{
		{Path: "discount", Title: "折扣规则", Body: "特价需要区域经理同意。"},
		{Path: "chars", Title: "谁要批示", Body: "流程说明。"},
	}
	res := searchDocs(t, docs, "打折要谁批")
	if res.Relaxed != RelaxChars || len(res.Hits) == 0 || res.Hits[0].Path != "discount" {
		t.Errorf("relaxed %d, hits %v; want discount first", res.Relaxed, paths(res))
	}
}

// A backed-off word keeps every group word it holds, not only the first
// longest: 物业说怕着火 also looks for 着火's group (消防), which is all the
// page that answers it holds.
func TestBackoffKeepsEveryGroupWord(t *testing.T) {
	docs := []Doc{
		{Path: "fire", Title: "消防验收", Body: "地库充电区要单独划防火单元。"},
		{Path: "other", Title: "首次拜访", Body: "先问业务。"},
	}
	res := searchDocs(t, docs, "物业说怕着火")
	if res.Relaxed != RelaxChars || len(res.Hits) == 0 || res.Hits[0].Path != "fire" {
		t.Errorf("relaxed %d, hits %v; want fire first", res.Relaxed, paths(res))
	}
}

// A lone character no page's name or lead holds backs off to the group of
// the first group word holding it: 客户说贵怎么办 leaves 贵, and the page
// that says 报价高 (太贵's group) is found rather than nothing.
func TestBackoffLoneCharacterToGroup(t *testing.T) {
	docs := []Doc{
		{Path: "quote", Title: "报价应对", Body: "客户觉得报价高的时候，先拆开单价。"},
		{Path: "other", Title: "首次拜访", Body: "先问业务。"},
	}
	res := searchDocs(t, docs, "客户说贵怎么办")
	if res.Relaxed != RelaxChars || len(res.Hits) != 1 || res.Hits[0].Path != "quote" {
		t.Errorf("relaxed %d, hits %v; want only quote", res.Relaxed, paths(res))
	}
}

// Words backed off to their characters are each a guess: a page matching
// the characters of any of them is found in that step, not only one
// matching some character of every one.
func TestBackoffWordsAnyOf(t *testing.T) {
	docs := []Doc{
		{Path: "swap", Title: "鲜丰：替换竞品"},
		{Path: "other", Title: "首次拜访"},
	}
	res := searchDocs(t, docs, "鲜果 那单")
	if len(res.Hits) == 0 || res.Hits[0].Path != "swap" || res.Hits[0].Relaxed != RelaxChars {
		t.Errorf("hits %v (relaxed %d); want swap first, found by RelaxChars", paths(res), res.Relaxed)
	}
}

// A long word no page holds also matches, backed off, the pages that hold
// backoffLoose of its two-character words anywhere, body text included and
// at any offset: the answer to a symptom is in a page's body (五年 … 要赔),
// seldom its characters in a name (before, exit was not found at all).
// One such word is not enough.
func TestBackoffBodyWords(t *testing.T) {
	docs := []Doc{
		{Path: "exit", Title: "某竞品", Body: "五年服务期内提前解约需要赔偿设备款。"},
		{Path: "chars", Title: "年会安排", Body: "想法。"},
		{Path: "one", Title: "一个计划", Body: "五年计划。"},
	}
	res := searchDocs(t, docs, "签了五年想走还要赔钱")
	if got := paths(res); res.Relaxed != RelaxChars || !slices.Contains(got, "exit") || slices.Contains(got, "one") {
		t.Errorf("relaxed %d, hits %v; want exit, and not one", res.Relaxed, got)
	}
}

// A word no page holds keeps, backed off, its longest held piece of three
// or more characters as a word: 工联宝比 is on no page, the competitor
// 工联宝 is, in a page's summary, and that page comes before one whose title
// holds the word's characters in another order.
func TestBackoffHeldPiece(t *testing.T) {
	docs := []Doc{
		{Path: "glb", Title: "低价竞品", Summary: "工联宝的报价低。"},
		{Path: "chars", Title: "比工宝联"},
	}
	res := searchDocs(t, docs, "工联宝比")
	if got := paths(res); res.Relaxed != RelaxChars || len(got) == 0 || got[0] != "glb" {
		t.Errorf("relaxed %d, hits %v; want glb first", res.Relaxed, got)
	}
}

// searchDocs indexes docs in memory and runs query over them.
func searchDocs(t *testing.T, docs []Doc, query string) *Result {
	t.Helper()
	idx, err := NewMemory(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	return search(t, idx, Request{Query: query})
}
