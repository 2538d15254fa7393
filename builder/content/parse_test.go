package content_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
)

// testRules mirrors the default configuration: the contract's eight stages
// and four roles, dates read in Asia/Shanghai.
func testRules(t testing.TB) *content.Rules {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return &content.Rules{
		Stages: []content.Choice{
			{Key: "prospecting", Name: "潜在客户发现"}, {Key: "contact", Name: "客户联系"},
			{Key: "discovery", Name: "需求分析"}, {Key: "proposal", Name: "方案提供"},
			{Key: "negotiation", Name: "谈判"}, {Key: "closing", Name: "成交"},
			{Key: "onboarding", Name: "交付上线"}, {Key: "renewal", Name: "续约增购"},
		},
		Roles: []content.Choice{
			{Key: "manager", Name: "销售经理"}, {Key: "rep", Name: "销售代表"},
			{Key: "csm", Name: "客户成功经理"}, {Key: "support", Name: "销售支持"},
		},
		Location:    loc,
		ReviewEvery: map[string]content.Duration{"script": 90, "case": 365},
	}
}

// lines joins front matter or file lines with "\n" and a final newline.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// errLines renders errors one per line, as the CLI prints them.
func errLines(es content.Errors) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Error()
	}
	return out
}

func mustParse(t *testing.T, rel, src string) *content.Page {
	t.Helper()
	p, errs := content.Parse(rel, []byte(src), testRules(t))
	if len(errs) > 0 {
		t.Fatalf("Parse(%s): unexpected errors:\n%v", rel, errs)
	}
	if p == nil {
		t.Fatalf("Parse(%s): nil page without errors", rel)
	}
	return p
}

