package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/search"
	"go.yaml.in/yaml/v3"
)

// mrrFloor is the least MRR@10 the rep-style queries may score. Raise it
// when ranking improves; never lower it to let a change in.
const mrrFloor = 0.90

// devMRRFloor and devZeros hold testdata/dev-queries.yaml, questions as
// reps ask them, to what search reached (0.310 and 20 queries without a
// hit before relaxation, 0.805 before the filler-aware loose terms, the
// group-word back-off and the glossary, 0.861 before the one-way words,
// the wider lone fillers and type words in step 1, 0.895 before the why
// questions of the dev5 round).
const (
	devMRRFloor = 0.91
	devZeros    = 0
)

// dev2MRRFloor and dev2Zeros hold testdata/dev2 (TestDev2Quality), a
// development set on a third site weighted to colloquial and mixed
// English/Chinese queries, to what search reached on it (0.820, none
// without a hit; 0.594 and 3 when the set came in, 0.789 before the
// one-way words, 0.836 before the dev5 round; now 0.854).
const (
	dev2MRRFloor = 0.85
	dev2Zeros    = 0
)

// dev3MRRFloor and dev3Zeros hold testdata/dev3 (TestDev3Quality), a
// development set on a fourth site written before the round that tuned on
// it: what it scored when first searched (0.849, 1 without a hit).
const (
	dev3MRRFloor = 0.84
	dev3Zeros    = 1
)

// dev4MRRFloor and dev4Zeros hold testdata/dev4 (TestDev4Quality), a
// development set on a fifth site written before the round that tuned on
// it: what it scored when first searched (0.900, none without a hit).
const (
	dev4MRRFloor = 0.90
	dev4Zeros    = 0
)

// dev5MRRFloor and dev5Zeros hold testdata/dev5 (TestDev5Quality), a
// development set on a sixth site (EV charging) written before the round
// that tuned on it: what it scored when first searched (0.827, none
// without a hit), below issue 10's 0.90.
const (
	dev5MRRFloor = 0.82
	dev5Zeros    = 0
)

// frozenMRRFloor and frozenZeros hold the frozen set (TestFrozenQuality).
const (
	frozenMRRFloor = 0.75
	frozenZeros    = 3
)

// sampleNow is the clock the sample site is read at, so pages published or
// expiring later do not change the result.
var sampleNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

type rankedQuery struct {
	Q    string `yaml:"q"`
	Want string `yaml:"want"`
}

var (
	sampleOnce sync.Once
	sampleIdx  *search.Index
	sampleErr  error
	dev2Once   sync.Once
	dev2Idx    *search.Index
	dev2Err    error
	dev3Once   sync.Once
	dev3Idx    *search.Index
	dev3Err    error
	dev4Once   sync.Once
	dev4Idx    *search.Index
	dev4Err    error
	dev5Once   sync.Once
	dev5Idx    *search.Index
	dev5Err    error
	frozenOnce sync.Once
	frozenIdx  *search.Index
	frozenErr  error
)

// sampleIndex indexes the published pages of the sample site in ../content
// the way playbook build does, once per test binary.
func sampleIndex(t testing.TB) *search.Index {
	t.Helper()
	sampleOnce.Do(func() { sampleIdx, sampleErr = indexSite("..") })
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sampleIdx
}

// dev2Index indexes the second development site (testdata/dev2/site),
// once per test binary.
func dev2Index(t testing.TB) *search.Index {
	t.Helper()
	dev2Once.Do(func() { dev2Idx, dev2Err = indexSite("testdata/dev2/site") })
	if dev2Err != nil {
		t.Fatal(dev2Err)
	}
	return dev2Idx
}

// dev3Index indexes the dev3 site (testdata/dev3/site), once per test
// binary.
func dev3Index(t testing.TB) *search.Index {
	t.Helper()
	dev3Once.Do(func() { dev3Idx, dev3Err = indexSite("testdata/dev3/site") })
	if dev3Err != nil {
		t.Fatal(dev3Err)
	}
	return dev3Idx
}

// dev4Index indexes the dev4 site (testdata/dev4/site), once per test
// binary.
func dev4Index(t testing.TB) *search.Index {
	t.Helper()
	dev4Once.Do(func() { dev4Idx, dev4Err = indexSite("testdata/dev4/site") })
	if dev4Err != nil {
		t.Fatal(dev4Err)
	}
	return dev4Idx
}

// dev5Index indexes the dev5 site (testdata/dev5/site), once per test
// binary.
func dev5Index(t testing.TB) *search.Index {
	t.Helper()
	dev5Once.Do(func() { dev5Idx, dev5Err = indexSite("testdata/dev5/site") })
	if dev5Err != nil {
		t.Fatal(dev5Err)
	}
	return dev5Idx
}

