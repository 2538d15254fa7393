package search

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

var builtinTable = newSynonymTable(BuiltinSynonyms())

// clauseView is a clause in a form that is easy to write in a table.
type clauseView struct {
	Phrase   bool
	Variants []string // terms joined by spaces; suffixes: * prefix, ? char, ~N loose
}

func viewClauses(cs []Clause) []clauseView {
	var out []clauseView
	for _, c := range cs {
		v := clauseView{Phrase: c.Phrase}
		for _, vt := range c.Variants {
			s := strings.Join(vt.Terms, " ")
			switch {
			case vt.Prefix:
				s += "*"
			case vt.Char:
				s += "?"
			case vt.Loose > 0:
				s += "~" + string(rune('0'+vt.Loose))
			}
			v.Variants = append(v.Variants, s)
		}
		out = append(out, v)
	}
	return out
}

func words(variants ...string) clauseView { return clauseView{Variants: variants} }

func TestParse(t *testing.T) {
	noSyn := newSynonymTable(nil)
	tests := []struct {
		name    string
		in      string
		clauses []clauseView
		filters []Filter
		exact   string
	}{
		{name: "one word", in: "价格异议", clauses: []clauseView{words("价格 格异 异议~2")}, exact: "价格 格异 异议"},
		{name: "two words", in: "价格 异议", clauses: []clauseView{words("价格"), words("异议")}, exact: "价格 异议"},
		{name: "ideographic space", in: "价格　异议", clauses: []clauseView{words("价格"), words("异议")}, exact: "价格 异议"},
		{name: "three characters are never loose", in: "城商行", clauses: []clauseView{words("城商 商行")}, exact: "城商 商行"},
		{name: "phrase", in: `"价格 异议"`, clauses: []clauseView{{Phrase: true, Variants: []string{"价格 异议"}}}, exact: "价格 异议"},
		{name: "chinese quotes", in: "“太贵了”", clauses: []clauseView{{Phrase: true, Variants: []string{"太贵 贵了"}}}, exact: "太贵 贵了"},
		{name: "corner quotes", in: "「太贵」 客户", clauses: []clauseView{{Phrase: true, Variants: []string{"太贵"}}, words("客户")}, exact: "太贵 客户"},
		{name: "unbalanced quote runs to the end", in: `客户 "价格异议`, clauses: []clauseView{words("客户"), {Phrase: true, Variants: []string{"价格 格异 异议"}}}, exact: "客户 价格 格异 异议"},
		{name: "empty quotes", in: `"" 价格`, clauses: []clauseView{words("价格")}, exact: "价格"},
		{name: "filter", in: "type:script 价格", clauses: []clauseView{words("价格")}, filters: []Filter{{fieldType, []string{"script"}}}, exact: "价格"},
		{name: "full-width colon and case", in: "Type：Script", filters: []Filter{{fieldType, []string{"script"}}}},
		{name: "filter list", in: "stage:negotiation,closing", filters: []Filter{{fieldStage, []string{"negotiation", "closing"}}}},
		{name: "same key twice", in: "type:script type:case", filters: []Filter{{fieldType, []string{"script", "case"}}}},
		{name: "quoted filter value", in: `tag:"异议 处理" 价格`, clauses: []clauseView{words("价格")}, filters: []Filter{{fieldTag, []string{"异议 处理"}}}, exact: "价格"},
		{name: "chinese filter key", in: "阶段:谈判 标签:价格", filters: []Filter{{fieldStage, []string{"谈判"}}, {fieldTag, []string{"价格"}}}},
		{name: "empty filter dropped", in: "type: 价格", clauses: []clauseView{words("价格")}, exact: "价格"},
		{name: "unknown key is text", in: "foo:bar", clauses: []clauseView{words("foo"), words("bar*")}, exact: "foo bar"},
		{name: "url is text", in: "http://x.cn/价格", clauses: []clauseView{words("http"), words("x"), words("cn"), words("价格")}, exact: "http x cn 价格"},
		{name: "bleve syntax is only separators", in: `+价格 -异议 (a~2)^3 [x] {y} * 星图:`, clauses: []clauseView{words("价格"), words("异议"), words("a"), words("2"), words("3"), words("x"), words("y"), words("星图")}, exact: "价格 异议 a 2 3 x y 星图"},
		{name: "lone character", in: "价", clauses: []clauseView{words("价?")}, exact: "价"},
		{name: "mixed runs", in: "CRM系统", clauses: []clauseView{words("crm"), words("系统")}, exact: "crm 系统"},
		{name: "prefix on the last word", in: "价格 negot", clauses: []clauseView{words("价格"), words("negot*")}, exact: "价格 negot"},
		{name: "no prefix when short", in: "ai", clauses: []clauseView{words("ai")}, exact: "ai"},
		{name: "no prefix with digits", in: "q3x", clauses: []clauseView{words("q3x")}, exact: "q3x"},
		{name: "repeats dropped", in: "价格 价格", clauses: []clauseView{words("价格")}, exact: "价格 价格"},
		{name: "symbols only", in: "+++ *** !!!", clauses: nil},
		{name: "control characters", in: "价\x00格\x1b[31m", clauses: []clauseView{words("价?"), words("格?"), words("31m")}, exact: "价 格 31m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := parse(tt.in, noSyn)
			if err != nil {
				t.Fatal(err)
			}
			if got := viewClauses(q.Clauses); !reflect.DeepEqual(got, tt.clauses) {
				t.Errorf("clauses = %+v\nwant %+v", got, tt.clauses)
			}
			if !reflect.DeepEqual(q.Filters, tt.filters) {
				t.Errorf("filters = %+v, want %+v", q.Filters, tt.filters)
			}
			if q.Exact != tt.exact {
				t.Errorf("exact = %q, want %q", q.Exact, tt.exact)
			}
		})
	}
}

