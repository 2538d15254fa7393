package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/search"
	"github.com/playbook-sales/playbook/themes"
)

// client is the folder of the default theme's static search client, its
// ES modules.
const client = "../themes/default/static/js/search"

// nodeBin returns the node binary, or skips the test where there is none
// (CI has it: then a missing node fails).
func nodeBin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node not found; CI needs it for the static search client's tests")
		}
		t.Skip("node not found")
	}
	return p
}

func absPath(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestJSAnalyzerGolden runs the client's analyzer under node against the Go
// analyzer's tokens, stems and keys in testdata/tokens.golden.
func TestJSAnalyzerGolden(t *testing.T) {
	lim, err := json.Marshal(search.StaticQueryOf())
	if err != nil {
		t.Fatal(err)
	}
	limFile := filepath.Join(t.TempDir(), "query.json")
	if err := os.WriteFile(limFile, lim, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nodeBin(t), "testdata/js/golden.js", absPath(t, client), absPath(t, "testdata/tokens.golden"), limFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the JS analyzer differs from the Go analyzer: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), " 0 differences") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}

// writeExport writes the static export of idx into a temporary folder.
func writeExport(t *testing.T, idx *search.Index) string {
	t.Helper()
	files, err := idx.ExportStatic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return writeFiles(t, files)
}

// writeFiles writes the files of an export into a temporary folder.
func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for p, data := range files {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type jsRequest struct {
	Q      string   `json:"q"`
	Types  []string `json:"types,omitempty"`
	Stages []string `json:"stages,omitempty"`
	Limit  int      `json:"limit"`
}

type jsResult struct {
	Error   string `json:"error"`
	Query   bool   `json:"query"` // the error is a QueryError
	Total   int    `json:"total"`
	Strict  int    `json:"strict"`
	Relaxed int    `json:"relaxed"`
	Hits    []struct {
		Path    string  `json:"path"`
		Score   float64 `json:"score"`
		Relaxed int     `json:"relaxed"`
		Snippet string  `json:"snippet"`
	} `json:"hits"`
	Facets search.Facets `json:"facets"`
}

// runJS runs requests through the static client over the export in dir.
func runJS(t *testing.T, dir string, reqs []jsRequest) []jsResult {
	t.Helper()
	return runClient(t, absPath(t, client), dir, reqs)
}

// runClient runs requests through the client's modules in clientDir.
func runClient(t *testing.T, clientDir, dir string, reqs []jsRequest) []jsResult {
	t.Helper()
	in, _ := json.Marshal(reqs)
	cmd := exec.Command(nodeBin(t), "testdata/js/search.js", clientDir, dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var res []jsResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node output: %v\n%s", err, out)
	}
	if len(res) != len(reqs) {
		t.Fatalf("node answered %d requests of %d", len(res), len(reqs))
	}
	return res
}

// TestStaticMatchesBleve: for every rep-style query of the quality and dev
// sets, a set of tricky ones, relaxed ones among them, and queries that
// lean on the built-in synonyms, the static client under node returns the
// same total, strict count and relaxation step, the same top 10 in the same
// order with the same scores and steps, and the same facet counts as the
// index (what `playbook search` and /api/search show).
func TestStaticMatchesBleve(t *testing.T) {
	idx := sampleIndex(t)
	testStaticMatchesBleve(t, idx, writeExport(t, idx))
}

// TestPublishedClientAnswersAlike: the client as sites publish it (the
// theme's JavaScript minified, themes.StaticFiles) answers every quality,
// dev and relaxed query exactly as its sources do, snippets and facets
// included.
func TestPublishedClientAnswersAlike(t *testing.T) {
	idx := sampleIndex(t)
	dir := writeExport(t, idx)
	published, err := themes.StaticFiles()
	if err != nil {
		t.Fatal(err)
	}
	minified := map[string][]byte{}
	for p, data := range published {
		if name, ok := strings.CutPrefix(p, "js/search/"); ok {
			minified[name] = data
		}
	}
	reqs := []jsRequest{{Q: "客户说贵怎么办"}, {Q: "xingtu 价格"}, {Q: "jg", Types: []string{"script"}}, {Q: "type:case"},
		{Q: "嫌贵", Stages: []string{"negotiation"}}, {Q: `"太贵了"`}, {Q: "+-*^~()"}, {Q: "客户", Limit: 50}}
	for _, rq := range append(loadQueries(t), loadQueryFile(t, "testdata/dev-queries.yaml")...) {
		reqs = append(reqs, jsRequest{Q: rq.Q})
	}
	want, got := runJS(t, dir, reqs), runClient(t, writeFiles(t, minified), dir, reqs)
	for i := range reqs {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%q: published client answered\n%+v\nsources answered\n%+v", reqs[i].Q, got[i], want[i])
		}
	}
	if len(minified) < 5 {
		t.Fatalf("published client has %d modules, want the 5 of js/search/", len(minified))
	}
}