// TestParseErrors checks each validation rule's full message: the file (as
// content/PATH.md), the line the author must edit, the field, and the text.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		rel  string
		src  string
		want []string
	}{
		// Required fields.
		{
			name: "title missing",
			rel:  "scripts/太贵了.md",
			src:  lines("---", "owner: 王磊", "---", "正文"),
			want: []string{`content/scripts/太贵了.md:2: title: required: every page needs a title`},
		},
		{
			name: "title empty",
			rel:  "scripts/x.md",
			src:  lines("---", "owner: 王磊", `title: ""`, "---"),
			want: []string{`content/scripts/x.md:3: title: required: every page needs a title`},
		},
		// Wrong kinds.
		{
			name: "deal_size in Chinese numerals",
			rel:  "cases/acme.md",
			src:  lines("---", "title: 东林银行", "deal_size: 一百万", "---"),
			want: []string{`content/cases/acme.md:3: deal_size: want a number such as 480000 (or 48万), got "一百万"`},
		},
		{
			name: "deal_size negative",
			rel:  "cases/acme.md",
			src:  lines("---", "title: 东林银行", "deal_size: -5", "---"),
			want: []string{`content/cases/acme.md:3: deal_size: want a number of at least 0, got -5`},
		},
		{
			name: "cycle_days fractional",
			rel:  "cases/acme.md",
			src:  lines("---", "title: 东林银行", "outcome: won", "cycle_days: 1.5", "---"),
			want: []string{`content/cases/acme.md:4: cycle_days: want a whole number, got 1.5`},
		},
		{
			name: "draft maybe is not a bool (yes/no are)",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "draft: maybe", "---"),
			want: []string{`content/scripts/x.md:3: draft: want true or false, got "maybe"`},
		},
		{
			name: "draft as a number",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", `draft: 1`, "---"),
			want: []string{`content/scripts/x.md:3: draft: want true or false, got 1`},
		},
		{
			name: "tags as mapping",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "tags:", "  价格: 高", "---"),
			want: []string{`content/scripts/x.md:3: tags: want a list of text, got a mapping`},
		},
		{
			name: "title as list",
			rel:  "guides/x.md",
			src:  lines("---", "title: [a, b]", "---"),
			want: []string{
				`content/guides/x.md:2: title: want one value, got a list`,
				`content/guides/x.md:2: title: required: every page needs a title`,
			},
		},
		{
			name: "duration of a training not a number",
			rel:  "training/x.md",
			src:  lines("---", "title: x", "duration: 一小时", "---"),
			want: []string{`content/training/x.md:3: duration: want a whole number, got "一小时"`},
		},
		{
			name: "website without scheme",
			rel:  "competitors/x.md",
			src:  lines("---", "title: x", "website: xingtu.example.com", "---"),
			want: []string{`content/competitors/x.md:3: website: want a web address starting with https:// or http://, got "xingtu.example.com"`},
		},
		{
			name: "currency not a code",
			rel:  "cases/x.md",
			src:  lines("---", "title: x", "currency: 人民币", "---"),
			want: []string{`content/cases/x.md:3: currency: want a three-letter currency code such as CNY or USD, got "人民币"`},
		},
		// Enumerations.
		{
			name: "channel",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "channel: 微信", "---"),
			want: []string{`content/scripts/x.md:3: channel: want one of phone|email|visit|im|meeting, got "微信"`},
		},
		{
			name: "outcome",
			rel:  "cases/x.md",
			src:  lines("---", "title: x", "outcome: 赢单", "---"),
			want: []string{`content/cases/x.md:3: outcome: want one of won|lost|open, got "赢单"`},
		},
		{
			name: "action status names the action",
			rel:  "retros/x.md",
			src: lines("---", "title: x", "actions:",
				"  - what: 更新报价单", "    status: done",
				"  - what: 培训新人", "    status: 进行中", "---"),
			want: []string{`content/retros/x.md:6: actions[2].status: want one of open|done|dropped, got "进行中"`},
		},
		{
			name: "action without what",
			rel:  "retros/x.md",
			src:  lines("---", "title: x", "actions:", "  - owner: 王磊", "---"),
			want: []string{`content/retros/x.md:4: actions[1].what: required: what is to be done`},
		},
		{
			name: "action due not a date",
			rel:  "retros/x.md",
			src:  lines("---", "title: x", "actions:", "  - what: 更新报价单", "    due: 月底", "---"),
			want: []string{`content/retros/x.md:4: actions[1].due: want a date like 2026-10-09 or a time like 2026-10-09T15:00:00+08:00, got "月底"`},
		},
		{
			name: "type",
			rel:  "guides/x.md",
			src:  lines("---", "title: x", "type: blog", "---"),
			want: []string{`content/guides/x.md:3: type: want one of script|case|competitor|training|retro|page, got "blog"`},
		},
		// Stage and role keys.
		{
			name: "unknown stage",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "stages: [negotiation, 砍价]", "---"),
			want: []string{`content/scripts/x.md:3: stages: unknown key "砍价"; want one of prospecting|contact|discovery|proposal|negotiation|closing|onboarding|renewal (set them in playbook.yaml)`},
		},
		{
			name: "unknown role",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "roles:", "  - rep", "  - ceo", "---"),
			want: []string{`content/scripts/x.md:3: roles: unknown key "ceo"; want one of manager|rep|csm|support (set them in playbook.yaml)`},
		},
		{
			name: "unknown audience role",
			rel:  "training/x.md",
			src:  lines("---", "title: x", "audience: [新人]", "---"),
			want: []string{`content/training/x.md:3: audience: unknown key "新人"; want one of manager|rep|csm|support (set them in playbook.yaml)`},
		},
		// Dates and durations.
		{
			name: "date in words",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "date: 下周五", "---"),
			want: []string{`content/scripts/x.md:3: date: want a date like 2026-10-09 or a time like 2026-10-09T15:00:00+08:00, got "下周五"`},
		},
		{
			name: "impossible date",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "reviewed: 2026-02-30", "---"),
			want: []string{`content/scripts/x.md:3: reviewed: want a date like 2026-10-09 or a time like 2026-10-09T15:00:00+08:00, got "2026-02-30"`},
		},
		{
			name: "date as a number",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "lastmod: 20261009", "---"),
			want: []string{`content/scripts/x.md:3: lastmod: want a date like 2026-10-09, got 20261009`},
		},
		{
			name: "review_every unit",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "review_every: 3个月", "---"),
			want: []string{`content/scripts/x.md:3: review_every: want a positive number and a unit d, w, m or y (90d, 6w, 3m, 1y), got "3个月"`},
		},
		{
			name: "review_every zero",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "review_every: 0d", "---"),
			want: []string{`content/scripts/x.md:3: review_every: want a positive number and a unit d, w, m or y (90d, 6w, 3m, 1y), got "0d"`},
		},
		// Quiz.
		{
			name: "quiz answer out of range",
			rel:  "training/x.md",
			src: lines("---", "title: x", "quiz:",
				"  - question: 先报价还是先挖需求？", "    choices: [先报价, 先挖需求]", "    answer: 3", "---"),
			want: []string{`content/training/x.md:4: quiz[1].answer: choice 3 does not exist: there are 2 choices, counted from 1`},
		},
		{
			name: "quiz answer 0 (choices count from 1)",
			rel:  "training/x.md",
			src: lines("---", "title: x", "quiz:",
				"  - question: q1", "    choices: [a, b]", "    answer: 1",
				"  - question: q2", "    choices: [a, b]", "    answer: 0", "---"),
			want: []string{`content/training/x.md:7: quiz[2].answer: want a whole number of at least 1, got 0`},
		},
		{
			name: "quiz answer not a number",
			rel:  "training/x.md",
			src: lines("---", "title: x", "quiz:",
				"  - question: q1", "    choices: [a, b]", "    answer: b", "---"),
			want: []string{`content/training/x.md:4: quiz[1].answer: want a whole number, got "b"`},
		},
		{
			name: "quiz one of several answers out of range",
			rel:  "training/x.md",
			src: lines("---", "title: x", "quiz:",
				"  - question: q1", "    choices: [a, b, c]", "    answer: [1, 4]", "---"),
			want: []string{`content/training/x.md:4: quiz[1].answer: choice 4 does not exist: there are 3 choices, counted from 1`},
		},
		{
			name: "quiz fewer than 2 choices",
			rel:  "training/x.md",
			src: lines("---", "title: x", "quiz:",
				"  - question: q1", "    choices: [只有一个]", "    answer: 1", "---"),
			want: []string{`content/training/x.md:4: quiz[1].choices: want a list of at least 2 choices, got 1`},
		},
		{
			name: "quiz missing question and answer",
			rel:  "training/x.md",
			src: lines("---", "title: x", "quiz:",
				"  - question: q1", "    choices: [a, b]", "    answer: 1",
				"  - choices: [a, b]", "---"),
			want: []string{
				`content/training/x.md:7: quiz[2].answer: required: the number of the right choice, counting from 1 (or a list of numbers)`,
				`content/training/x.md:7: quiz[2].question: required: the text of the question`,
			},
		},
		{
			name: "quiz not a list of entries",
			rel:  "training/x.md",
			src:  lines("---", "title: x", "quiz: 见附件", "---"),
			want: []string{`content/training/x.md:3: quiz: want a list of entries, got "见附件"`},
		},
		{
			name: "unknown field in a quiz question",
			rel:  "training/x.md",
			src: lines("---", "title: x", "quiz:",
				"  - question: q1", "    choices: [a, b]", "    answer: 1", "    hint: 想想看", "---"),
			want: []string{`content/training/x.md:4: quiz[1]: unknown field "hint"; allowed: question, choices, answer, explain`},
		},
		{
			name: "unknown field in an action",
			rel:  "retros/x.md",
			src:  lines("---", "title: x", "actions:", "  - what: 更新报价单", "    who: 王磊", "---"),
			want: []string{`content/retros/x.md:4: actions[1]: unknown field "who"; allowed: what, owner, due, status`},
		},
		// Keys that do not exist.
		{
			name: "near-miss key stage",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "stage: [negotiation]", "---"),
			want: []string{`content/scripts/x.md:3: stage: unknown key; did you mean "stages"?`},
		},
		{
			name: "near-miss short key",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "tag: [价格]", "---"),
			want: []string{`content/scripts/x.md:3: tag: unknown key; did you mean "tags"?`},
		},
		{
			name: "alias of the home page",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "aliases: [/]", "---"),
			want: []string{`content/scripts/x.md:3: aliases: "/" would replace the home page; want a path such as /old/price/`},
		},
		{
			name: "near-miss key differs in case",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "Tags: [价格]", "---"),
			want: []string{`content/scripts/x.md:3: Tags: unknown key; did you mean "tags"?`},
		},
		{
			name: "near-miss key of the type",
			rel:  "cases/x.md",
			src:  lines("---", "title: x", "outcom: won", "---"),
			want: []string{`content/cases/x.md:3: outcom: unknown key; did you mean "outcome"?`},
		},
		{
			name: "duplicate key",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "tags: [a]", "owner: 王磊", "tags: [b]", "---"),
			want: []string{`content/scripts/x.md:5: tags: key is given twice; keep one`},
		},
		// Syntax.
		{
			name: "YAML unclosed flow list",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "", "tags: [价格, 谈判", "owner: 王磊", "---"),
			want: []string{`content/scripts/x.md:4: front matter: invalid YAML: did not find expected ',' or ']'`},
		},
		{
			name: "YAML bad indentation",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "owner: 王磊", "  channel: phone", "---"),
			want: []string{`content/scripts/x.md:4: front matter: invalid YAML: mapping values are not allowed in this context`},
		},
		{
			name: "YAML tab indentation",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "tags:", "\t- 价格", "---"),
			want: []string{`content/scripts/x.md:4: front matter: invalid YAML: found character that cannot start any token`},
		},
		{
			name: "YAML list where a mapping belongs",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "owner: 王磊", "- 价格", "---"),
			want: []string{`content/scripts/x.md:4: front matter: invalid YAML: did not find expected key`},
		},
		{
			name: "YAML not a mapping",
			rel:  "scripts/x.md",
			src:  lines("---", "- a", "- b", "---"),
			want: []string{`content/scripts/x.md:2: front matter: want key: value lines (a YAML mapping)`},
		},
		{
			name: "TOML syntax",
			rel:  "scripts/x.md",
			src:  lines("+++", `title = "x"`, `channel = phone`, "+++"),
			want: []string{`content/scripts/x.md:3: front matter: invalid TOML: expected value but found "phone" instead`},
		},
		{
			name: "TOML field error names its line",
			rel:  "cases/x.md",
			src:  lines("+++", `title = "x"`, `customer = "东林银行"`, `outcome = "maybe"`, "+++"),
			want: []string{`content/cases/x.md:4: outcome: want one of won|lost|open, got "maybe"`},
		},
		{
			name: "JSON syntax",
			rel:  "scripts/x.md",
			src:  lines("{", `  "title": "x",`, `  "owner": 王磊`, "}", "", "正文"),
			want: []string{`content/scripts/x.md:3: front matter: invalid JSON: invalid character 'ç' looking for beginning of value`},
		},
		{
			name: "JSON field error names its line",
			rel:  "scripts/x.md",
			src:  lines("{", `  "title": "x",`, `  "draft": "nah",`, `  "channel": "phone"`, "}", "", "正文"),
			want: []string{`content/scripts/x.md:3: draft: want true or false, got "nah"`},
		},
		{
			name: "YAML front matter never closed",
			rel:  "scripts/x.md",
			src:  lines("", "---", "title: x", "", "正文"),
			want: []string{`content/scripts/x.md:2: front matter: YAML front matter opened here is never closed; end it with a line with only ---`},
		},
		{
			name: "TOML front matter never closed",
			rel:  "scripts/x.md",
			src:  lines("+++", `title = "x"`, "正文"),
			want: []string{`content/scripts/x.md:1: front matter: TOML front matter opened here is never closed; end it with a line with only +++`},
		},
		{
			name: "JSON front matter never closed",
			rel:  "scripts/x.md",
			src:  lines("{", `  "title": "x"`, "", "正文"),
			want: []string{`content/scripts/x.md:1: front matter: JSON front matter opened here is never closed; end it with a line with only }`},
		},
		// Files that are not UTF-8 text.
		{
			name: "NUL byte",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "---", "", "正文\x00"),
			want: []string{`content/scripts/x.md:5: file: binary data (a NUL byte); want UTF-8 markdown text`},
		},
		{
			name: "GBK bytes",
			rel:  "scripts/x.md",
			src:  lines("---", "title: x", "---", "", "", "\xc4\xe3\xc3\xc7\xcc\xab\xb9\xf3\xc1\xcb"), // 你们太贵了 in GBK
			want: []string{`content/scripts/x.md:6: file: not valid UTF-8 (GBK?); save the file as UTF-8`},
		},
		{
			name: "GBK in front matter",
			rel:  "scripts/x.md",
			src:  lines("---", "title: \xbc\xdb\xb8\xf1", "---"), // 价格 in GBK
			want: []string{`content/scripts/x.md:2: file: not valid UTF-8 (GBK?); save the file as UTF-8`},
		},
		// Several problems in one file are all reported, in line order.
		{
			name: "several errors in one file",
			rel:  "cases/acme.md",
			src: lines("---", "deal_size: 一百万", "outcome: maybe", "closed: 昨天",
				"stages: [砍价]", "stage: [closing]", "---"),
			want: []string{
				`content/cases/acme.md:2: deal_size: want a number such as 480000 (or 48万), got "一百万"`,
				`content/cases/acme.md:2: title: required: every page needs a title`,
				`content/cases/acme.md:3: outcome: want one of won|lost|open, got "maybe"`,
				`content/cases/acme.md:4: closed: want a date like 2026-10-09 or a time like 2026-10-09T15:00:00+08:00, got "昨天"`,
				`content/cases/acme.md:5: stages: unknown key "砍价"; want one of prospecting|contact|discovery|proposal|negotiation|closing|onboarding|renewal (set them in playbook.yaml)`,
				`content/cases/acme.md:6: stage: unknown key; did you mean "stages"?`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := content.Parse(tt.rel, []byte(tt.src), testRules(t))
			got := errLines(errs)
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors:\ngot:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			for _, e := range errs {
				if e.Zh() == "" { // a zh-CN site shows every message in Chinese
					t.Errorf("%s: no Chinese text (kind %d)", e, e.Kind)
				}
			}
		})
	}
}

