package content_test

import (
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder/content"
)

// FuzzParse feeds arbitrary files to Parse. It must never panic, and its
// answer must be coherent: a page or errors, every error located in the file.
//
//	go test ./builder/content -fuzz FuzzParse -fuzztime 30s
func FuzzParse(f *testing.F) {
	seeds := []string{
		lines("---", "title: 你们太贵了", "channel: visit", "objection: 你们太贵了", "stages: [谈判, closing]",
			"roles: [rep]", "tags: [价格]", "reviewed: 2026-10-09", "review_every: 90d", "---", "", "先认同，再拆价值。"),
		lines("---", "title: 东林银行", "customer: 东林银行", "deal_size: 480000", "outcome: won", "cycle_days: 95",
			"closed: 2026-09-30", "competitors: [competitors/星图crm]", "---", "", "## 背景"),
		lines("+++", `title = "价格谈判"`, `session = 2026-10-16T15:00:00+08:00`, "[[quiz]]",
			`question = "q"`, `choices = ["a", "b"]`, `answer = [1, 2]`, "+++", "正文"),
		lines("{", `  "title": "复盘",`, `  "actions": [{"what": "a", "due": "2026-12-01", "status": "open"}]`, "}", "", "正文"),
		lines("# 没有 front matter", "", "正文"),
		"\ufeff---\r\ntitle: x\r\n---\r\n",
		lines("---", "title: x", "quiz:", "  - question: q", "    choices: [a]", "    answer: 0", "    hint: x", "---"),
		lines("---", "a: &x [1, 2]", "b: *x", "title: *x", "---"),
		"---\n",
		"{\n",
		"\ufeff\ufeff---\rtitle: x\raliases: [/a/, /a/]\r---\rbody",
		lines("{", `  "title": "x"`, "} body"),
		lines("---", "a: &a [1, 1, 1]", "b: &b [*a, *a, *a]", "c: [*b, *b, *b]", "title: x", "---"),
	}
	for _, s := range seeds {
		f.Add("scripts/x.md", s)
		f.Add("training/x.md", s)
	}
	rules := testRules(f)
	f.Fuzz(func(t *testing.T, rel string, src string) {
		if rel == "" || strings.Contains(rel, "\x00") {
			return
		}
		p, errs := content.Parse(rel, []byte(src), rules)
		if p == nil && len(errs) == 0 {
			t.Fatal("no page and no errors")
		}
		nlines := strings.Count(string(content.Normalize([]byte(src))), "\n") + 1
		for _, e := range errs {
			if e.File != "content/"+rel || e.Line < 1 || e.Line > nlines || e.Field == "" || e.Msg == "" {
				t.Fatalf("bad error %+v for a file of %d lines", *e, nlines)
			}
		}
		if p != nil && (p.BodyLine < 1 || p.BodyLine > nlines+1) {
			t.Fatalf("BodyLine %d outside a file of %d lines", p.BodyLine, nlines)
		}
	})
}