// TestStaticTailsMatchBleve is TestStaticMatchesBleve with nearly every
// posting list split and heads of two postings, in blocks of 8 pages: the
// client must fetch tails (or count the text field's in the pages' texts)
// until its top is exact, and still answer exactly as the index does.
func TestStaticTailsMatchBleve(t *testing.T) {
	idx := sampleIndex(t)
	for _, textTails := range []bool{false, true} {
		t.Run(fmt.Sprintf("textTails=%v", textTails), func(t *testing.T) {
			files, err := idx.ExportStaticTiers(context.Background(), 3, 2, 8, textTails)
			if err != nil {
				t.Fatal(err)
			}
			testStaticMatchesBleve(t, idx, writeFiles(t, files))
		})
	}
}

// manyFillerWords is one run of 30 characters of the sample site's pages
// each before a 的: more words than MaxClauses once the fillers are cut.
func manyFillerWords() string {
	var b strings.Builder
	for _, r := range "价格异议处理客户说太贵了比别家一大截最高频的先澄清参照物再把单价对话拉到" {
		b.WriteRune(r)
		b.WriteString("的")
	}
	return b.String()
}

// distinctWords is a query of n different words.
func distinctWords(n int) string {
	words := make([]string, n)
	for i := range words {
		words[i] = "w" + strconv.Itoa(i)
	}
	return strings.Join(words, " ")
}