// TestParseErrorValue checks the structured form of an error, which the
// serve overlay and editors use.
func TestParseErrorValue(t *testing.T) {
	_, errs := content.Parse("cases/x.md", []byte(lines("---", "title: x", "outcome: maybe", "---")), testRules(t))
	if len(errs) != 1 {
		t.Fatalf("got %d errors, want 1: %v", len(errs), errs)
	}
	e := errs[0]
	if e.File != "content/cases/x.md" || e.Line != 3 || e.Field != "outcome" || !strings.Contains(e.Msg, `"maybe"`) {
		t.Errorf("got %+v", *e)
	}
	if errs.Err() == nil {
		t.Error("Errors.Err() of a non-empty list is nil")
	}
	if (content.Errors{}).Err() != nil {
		t.Error("Errors.Err() of an empty list is not nil")
	}
}

// TestParseAccepts covers values that look odd but are right.
func TestParseAccepts(t *testing.T) {
	t.Run("Chinese stage and role names stand for their keys", func(t *testing.T) {
		p := mustParse(t, "scripts/x.md", lines("---", "title: x", "stages: [谈判, closing, 谈判]", "roles: [销售代表, CSM]", "---"))
		if want := []string{"negotiation", "closing"}; !slices.Equal(p.Stages, want) {
			t.Errorf("stages = %q, want %q", p.Stages, want)
		}
		if want := []string{"rep", "csm"}; !slices.Equal(p.Roles, want) {
			t.Errorf("roles = %q, want %q", p.Roles, want)
		}
	})
	t.Run("multi-answer quiz", func(t *testing.T) {
		p := mustParse(t, "training/x.md", lines("---", "title: x", "quiz:",
			"  - question: 哪些是决策人？", "    choices: [CFO, 前台, CIO]", "    answer: [1, 3]", "    explain: 前台不拍板",
			"  - question: 单选", "    choices: [a, b]", "    answer: 2", "---"))
		q := p.Training.Quiz
		if len(q) != 2 {
			t.Fatalf("got %d questions, want 2", len(q))
		}
		if !slices.Equal(q[0].Answer, []int{1, 3}) || !q[0].Multi() || q[0].Explain != "前台不拍板" {
			t.Errorf("question 1 = %+v, want answers [1 3], multi, with explain", q[0])
		}
		if !slices.Equal(q[1].Answer, []int{2}) || q[1].Multi() {
			t.Errorf("question 2 = %+v, want answer [2], single", q[1])
		}
	})
	t.Run("deal_size with thousands separators", func(t *testing.T) {
		p := mustParse(t, "cases/x.md", lines("---", "title: x", `deal_size: "1,200,000"`, "---"))
		if p.Case.DealSize != 1200000 {
			t.Errorf("deal_size = %v, want 1200000", p.Case.DealSize)
		}
	})
	t.Run("enums ignore case", func(t *testing.T) {
		p := mustParse(t, "cases/x.md", lines("---", "title: x", "outcome: Won", "---"))
		if p.Case.Outcome != "won" {
			t.Errorf("outcome = %q, want won", p.Case.Outcome)
		}
	})
	t.Run("case defaults", func(t *testing.T) {
		p := mustParse(t, "cases/x.md", lines("---", "title: x", "---"))
		if p.Case.Currency != "CNY" || p.Case.Outcome != "open" {
			t.Errorf("currency, outcome = %q, %q; want CNY, open", p.Case.Currency, p.Case.Outcome)
		}
	})
	t.Run("training defaults", func(t *testing.T) {
		p := mustParse(t, "training/x.md", lines("---", "title: x", "---"))
		if p.Training.Duration != 60 {
			t.Errorf("duration = %d, want 60", p.Training.Duration)
		}
	})
	t.Run("action status defaults to open", func(t *testing.T) {
		p := mustParse(t, "retros/x.md", lines("---", "title: x", "actions:", "  - what: a", "    due: 2026-12-01", "---"))
		a := p.Retro.Actions[0]
		if a.Status != "open" || a.Line != 4 {
			t.Errorf("action = %+v, want status open on line 4", a)
		}
		if want := time.Date(2026, 12, 1, 0, 0, 0, 0, testRules(t).Location); !a.Due.Equal(want) {
			t.Errorf("due = %v, want %v", a.Due, want)
		}
	})
	t.Run("a single text is a list of one", func(t *testing.T) {
		p := mustParse(t, "scripts/x.md", lines("---", "title: x", "tags: 价格", "stages: 谈判", "---"))
		if !slices.Equal(p.Tags, []string{"价格"}) || !slices.Equal(p.Stages, []string{"negotiation"}) {
			t.Errorf("tags, stages = %q, %q", p.Tags, p.Stages)
		}
	})
	t.Run("type overrides the folder", func(t *testing.T) {
		p := mustParse(t, "guides/x.md", lines("---", "title: x", "type: script", "channel: im", "---"))
		if p.Type != "script" || p.Script == nil || p.Script.Channel != "im" {
			t.Errorf("type = %q, script = %+v; want a script with channel im", p.Type, p.Script)
		}
	})
	t.Run("empty front matter still needs a title", func(t *testing.T) {
		_, errs := content.Parse("guides/x.md", []byte(lines("---", "---", "正文")), testRules(t))
		if got := errLines(errs); len(got) != 1 || !strings.Contains(got[0], "title: required") {
			t.Errorf("errors = %q, want one title error", got)
		}
	})
}

