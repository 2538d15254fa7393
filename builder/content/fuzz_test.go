package content_test

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
)

// FuzzParse feeds arbitrary files to Parse. It must never panic, and its
// answer must be coherent: a page or errors, every error located in the
// file, and a page without errors holds only values within the limits.
// Seeds: the cases below, the sample site's pages and, when fuzzing, the
// markdown files under $PLAYBOOK_CORPUS, read in place.
//
//	make fuzz   # or: go test ./builder/content -run '^$' -fuzz FuzzParse -fuzztime 60s
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
	for rel, src := range siteSeeds(f) {
		f.Add(rel, src)
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
		if p != nil && len(errs) == 0 {
			checkWithinLimits(t, p)
		}
	})
}

// checkWithinLimits fails for a value of p past the ranges of ranges.go.
func checkWithinLimits(t *testing.T, p *content.Page) {
	t.Helper()
	for _, terms := range [][]string{p.Tags, p.Industries, p.Regions} {
		if len(terms) > content.MaxTerms {
			t.Fatalf("%d terms", len(terms))
		}
	}
	dates := []time.Time{p.Date, p.Lastmod, p.PublishDate, p.ExpiryDate, p.Reviewed}
	if p.Training != nil {
		dates = append(dates, p.Training.Session)
		if d := p.Training.Duration; d < 1 || d > content.MaxSessionMinutes {
			t.Fatalf("duration %d", d)
		}
	}
	for _, d := range dates {
		if !d.IsZero() && (d.Year() < content.MinYear || d.Year() > content.MaxYear) {
			t.Fatalf("date %v", d)
		}
	}
	if p.ReviewEvery < 0 || p.ReviewEvery > content.MaxDuration {
		t.Fatalf("review_every %v", p.ReviewEvery)
	}
	if _, err := json.Marshal(p.Extra); err != nil {
		t.Fatalf("custom keys the API cannot write: %v", err)
	}
}

// siteSeeds are the sample site's pages, by content path, and when
// fuzzing the markdown files under $PLAYBOOK_CORPUS as pages of guides/.
func siteSeeds(f *testing.F) map[string]string {
	out := map[string]string{}
	root := filepath.Join("..", "..", "content")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if rel, _ := filepath.Rel(root, p); err == nil && strings.HasSuffix(p, ".md") {
			if b, err := os.ReadFile(p); err == nil {
				out[filepath.ToSlash(rel)] = string(b)
			}
		}
		return nil
	})
	if len(out) == 0 {
		f.Fatal("no pages in the sample site")
	}
	fl := flag.Lookup("test.fuzz")
	if dir := os.Getenv("PLAYBOOK_CORPUS"); dir != "" && fl != nil && fl.Value.String() != "" {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
					out["guides/"+filepath.Base(p)] = string(b)
				}
			}
			return nil
		})
	}
	return out
}