func testStaticMatchesBleve(t *testing.T, idx *search.Index, dir string) {
	reqs := []jsRequest{
		{Q: "价"}, {Q: "贵 客"}, {Q: "negot"}, {Q: "Negotiation"}, {Q: `"太贵了"`}, {Q: "“预算 用完”"},
		{Q: "type:script 价格"}, {Q: "stage:negotiation,closing 续约"}, {Q: "阶段:谈判 价格"},
		{Q: "客户成功经理负责续约谈判"}, {Q: "cs经理 上线"}, {Q: "云帆CRM 旗舰版"}, {Q: "不存在的词 价格"},
		{Q: "签约"}, {Q: "回款"}, {Q: "ＣＲＭ"}, {Q: "crm系统"}, {Q: "ROI"}, {Q: "续约降价"},
		{Q: "价格", Types: []string{"script"}}, {Q: "客户", Stages: []string{"negotiation"}},
		{Q: "type:case"}, {Q: "东林银行"}, {Q: "东林银行：七周上线"}, {Q: "tag:价格"},
		{Q: "客户", Limit: 50}, {Q: "a"}, {Q: "的"}, {Q: "+-*^~()"},
		// relaxed: nothing or too little matches every word
		{Q: "客户说贵怎么办"}, {Q: "嫌贵"}, {Q: "便宜点"}, {Q: "贵怎么办"}, {Q: "怎么办"}, {Q: "嫌"},
		{Q: "type:script 东林"}, {Q: "嫌贵", Types: []string{"case"}}, {Q: "嫌贵", Stages: []string{"negotiation"}},
		{Q: "嫌贵", Limit: 1}, {Q: "考虑考虑", Limit: 2}, {Q: "价格话术"}, {Q: "星图 案例"}, {Q: "cases 星图"},
		{Q: "how to handle 降价"}, {Q: `"没有这句话" 价格`}, {Q: "zzqx 价格"}, {Q: "客户说 贵 吗"},
		{Q: "星图有什么弱点 type:case,script"}, {Q: "negot 怎么办"}, {Q: "案例"}, {Q: "话术库"},
		{Q: manyFillerWords()},
	}
	// pinyin: beside the dev queries, filters, facets and a mix with Chinese
	reqs = append(reqs, jsRequest{Q: "xingtu type:case"}, jsRequest{Q: "jg", Types: []string{"script"}},
		jsRequest{Q: "xt", Stages: []string{"negotiation"}}, jsRequest{Q: "xingtu 价格"}, jsRequest{Q: `"xingtu"`},
		jsRequest{Q: "ＸＩＮＧＴＵ"}, jsRequest{Q: "x"}, jsRequest{Q: "kh", Limit: 50},
		// words that are properties of every JavaScript object
		jsRequest{Q: "constructor"}, jsRequest{Q: `"constructor toString"`}, jsRequest{Q: "__proto__ hasOwnProperty"},
		// pinyin in relaxed queries: a word step 1 leaves (its key marked
		// then), a word held only as pinyin in step 2, any word in step 3,
		// pinyin filler words (you, can), type words beside pinyin
		jsRequest{Q: "xingtu怎么办"}, jsRequest{Q: "zzqx xingtu"}, jsRequest{Q: "jiage吗"}, jsRequest{Q: "how to xingtu"},
		jsRequest{Q: "you jiage 嫌贵"}, jsRequest{Q: "can xt"}, jsRequest{Q: "xingtu jiandao 嫌贵"},
		jsRequest{Q: "星图 jg 案例"}, jsRequest{Q: "xingtu 案例", Types: []string{"script"}},
		jsRequest{Q: "constructor怎么办"}, jsRequest{Q: "xuyuejiangjia"},
		// back-off to characters, now that 嫌贵 and 便宜点 are synonyms
		jsRequest{Q: "嫌它贵"}, jsRequest{Q: "贵得离谱"}, jsRequest{Q: "贵得离谱", Types: []string{"training"}},
		// type words inside synonym words, beside type words of their own
		jsRequest{Q: "竞品分析"}, jsRequest{Q: "客户案例 银行"}, jsRequest{Q: "丢单复盘"}, jsRequest{Q: "星图竞品"},
		// loose terms skip filler; a backed-off word keeps its group word
		jsRequest{Q: "续约的时候要降价"}, jsRequest{Q: "什么是续约"}, jsRequest{Q: "打折要谁批"},
		jsRequest{Q: "签约咋整"}, jsRequest{Q: "demo环境谁搭"},
		// a type word the filler hid becomes one in step 1
		jsRequest{Q: "银行的案例有吗"}, jsRequest{Q: "简道的短板是什么"}, jsRequest{Q: "有没有价格的话术呢", Types: []string{"script", "case"}},
		// the limits, quotes and filter names the client reads from
		// meta.json: a query one character too long, one word too many,
		// each kind of quote, filter names in Chinese and a JavaScript
		// object's own property name before ":"
		jsRequest{Q: strings.Repeat("价", search.MaxQueryRunes+1)}, jsRequest{Q: distinctWords(search.MaxClauses + 1)},
		jsRequest{Q: "「太贵了」"}, jsRequest{Q: "『预算』 ＂续约＂"}, jsRequest{Q: "标签:价格 竞品:星图"}, jsRequest{Q: "constructor:价格"})
	for _, rq := range append(loadQueries(t), loadPinyinQueries(t)...) {
		reqs = append(reqs, jsRequest{Q: rq.Q})
	}
	for _, rq := range loadQueryFile(t, "testdata/dev-queries.yaml") {
		reqs = append(reqs, jsRequest{Q: rq.Q})
	}
	// the built-in synonyms: whole words, a group word inside a word, a
	// Latin group word inside a mixed word, two groups in one query
	for _, c := range sampleSynonymCases {
		reqs = append(reqs, jsRequest{Q: c.q})
	}
	reqs = append(reqs, jsRequest{Q: "嫌贵怎么办"}, jsRequest{Q: "KA客户"}, jsRequest{Q: "试用 POC"}, jsRequest{Q: "renew 往后推"})
	compareStatic(t, idx, dir, reqs)
}