// frozenIndex indexes the frozen evaluation site (testdata/frozen/site),
// once per test binary.
func frozenIndex(t testing.TB) *search.Index {
	t.Helper()
	frozenOnce.Do(func() { frozenIdx, frozenErr = indexSite("testdata/frozen/site") })
	if frozenErr != nil {
		t.Fatal(frozenErr)
	}
	return frozenIdx
}

// indexSite indexes the published pages of the site in dir at sampleNow,
// with its synonyms, the way playbook build does. The index is shared by
// every test of the binary; the OS cleans its temporary folder.
func indexSite(dir string) (*search.Index, error) {
	site, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(os.DirFS(site))
	if err != nil {
		return nil, err
	}
	s, _, err := builder.Load(context.Background(), builder.Options{Site: site, Now: sampleNow}, cfg)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	docs := make([]search.Doc, len(s.Pages))
	for i, p := range s.Pages {
		docs[i] = builder.SearchDoc(p)
	}
	groups, err := search.LoadSynonyms(filepath.Join(site, search.SynonymsFile))
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "playbook-search-test-")
	if err != nil {
		return nil, err
	}
	idx := filepath.Join(tmp, "index")
	if err := search.Build(idx, docs, search.WithSynonyms(groups)); err != nil {
		return nil, err
	}
	return search.Open(idx)
}

func loadQueries(t testing.TB) []rankedQuery { return loadQueryFile(t, "testdata/queries.yaml") }

func loadQueryFile(t testing.TB, name string) []rankedQuery {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var qs []rankedQuery
	if err := yaml.Unmarshal(data, &qs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return qs
}

// TestQuality scores the rep-style queries of testdata/queries.yaml as
// MRR@10 against the sample site and fails below mrrFloor.
func TestQuality(t *testing.T) {
	qs := loadQueries(t)
	if len(qs) < 40 {
		t.Fatalf("queries.yaml has %d queries, want at least 40", len(qs))
	}
	scoreQueries(t, sampleIndex(t), qs, mrrFloor, 0)
}

// TestDevQuality scores testdata/dev-queries.yaml, questions and
// colloquial phrasing, the same way.
func TestDevQuality(t *testing.T) {
	scoreQueries(t, sampleIndex(t), loadQueryFile(t, "testdata/dev-queries.yaml"), devMRRFloor, devZeros)
}

// TestDev2Quality scores testdata/dev2/queries.yaml against its own site
// (testdata/dev2/site): a development set, tuning allowed, that the
// frozen set checks from outside.
func TestDev2Quality(t *testing.T) {
	qs := loadQueryFile(t, "testdata/dev2/queries.yaml")
	if len(qs) < 60 {
		t.Fatalf("the dev2 set has %d queries, want at least 60", len(qs))
	}
	scoreQueries(t, dev2Index(t), qs, dev2MRRFloor, dev2Zeros)
}

// TestDev3Quality scores testdata/dev3/queries.yaml against its own site:
// a development set written before the round that first searched it.
func TestDev3Quality(t *testing.T) {
	qs := loadQueryFile(t, "testdata/dev3/queries.yaml")
	if len(qs) < 60 {
		t.Fatalf("the dev3 set has %d queries, want at least 60", len(qs))
	}
	scoreQueries(t, dev3Index(t), qs, dev3MRRFloor, dev3Zeros)
}

// TestDev4Quality scores testdata/dev4/queries.yaml against its own site:
// a development set written before the round that first searched it.
func TestDev4Quality(t *testing.T) {
	qs := loadQueryFile(t, "testdata/dev4/queries.yaml")
	if len(qs) < 60 {
		t.Fatalf("the dev4 set has %d queries, want at least 60", len(qs))
	}
	scoreQueries(t, dev4Index(t), qs, dev4MRRFloor, dev4Zeros)
}

// TestDev5Quality scores testdata/dev5/queries.yaml against its own site:
// a development set written before the round that first searched it.
func TestDev5Quality(t *testing.T) {
	qs := loadQueryFile(t, "testdata/dev5/queries.yaml")
	if len(qs) < 60 {
		t.Fatalf("the dev5 set has %d queries, want at least 60", len(qs))
	}
	scoreQueries(t, dev5Index(t), qs, dev5MRRFloor, dev5Zeros)
}

// TestFrozenQuality scores testdata/frozen/queries.yaml — written with its
// own site before anyone looked at search, and never tuned for — against
// that site. Its floors hold what search reached when the set was first
// measured (MRR@10 0.777, 3 of 87 queries without a hit; 0.190 and 70
// before relaxation, the new synonyms and pinyin); issue 10's target is
// 0.90 and none without a hit. Never change the set to pass: change search.
func TestFrozenQuality(t *testing.T) {
	qs := loadQueryFile(t, "testdata/frozen/queries.yaml")
	if len(qs) < 60 {
		t.Fatalf("the frozen set has %d queries, want at least 60", len(qs))
	}
	scoreQueries(t, frozenIndex(t), qs, frozenMRRFloor, frozenZeros)
}

// scoreQueries fails when the MRR@10 of qs is below floor or more than
// zeros queries find nothing.
func scoreQueries(t *testing.T, idx *search.Index, qs []rankedQuery, floor float64, zeros int) {
	var sum float64
	none := 0
	var report strings.Builder
	for _, q := range qs {
		res, err := idx.Search(context.Background(), search.Request{Query: q.Q, Limit: 10})
		if err != nil {
			t.Errorf("%q: %v", q.Q, err)
			continue
		}
		rank := 0
		for i, h := range res.Hits {
			if h.Path == q.Want {
				rank = i + 1
				break
			}
		}
		if rank > 0 {
			sum += 1 / float64(rank)
		}
		first := "(none)"
		if len(res.Hits) > 0 {
			first = res.Hits[0].Path
		} else {
			none++
		}
		fmt.Fprintf(&report, "  rank %-2s %-14s want %-32s first %s\n", rankText(rank), q.Q, q.Want, first)
	}
	mrr := sum / float64(len(qs))
	t.Logf("MRR@10 = %.3f over %d queries (floor %.2f), %d without a hit", mrr, len(qs), floor, none)
	if mrr < floor || testing.Verbose() {
		t.Logf("per query:\n%s", report.String())
	}
	if mrr < floor {
		t.Errorf("MRR@10 %.3f is below the floor %.2f", mrr, floor)
	}
	if none > zeros {
		t.Errorf("%d queries find nothing, at most %d may", none, zeros)
	}
}

func rankText(r int) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprint(r)
}