// TestParseDates checks that dates without a zone are read in the site's
// zone, and ones with a zone keep it.
func TestParseDates(t *testing.T) {
	shanghai := testRules(t).Location
	tests := []struct {
		value string
		want  time.Time
	}{
		{"2026-10-09", time.Date(2026, 10, 9, 0, 0, 0, 0, shanghai)},
		{"2026-10-09T15:00:00", time.Date(2026, 10, 9, 15, 0, 0, 0, shanghai)},
		{"2026-10-09 15:00", time.Date(2026, 10, 9, 15, 0, 0, 0, shanghai)},
		{"2026/10/09", time.Date(2026, 10, 9, 0, 0, 0, 0, shanghai)},
		{"2026-10-09T15:00:00Z", time.Date(2026, 10, 9, 15, 0, 0, 0, time.UTC)},
		{"2026-10-09T15:00:00+08:00", time.Date(2026, 10, 9, 7, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			for _, src := range []string{
				lines("---", "title: x", "date: "+tt.value, "---"),
				lines("+++", `title = "x"`, `date = "`+tt.value+`"`, "+++"),
			} {
				p := mustParse(t, "scripts/x.md", src)
				if !p.Date.Equal(tt.want) {
					t.Errorf("date %q = %v, want %v", tt.value, p.Date, tt.want)
				}
			}
		})
	}
	t.Run("TOML local date", func(t *testing.T) {
		p := mustParse(t, "scripts/x.md", lines("+++", `title = "x"`, `date = 2026-10-09`, `session = 2026-10-09T15:00:00`, "+++"))
		if want := time.Date(2026, 10, 9, 0, 0, 0, 0, shanghai); !p.Date.Equal(want) {
			t.Errorf("date = %v, want %v", p.Date, want)
		}
	})
}