// TestStaticMatchesBleveDev2 is TestStaticMatchesBleve on the dev2 site
// with its queries: colloquial and mixed, most of them relaxed.
func TestStaticMatchesBleveDev2(t *testing.T) {
	idx := dev2Index(t)
	var reqs []jsRequest
	for _, rq := range loadQueryFile(t, "testdata/dev2/queries.yaml") {
		reqs = append(reqs, jsRequest{Q: rq.Q})
	}
	reqs = append(reqs, jsRequest{Q: "贵"}, jsRequest{Q: "嫌它贵"}, jsRequest{Q: "客户说贵怎么办", Types: []string{"script"}})
	compareStatic(t, idx, writeExport(t, idx), reqs)
}

// TestStaticMatchesBleveDev3 is TestStaticMatchesBleve on the dev3 site
// with its queries: questions, symptoms and mixed phrasing, most relaxed.
func TestStaticMatchesBleveDev3(t *testing.T) {
	idx := dev3Index(t)
	var reqs []jsRequest
	for _, rq := range loadQueryFile(t, "testdata/dev3/queries.yaml") {
		reqs = append(reqs, jsRequest{Q: rq.Q})
	}
	reqs = append(reqs, jsRequest{Q: "客户说贵怎么办", Types: []string{"case"}}, jsRequest{Q: "排班", Limit: 3})
	compareStatic(t, idx, writeExport(t, idx), reqs)
}

// TestStaticMatchesBleveDev4 is TestStaticMatchesBleve on the dev4 site
// with its queries: symptoms whose answer is in body text, numbers, most
// relaxed.
func TestStaticMatchesBleveDev4(t *testing.T) {
	idx := dev4Index(t)
	var reqs []jsRequest
	for _, rq := range loadQueryFile(t, "testdata/dev4/queries.yaml") {
		reqs = append(reqs, jsRequest{Q: rq.Q})
	}
	reqs = append(reqs, jsRequest{Q: "夜班没人巡检", Types: []string{"case"}}, jsRequest{Q: "签了五年想走还要赔钱", Limit: 3},
		jsRequest{Q: "付款９０天"}, jsRequest{Q: "1005天 付款105天"}, jsRequest{Q: "\"验收后90天\""})
	compareStatic(t, idx, writeExport(t, idx), reqs)
}

// TestStaticMatchesBleveDev5 is TestStaticMatchesBleve on the dev5 site
// with its queries: colloquial objections, symptoms, numbers and names in
// pinyin, which prefer the case about the name.
func TestStaticMatchesBleveDev5(t *testing.T) {
	idx := dev5Index(t)
	var reqs []jsRequest
	for _, rq := range loadQueryFile(t, "testdata/dev5/queries.yaml") {
		reqs = append(reqs, jsRequest{Q: rq.Q})
	}
	reqs = append(reqs, jsRequest{Q: "lugang", Types: []string{"retro"}}, jsRequest{Q: "jincheng 复盘"}, jsRequest{Q: "lugang fupan"})
	compareStatic(t, idx, writeExport(t, idx), reqs)
}

// compareStatic runs reqs through the static client under node on the
// export in dir and fails where it answers other than the index.
func compareStatic(t *testing.T, idx *search.Index, dir string, reqs []jsRequest) {
	t.Helper()
	got := runJS(t, dir, reqs)
	for i, r := range reqs {
		want, err := idx.Search(context.Background(), search.Request{Query: r.Q, Types: r.Types, Stages: r.Stages, Limit: r.Limit})
		g := got[i]
		if err != nil {
			if _, ok := err.(*search.QueryError); !ok || !g.Query {
				t.Errorf("%q: index error %v, static %+v", r.Q, err, g)
			}
			continue
		}
		if g.Error != "" {
			t.Errorf("%q: static error %s", r.Q, g.Error)
			continue
		}
		if g.Total != want.Total || g.Strict != want.Strict || g.Relaxed != want.Relaxed {
			t.Errorf("%q: static finds %d pages (%d strict, relaxed %d), the index %d (%d, %d)",
				r.Q, g.Total, g.Strict, g.Relaxed, want.Total, want.Strict, want.Relaxed)
		}
		if len(g.Hits) != len(want.Hits) {
			t.Errorf("%q: static returns %d hits, the index %d", r.Q, len(g.Hits), len(want.Hits))
			continue
		}
		for j, h := range want.Hits {
			if g.Hits[j].Path != h.Path || math.Abs(g.Hits[j].Score-h.Score) > 1e-9*math.Max(1, h.Score) || g.Hits[j].Relaxed != h.Relaxed {
				t.Errorf("%q: hit %d is %s (%.12g, relaxed %d) in static, %s (%.12g, %d) in the index",
					r.Q, j+1, g.Hits[j].Path, g.Hits[j].Score, g.Hits[j].Relaxed, h.Path, h.Score, h.Relaxed)
			}
		}
		gf, _ := json.Marshal(g.Facets)
		wf, _ := json.Marshal(want.Facets)
		if !bytes.Equal(gf, wf) {
			t.Errorf("%q: facets %s in static, %s in the index", r.Q, gf, wf)
		}
	}
}