func TestParseSynonyms(t *testing.T) {
	tests := []struct {
		in   string
		want []clauseView
	}{
		{"签约", []clauseView{words("签约", "成交", "签单", "拿单", "赢单", "签合 合同", "拿下", "sign")}},
		{"ARPU", []clauseView{words("arpu", "客单 单价", "单客 客价 价值")}},
		{"客单价", []clauseView{words("客单 单价", "arpu", "单客 客价 价值")}},
		{"cold call", []clauseView{words("cold call", "陌生 生电 电话", "电话 话开 开发", "陌电", "电销")}},
		{"Negotiations", []clauseView{words("negoti", "谈判", "商务 务谈 谈判")}},
		// part of a word: the longest group word inside is replaced
		{"回款流程", []clauseView{words("回款 款流 流程~2", "收款 款流 流程", "到款 款流 流程", "回笼 笼资 资金 金流 流程")}},
		// a Latin group word must stand alone inside a word
		{"scrm", []clauseView{words("scrm", "社交 crm", "私域 crm")}},
		{"crmx", []clauseView{words("crmx*")}},
		// no synonyms inside quotes
		{`"签约"`, []clauseView{{Phrase: true, Variants: []string{"签约"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := parse(tt.in, builtinTable)
			if err != nil {
				t.Fatal(err)
			}
			if got := viewClauses(q.Clauses); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"too long", strings.Repeat("价", MaxQueryRunes+1)},
		{"ten thousand characters", strings.Repeat("a b ", 2500)},
		{"too many words", manyWords(MaxClauses + 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.in, builtinTable)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("err = %v, want a QueryError", err)
			}
		})
	}
	if _, err := parse(strings.Repeat("价", MaxQueryRunes), builtinTable); err != nil {
		t.Errorf("a query of MaxQueryRunes characters: %v", err)
	}
}

// manyWords returns n distinct words: w1 w2 …
func manyWords(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "w%d ", i)
	}
	return b.String()
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  价格 ", "价格"},
		{"价\x00格", "价 格"},
		{"a\x1b[31mb", "a [31mb"},
		{"价\u200b格\u202e", "价 格"},
		{"\xff\xfe价", "价"},
		{"\ufeff价格", "价格"},
		{"价格\r\n异议\t", "价格  异议"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVariantShapes(t *testing.T) {
	tests := []struct {
		in         string
		adjacent   bool
		loose      int
		looseTerms []string
	}{
		{"价格", false, 0, nil},
		{"城商行", false, 0, nil},
		{"价格异议", false, 2, []string{"价格", "异议"}},
		{"换系统麻烦", false, 2, []string{"换系", "统麻", "麻烦"}},
		{"客户成功经理负责续约谈判", false, 4, []string{"客户", "成功", "经理", "负责", "续约", "谈判"}},
		{`"价格异议"`, true, 0, nil},
		{`"价格 异议"`, true, 0, nil},
	}
	for _, tt := range tests {
		q, err := parse(tt.in, newSynonymTable(nil))
		if err != nil {
			t.Fatal(err)
		}
		v := q.Clauses[0].Variants[0]
		if v.Adjacent != tt.adjacent || v.Loose != tt.loose || !reflect.DeepEqual(v.LooseTerms, tt.looseTerms) {
			t.Errorf("%s: adjacent %v loose %d %q, want %v %d %q", tt.in, v.Adjacent, v.Loose, v.LooseTerms, tt.adjacent, tt.loose, tt.looseTerms)
		}
	}
	// a synonym spanning two runs must stand together
	q, _ := parse("cold call", builtinTable)
	if v := q.Clauses[0].Variants[0]; !v.Adjacent {
		t.Errorf("cold call: %+v", v)
	}
}

// A run's loose terms skip the two-character words that touch a filler
// word; with fewer than two left the run has no loose match.
func TestLooseTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"续约降价", []string{"续约", "降价"}},
		{"客户成功经理", []string{"客户", "成功", "经理"}},
		{"第一次见客户说什么", []string{"第一", "次见"}},
		{"续约的时候要降价", []string{"续约", "要降", "降价"}}, // 的 and 时候 are filler words
		{"贵怎么办", nil},
		{"什么是续约", []string{"是续", "续约"}},
		{"怎么办续约", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, _ := variantOf(tt.in)
			if !reflect.DeepEqual(v.LooseTerms, tt.want) {
				t.Errorf("loose terms %q, want %q", v.LooseTerms, tt.want)
			}
			if (v.Loose > 0) != (tt.want != nil) {
				t.Errorf("loose %d with terms %q", v.Loose, v.LooseTerms)
			}
		})
	}
}