// TestParseFormats parses one training page written in each front matter
// format and expects the same fields.
func TestParseFormats(t *testing.T) {
	yaml := lines("---",
		"title: 价格谈判",
		"date: 2026-10-09",
		"tags: [谈判, 价格]",
		"stages: [negotiation]",
		"session: 2026-10-16T15:00:00+08:00",
		"duration: 90",
		"audience: [rep]",
		"slides: true",
		"quiz:",
		"  - question: 先让步吗？",
		"    choices: [是, 否]",
		"    answer: 2",
		"---",
		"",
		"## 目标")
	toml := lines("+++",
		`title = "价格谈判"`,
		`date = "2026-10-09"`,
		`tags = ["谈判", "价格"]`,
		`stages = ["negotiation"]`,
		`session = 2026-10-16T15:00:00+08:00`,
		`duration = 90`,
		`audience = ["rep"]`,
		`slides = true`,
		"",
		"[[quiz]]",
		`question = "先让步吗？"`,
		`choices = ["是", "否"]`,
		`answer = 2`,
		"+++",
		"",
		"## 目标")
	json := lines("{",
		`  "title": "价格谈判",`,
		`  "date": "2026-10-09",`,
		`  "tags": ["谈判", "价格"],`,
		`  "stages": ["negotiation"],`,
		`  "session": "2026-10-16T15:00:00+08:00",`,
		`  "duration": 90,`,
		`  "audience": ["rep"],`,
		`  "slides": true,`,
		`  "quiz": [{"question": "先让步吗？", "choices": ["是", "否"], "answer": 2}]`,
		"}",
		"",
		"## 目标")
	shanghai := testRules(t).Location
	for _, tt := range []struct{ format, src string }{{"yaml", yaml}, {"toml", toml}, {"json", json}} {
		t.Run(tt.format, func(t *testing.T) {
			p := mustParse(t, "training/谈判.md", tt.src)
			if p.Format != tt.format || !p.HasFrontMatter {
				t.Errorf("format = %q (front matter %v), want %s", p.Format, p.HasFrontMatter, tt.format)
			}
			if p.Title != "价格谈判" || !slices.Equal(p.Tags, []string{"谈判", "价格"}) || !slices.Equal(p.Stages, []string{"negotiation"}) {
				t.Errorf("title, tags, stages = %q, %q, %q", p.Title, p.Tags, p.Stages)
			}
			if want := time.Date(2026, 10, 9, 0, 0, 0, 0, shanghai); !p.Date.Equal(want) {
				t.Errorf("date = %v, want %v", p.Date, want)
			}
			tr := p.Training
			if want := time.Date(2026, 10, 16, 7, 0, 0, 0, time.UTC); !tr.Session.Equal(want) {
				t.Errorf("session = %v, want %v", tr.Session, want)
			}
			if tr.Duration != 90 || !tr.Slides || !slices.Equal(tr.Audience, []string{"rep"}) {
				t.Errorf("training = %+v", tr)
			}
			if len(tr.Quiz) != 1 || tr.Quiz[0].Question != "先让步吗？" || !slices.Equal(tr.Quiz[0].Answer, []int{2}) {
				t.Errorf("quiz = %+v", tr.Quiz)
			}
			if got := strings.TrimSpace(string(p.Body)); got != "## 目标" {
				t.Errorf("body = %q, want the heading only", got)
			}
			first, _, _ := strings.Cut(string(p.Body), "\n")
			if src := strings.Split(tt.src, "\n"); src[p.BodyLine-1] != first {
				t.Errorf("BodyLine = %d, but that line is %q and the body begins with %q", p.BodyLine, src[p.BodyLine-1], first)
			}
		})
	}
}