// TestObjectionScriptFirst: for an objection-like query the script that
// answers it ranks in the top two, while a page named exactly like the
// query (title, alias, competitor name) stays first.
func TestObjectionScriptFirst(t *testing.T) {
	idx := sampleIndex(t)
	tests := []struct {
		q     string
		want  string
		top   int // want must be within the first top hits
		exact bool
	}{
		{q: "价格", want: "scripts/价格异议处理", top: 2},
		{q: "太贵", want: "scripts/价格异议处理", top: 1},
		{q: "预算", want: "scripts/年底预算用完", top: 2},
		{q: "星图CRM", want: "competitors/星图crm", top: 1, exact: true},
		{q: "星图", want: "competitors/星图crm", top: 1},
		{q: "报价审批规则", want: "guides/报价审批规则", top: 1, exact: true},
		{q: "价格谈判与让步策略", want: "training/价格谈判与让步策略", top: 1, exact: true},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := idx.Search(context.Background(), search.Request{Query: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			for i, h := range res.Hits[:min(tt.top, len(res.Hits))] {
				if h.Path == tt.want {
					if tt.exact && (i != 0 || !h.Exact) {
						t.Errorf("%s is hit %d, exact %v; want the exact match first", tt.want, i+1, h.Exact)
					}
					return
				}
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Path)
			}
			t.Errorf("%s not in the first %d: %v", tt.want, tt.top, got)
		})
	}
}

// TestRepPhrasingClasses: each class of reps' phrasing the dev5 round
// fixed finds its page within the first top hits, on the dev sites.
func TestRepPhrasingClasses(t *testing.T) {
	tests := []struct {
		class, q, want string
		idx            func(testing.TB) *search.Index
		top            int
	}{
		{"a name in pinyin prefers the case", "lugang", "cases/鹭港公交场站快充改造", dev5Index, 1},
		{"a name in pinyin prefers the case", "beichen", "cases/北辰钢铁轧线预测性维护", dev4Index, 1},
		{"a why question prefers the retro", "清泉那单为什么丢了", "retros/清泉饮料丢单复盘", dev4Index, 1},
		{"a deal word prefers cases", "高速项目", "cases/云岭交投高速服务区超充站", dev5Index, 1},
		{"a retro's problems answer symptoms", "签约前没见过物业", "retros/锦城置业丢单复盘", dev5Index, 1},
		{"every group word of a backed-off word", "物业说怕着火怎么说", "scripts/地下车库消防顾虑的回应", dev5Index, 2},
		{"a word held only loosely backs off", "一个传感器多少钱", "guides/价目表与部署套餐", dev4Index, 2},
	}
	for _, tt := range tests {
		t.Run(tt.class+"/"+tt.q, func(t *testing.T) {
			res, err := tt.idx(t).Search(context.Background(), search.Request{Query: tt.q, Limit: tt.top})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Path)
			}
			if !slices.Contains(got, tt.want) {
				t.Errorf("%q: first %d hits %v, want %s among them", tt.q, tt.top, got, tt.want)
			}
		})
	}
}