// A number typed in digits also finds the Chinese numeral a page writes.
func TestChineseNumeral(t *testing.T) {
	for in, want := range map[string]string{
		"90": "九十", "15": "十五", "18": "十八", "120": "一百二十", "105": "一百零五", "1050": "一千零五十",
		"1005": "一千零五", "2026": "二千零二十六", "300": "三百", "10": "", "7": "", "09": "", "12345": "", "9a": "",
	} {
		if got := chineseNumeral(in); got != want {
			t.Errorf("chineseNumeral(%q) = %q, want %q", in, got, want)
		}
	}
}

// A number typed in digits finds the page that writes it in Chinese: as a
// word of its own (90), and inside a longer word with a group word
// (验收后90天付款, 付款 being one), without relaxing.
func TestNumbersInDigits(t *testing.T) {
	docs := []Doc{
		{Path: "days", Title: "回款周期", Body: "国企验收后九十天付款。"},
		{Path: "other", Title: "付款方式", Body: "验收后一次付清。"},
	}
	for _, q := range []string{"90", "验收后90天付款"} {
		res := searchDocs(t, docs, q)
		if len(res.Hits) == 0 || res.Hits[0].Path != "days" || res.Hits[0].Relaxed != RelaxNone {
			t.Errorf("%s: hits %v (relaxed %d); want days first, strict", q, paths(res), res.Relaxed)
		}
	}
}