// TestParseBOMAndCRLF: files saved by Windows editors parse, and line
// numbers in errors and of the body are those the editor shows.
func TestParseBOMAndCRLF(t *testing.T) {
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	good := lines("---", "title: 价格异议", "tags: [价格]", "---", "", "你们太贵了。")
	bad := lines("---", "title: 价格异议", "", "channel: fax", "---")
	for _, tt := range []struct{ name, prefix string }{{"BOM", "\ufeff"}, {"CRLF", ""}, {"BOM and CRLF", "\ufeff"}} {
		t.Run(tt.name, func(t *testing.T) {
			conv := func(s string) string { return s }
			if strings.Contains(tt.name, "CRLF") {
				conv = crlf
			}
			p := mustParse(t, "scripts/x.md", tt.prefix+conv(good))
			if p.Title != "价格异议" || !slices.Equal(p.Tags, []string{"价格"}) {
				t.Errorf("title, tags = %q, %q", p.Title, p.Tags)
			}
			if strings.ContainsAny(string(p.Body), "\r\ufeff") || strings.TrimSpace(string(p.Body)) != "你们太贵了。" {
				t.Errorf("body = %q", p.Body)
			}
			if p.BodyLine != 5 {
				t.Errorf("BodyLine = %d, want 5", p.BodyLine)
			}
			_, errs := content.Parse("scripts/x.md", []byte(tt.prefix+conv(bad)), testRules(t))
			want := `content/scripts/x.md:4: channel: want one of phone|email|visit|im|meeting, got "fax"`
			if got := errLines(errs); len(got) != 1 || got[0] != want {
				t.Errorf("errors = %q, want %q", got, want)
			}
		})
	}
	t.Run("JSON with BOM", func(t *testing.T) {
		p := mustParse(t, "scripts/x.md", "\ufeff"+crlf(lines("{", `  "title": "x"`, "}", "", "正文")))
		if p.Title != "x" || p.Format != "json" {
			t.Errorf("title, format = %q, %q", p.Title, p.Format)
		}
	})
}