// TestStaticResultsPageRequests: a results page on the sample site, 50 hits
// with their snippets in a fresh client, fetches the pages' records in a
// file or two, not one per hit, and the postings of a word and its synonyms
// in one file, not one per term: a handful of requests in all.
func TestStaticResultsPageRequests(t *testing.T) {
	dir := writeExport(t, sampleIndex(t))
	var meta search.StaticMeta
	data, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	docFiles := (meta.Docs + search.DocGroupPages - 1) / search.DocGroupPages
	cases := []struct {
		q        string
		requests int // at most: meta, a synonym file per character, a shard, a group's file, the pages
	}{
		{"价格", 5 + docFiles},
		{"客户", 5 + docFiles},
	}
	var in strings.Builder
	for _, c := range cases {
		in.WriteString(c.q + "\n")
	}
	cmd := exec.Command(nodeBin(t), "../bench/firstquery.js", absPath(t, client), dir, "50")
	cmd.Stdin = strings.NewReader(in.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%d results for %d queries:\n%s", len(lines), len(cases), out)
	}
	for i, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			var r struct {
				Files []string `json:"files"`
				Hits  int      `json:"hits"`
				Error string   `json:"error"`
			}
			if err := json.Unmarshal([]byte(lines[i]), &r); err != nil {
				t.Fatal(err)
			}
			if r.Error != "" {
				t.Fatal(r.Error)
			}
			docs := 0
			for _, f := range r.Files {
				if strings.HasPrefix(f, "d/") {
					docs++
				}
			}
			if r.Hits <= 2*docFiles || docs == 0 || docs > docFiles || len(r.Files) > c.requests {
				t.Errorf("%d hits shown from %d page files, %d requests in all (want at most %d page files, %d requests): %v",
					r.Hits, docs, len(r.Files), docFiles, c.requests, r.Files)
			}
		})
	}
}

// TestStaticGroupFiles: a synonym group's file holds, for every term it
// lists, the very list the term's shard (or l/ head) holds, in every text
// field, and lists the terms of the group's words: the client may fetch a
// term from either and rank the same.
func TestStaticGroupFiles(t *testing.T) {
	dir := writeExport(t, sampleIndex(t))
	read := func(path string, v any) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	var meta search.StaticMeta
	read("meta.json", &meta)
	type list = map[string]map[string]json.RawMessage
	terms := 0
	for j := range meta.GroupFiles {
		var groups map[string]struct {
			K []string `json:"k"`
			T list     `json:"t"`
		}
		read("g/"+strconv.Itoa(j)+".json", &groups)
		for i, g := range groups {
			for _, term := range g.K {
				var s struct {
					T list     `json:"t"`
					L []string `json:"l"`
				}
				read("s/"+strconv.Itoa(search.ShardOf("t"+term, meta.Shards))+".json", &s)
				var long list // the heads of its split lists, in the fields where it has one
				if slices.Contains(s.L, term) {
					read("l/"+strconv.Itoa(search.ShardOf("t"+term, meta.Longs))+".json", &long)
				}
				for _, f := range meta.Fields {
					want := s.T[f][term]
					if want == nil {
						want = long[f][term]
					}
					if got, want := string(g.T[f][term]), string(want); got != want {
						t.Errorf("group %s, %s %q: %.60s in g/%d.json, %.60s in its shard", i, f, term, got, j, want)
					}
					if g.T[f][term] != nil {
						terms++
					}
				}
			}
		}
	}
	if terms < 100 {
		t.Errorf("the group files hold %d lists, want the sample's synonyms' terms (hundreds)", terms)
	}
}