// TestParseWithoutFrontMatter: a plain markdown file is a page titled by its
// first "# " heading, else by its file name.
func TestParseWithoutFrontMatter(t *testing.T) {
	tests := []struct {
		name, rel, src    string
		title, body       string
		path, url, typ    string
		section, slug     string
		isSection, hasFM  bool
		reviewEvery       content.Duration
		titleNotInBodyToo bool
	}{
		{
			name: "first heading", rel: "scripts/价格异议.md",
			src:   lines("# 客户说太贵了", "", "先认同，再拆价值。"),
			title: "客户说太贵了", body: "先认同，再拆价值。",
			path: "scripts/价格异议", url: "/scripts/价格异议/", typ: "script", section: "scripts", slug: "价格异议",
			reviewEvery: 90,
		},
		{
			name: "heading after an intro, with closing hashes", rel: "guides/faq.md",
			src:   lines("引言。", "", "#  常见问题 ##", "", "内容"),
			title: "常见问题", body: "引言。\n\n\n\n内容",
			path: "guides/faq", url: "/guides/faq/", typ: "page", section: "guides", slug: "faq",
		},
		{
			name: "level-2 heading is not a title", rel: "guides/术语表.md",
			src:   lines("## 术语", "", "ARR：年度经常性收入"),
			title: "术语表", body: "## 术语\n\nARR：年度经常性收入",
			path: "guides/术语表", url: "/guides/术语表/", typ: "page", section: "guides", slug: "术语表",
		},
		{
			name: "hash without a space is not a heading", rel: "cases/东林银行.md",
			src:   lines("#标签", "正文"),
			title: "东林银行", body: "#标签\n正文",
			path: "cases/东林银行", url: "/cases/东林银行/", typ: "case", section: "cases", slug: "东林银行",
			reviewEvery: 365,
		},
		{
			name: "file at the root", rel: "关于.md",
			src:   lines("正文"),
			title: "关于", body: "正文",
			path: "关于", url: "/关于/", typ: "page", section: "", slug: "关于",
		},
		{
			name: "section index", rel: "cases/_index.md",
			src:   lines("全部案例。"),
			title: "cases", body: "全部案例。",
			path: "cases/_index", url: "/cases/", typ: "case", section: "cases", slug: "", isSection: true,
			reviewEvery: 365,
		},
		{
			name: "nested folder keeps the first folder's type", rel: "training/新人/第一周.md",
			src:   lines("# 第一周", "内容"),
			title: "第一周", body: "内容",
			path: "training/新人/第一周", url: "/training/新人/第一周/", typ: "training", section: "training", slug: "第一周",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.rel, tt.src)
			if p.Title != tt.title {
				t.Errorf("title = %q, want %q", p.Title, tt.title)
			}
			if got := strings.TrimSpace(string(p.Body)); got != tt.body {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
			if p.Path != tt.path || p.URL != tt.url || p.Type != tt.typ || p.Section != tt.section || p.Slug != tt.slug || p.IsSection != tt.isSection {
				t.Errorf("path, url, type, section, slug, isSection = %q, %q, %q, %q, %q, %v; want %q, %q, %q, %q, %q, %v",
					p.Path, p.URL, p.Type, p.Section, p.Slug, p.IsSection, tt.path, tt.url, tt.typ, tt.section, tt.slug, tt.isSection)
			}
			if p.HasFrontMatter || p.Format != "" {
				t.Errorf("HasFrontMatter, Format = %v, %q; want none", p.HasFrontMatter, p.Format)
			}
			if p.File != "content/"+tt.rel {
				t.Errorf("File = %q", p.File)
			}
			if p.ReviewEvery != tt.reviewEvery {
				t.Errorf("ReviewEvery = %v, want the type's default %v", p.ReviewEvery, tt.reviewEvery)
			}
			// Typed sections get their typed fields, with defaults, all the same.
			switch tt.typ {
			case "case":
				if p.Case == nil || p.Case.Currency != "CNY" || p.Case.Outcome != "open" {
					t.Errorf("Case = %+v, want defaults", p.Case)
				}
			case "training":
				if p.Training == nil || p.Training.Duration != 60 {
					t.Errorf("Training = %+v, want defaults", p.Training)
				}
			case "script":
				if p.Script == nil {
					t.Error("Script = nil")
				}
			}
		})
	}
}

// TestParseHeadingInCodeIsNotATitle: a "# comment" inside a fenced code
// block of a page without front matter is code, not the page's title.
func TestParseHeadingInCodeIsNotATitle(t *testing.T) {
	src := lines("安装步骤：", "", "```sh", "# 先装依赖", "make deps", "```", "", "# 安装指南", "", "正文")
	p := mustParse(t, "guides/install.md", src)
	if p.Title != "安装指南" {
		t.Errorf("title = %q, want 安装指南 (the first heading outside code)", p.Title)
	}
	if !strings.Contains(string(p.Body), "# 先装依赖") {
		t.Errorf("the code block lost its comment line:\n%s", p.Body)
	}
	if strings.Contains(string(p.Body), "# 安装指南") {
		t.Errorf("the title heading is still in the body:\n%s", p.Body)
	}
}

// TestParseLocation covers slugs and Chinese file names.
func TestParseLocation(t *testing.T) {
	tests := []struct {
		rel, src  string
		slug, url string
	}{
		{"scripts/你们太贵了.md", lines("---", "title: x", "---"), "你们太贵了", "/scripts/你们太贵了/"},
		{"scripts/你们太贵了.md", lines("---", "title: x", "slug: taigui", "---"), "taigui", "/scripts/taigui/"},
		{"guides/a/b.md", lines("---", "title: x", "slug: 报价", "---"), "报价", "/guides/a/报价/"},
		{"cases/_index.md", lines("---", "title: 案例", "slug: ignored", "---"), "", "/cases/"},
		{"_index.md", lines("---", "title: 首页", "---"), "", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.rel+" "+tt.slug, func(t *testing.T) {
			p := mustParse(t, tt.rel, tt.src)
			if p.Slug != tt.slug || p.URL != tt.url {
				t.Errorf("slug, url = %q, %q; want %q, %q", p.Slug, p.URL, tt.slug, tt.url)
			}
		})
	}
	t.Run("bad slugs", func(t *testing.T) {
		for _, slug := range []string{`"a/b"`, `"有 空格"`, `"a?b"`, `".."`} {
			_, errs := content.Parse("scripts/x.md", []byte(lines("---", "title: x", "slug: "+slug, "---")), testRules(t))
			if got := errLines(errs); len(got) != 1 || !strings.HasPrefix(got[0], "content/scripts/x.md:3: slug: want a single URL segment") {
				t.Errorf("slug %s: errors = %q", slug, got)
			}
		}
	})
	t.Run("aliases", func(t *testing.T) {
		p := mustParse(t, "scripts/x.md", lines("---", "title: x", "aliases: [/old/price, old/价格/, /a/b/]", "---"))
		if want := []string{"/old/price/", "/old/价格/", "/a/b/"}; !slices.Equal(p.Aliases, want) {
			t.Errorf("aliases = %q, want %q", p.Aliases, want)
		}
		_, errs := content.Parse("scripts/x.md", []byte(lines("---", "title: x", "aliases:", "  - https://evil.example/", "  - ../../etc", "---")), testRules(t))
		if got := errLines(errs); len(got) != 2 || !strings.HasPrefix(got[0], "content/scripts/x.md:4: aliases: want a site path") || !strings.HasPrefix(got[1], "content/scripts/x.md:5: aliases:") {
			t.Errorf("errors = %q", got)
		}
	})
}

// TestParseExtra: keys outside the contract are kept for themes, with their
// values as written.
func TestParseExtra(t *testing.T) {
	p := mustParse(t, "scripts/x.md", lines("---", "title: x", "color: red", "priority: 3", "meta:", "  source: 微信群", "---"))
	if p.Extra["color"] != "red" || p.Extra["priority"] != int64(3) {
		t.Errorf("Extra = %#v", p.Extra)
	}
	if m, ok := p.Extra["meta"].(map[string]any); !ok || m["source"] != "微信群" {
		t.Errorf("Extra[meta] = %#v", p.Extra["meta"])
	}
	if _, ok := p.Extra["title"]; ok {
		t.Error("a contract key leaked into Extra")
	}
	p = mustParse(t, "scripts/x.md", lines("---", "title: x", "---"))
	if p.Extra != nil {
		t.Errorf("Extra = %#v, want nil without extra keys", p.Extra)
	}
	// A case's own key on another type is not a typo of a contract key, so it is kept.
	p = mustParse(t, "scripts/x.md", lines("---", "title: x", "customer: 东林银行", "---"))
	if p.Extra["customer"] != "东林银行" {
		t.Errorf("Extra = %#v", p.Extra)
	}
}

// TestPageLine is what site-level errors use to point at a key.
func TestPageLine(t *testing.T) {
	p := mustParse(t, "cases/x.md", lines("", "---", "title: x", "", "competitors:", "  - competitors/a", "---"))
	if got := p.Line("competitors"); got != 5 {
		t.Errorf("Line(competitors) = %d, want 5", got)
	}
	if got := p.Line("slug"); got != 1 {
		t.Errorf("Line(slug) = %d, want 1 for a key that is not there", got)
	}
}

// TestVisible checks the publishing rules against a fixed clock.
func TestVisible(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name                     string
		fm                       string
		plain, d, f, e, allThree bool
	}{
		{"published", "date: 2026-01-01", true, true, true, true, true},
		{"draft", "draft: true", false, true, false, false, true},
		{"future", "publishDate: 2026-12-01", false, false, true, false, true},
		{"published earlier today", "publishDate: 2026-11-23T08:00:00Z", true, true, true, true, true},
		{"expired", "expiryDate: 2026-11-01", false, false, false, true, true},
		{"expires later", "expiryDate: 2027-01-01", true, true, true, true, true},
		{"expires exactly now", "expiryDate: 2026-11-23T12:00:00Z", false, false, false, true, true},
		{"future draft", "draft: true\npublishDate: 2027-01-01", false, false, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, "scripts/x.md", "---\ntitle: x\n"+tt.fm+"\n---\n")
			got := []bool{p.Visible(now, false, false, false), p.Visible(now, true, false, false),
				p.Visible(now, false, true, false), p.Visible(now, false, false, true), p.Visible(now, true, true, true)}
			want := []bool{tt.plain, tt.d, tt.f, tt.e, tt.allThree}
			if !slices.Equal(got, want) {
				t.Errorf("visible (none, -D, -F, -E, all) = %v, want %v", got, want)
			}
		})
	}
}
