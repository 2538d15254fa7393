package content

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// verbs are the fmt verbs of a format, in order ("%%" is not one).
var verbs = regexp.MustCompile(`%%|%[-+# 0-9.]*[a-zA-Z]`)

func verbsOf(format string) []string {
	var out []string
	for _, v := range verbs.FindAllString(format, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// Every kind of message has a Chinese text that takes the same values in
// the same order as its English one: a new kind without one fails here.
func TestEveryKindHasChinese(t *testing.T) {
	for k := KindOther + 1; k < kindCount; k++ {
		m := messages[k]
		t.Run(m.en, func(t *testing.T) {
			if m.en == "" || m.zh == "" {
				t.Fatalf("kind %d: English %q, Chinese %q; want both", k, m.en, m.zh)
			}
			if !strings.ContainsFunc(m.zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("kind %d: %q is not Chinese", k, m.zh)
			}
			if en, zh := verbsOf(m.en), verbsOf(m.zh); !slices.Equal(en, zh) {
				t.Errorf("kind %d: English takes %v, Chinese %v", k, en, zh)
			}
		})
	}
}

// Every Kind constant is declared before kindCount, so it has a row in
// the table that TestEveryKindHasChinese checks.
func TestEveryKindIsInTheTable(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "messages.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ended := false
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for _, name := range vs.Names {
			switch {
			case name.Name == "kindCount":
				ended = true
			case ended && strings.HasPrefix(name.Name, "Kind"):
				t.Errorf("%s is declared after kindCount: it has no row in the message table", name.Name)
			}
		}
		return true
	})
	if !ended {
		t.Fatal("kindCount is not declared in messages.go")
	}
}

// On a zh-CN site each error line is followed by its Chinese text, in a
// line no tool takes for an error line; on an English site nothing is
// added, and the knock-on count is English only.
func TestErrorsText(t *testing.T) {
	cause := NewError("content/scripts/price.md", 3, "front matter", KindInvalidSyntax, "YAML", "did not find expected key")
	knock := NewError("content/cases/a.md", 5, "related", KindRefMissing, "scripts/price", "scripts/a")
	knock.Target = "scripts/price"
	other := NewError("content/cases/a.md", 3, "outcome", KindWantOneOf, "won|lost|open", "赢单")
	plain := &Error{File: "content/x.md", Line: 1, Field: "file", Msg: "cannot read: permission denied"}
	errs := Errors{knock, other, cause, plain}.Err().(Errors)
	tests := []struct {
		lang string
		want string
	}{
		{"zh-CN", `content/scripts/price.md:3: front matter: invalid YAML: did not find expected key
    ↳ 前置信息 front matter：YAML 格式有误：did not find expected key
    1 处链接指向此页 (1 link to this page):
      content/cases/a.md:5: related: "scripts/price" does not exist; want the content path of a page without .md, such as scripts/a
          ↳ 相关页面 related："scripts/price" 不存在；应为页面的内容路径（不带 .md），例如 scripts/a
content/cases/a.md:3: outcome: want one of won|lost|open, got "赢单"
    ↳ 结果 outcome：应为 won|lost|open 之一，实际是 "赢单"
content/x.md:1: file: cannot read: permission denied`},
		{"en", `content/scripts/price.md:3: front matter: invalid YAML: did not find expected key
    1 link to this page:
      content/cases/a.md:5: related: "scripts/price" does not exist; want the content path of a page without .md, such as scripts/a
content/cases/a.md:3: outcome: want one of won|lost|open, got "赢单"
content/x.md:1: file: cannot read: permission denied`},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			if got := errs.Text(tc.lang); got != tc.want {
				t.Errorf("Text(%q):\n%s\nwant:\n%s", tc.lang, got, tc.want)
			}
		})
	}
	if got := errs.Text("zh-CN"); !strings.Contains(got, errs[0].Error()) {
		t.Error("the English line is not kept on a zh site")
	}
}

func TestFieldZh(t *testing.T) {
	for field, want := range map[string]string{
		"outcome": "结果 outcome", "quiz[2].answer": "答案 quiz[2].answer", "actions[1]": "行动项 actions[1]",
		"front matter": "前置信息 front matter", "custom_key": "custom_key", "x.y": "x.y",
	} {
		t.Run(field, func(t *testing.T) {
			if got := FieldZh(field); got != want {
				t.Errorf("FieldZh(%q) = %q, want %q", field, got, want)
			}
		})
	}
}

// The Chinese text of errors from real pages, values and all.
func TestZhOfParsedPages(t *testing.T) {
	tests := []struct {
		name, rel, src, want string
	}{
		{"a list where one value belongs", "scripts/a.md", "---\ntitle: A\nowner: [王磊, 陈静]\n---\n", "负责人 owner：应为单个值，实际是 列表"},
		{"GBK", "scripts/b.md", "---\ntitle: \xc4\xe3\xba\xc3\n---\n", "文件 file：不是 UTF-8 编码（可能是 GBK）；请把文件另存为 UTF-8"},
		{"review period", "scripts/c.md", "---\ntitle: C\nreview_every: 3个月\n---\n", `审阅周期 review_every：应为正数加单位 d、w、m 或 y（90d、6w、3m、1y），实际是 "3个月"`},
		{"date", "cases/d.md", "---\ntitle: D\nclosed: 下周五\n---\n", `结单日期 closed：应为日期（如 2026-10-09）或时间（如 2026-10-09T15:00:00+08:00），实际是 "下周五"`},
		{"alias with a bare %", "scripts/e.md", "---\ntitle: E\naliases: [/100%/]\n---\n", `别名 aliases：应为本站路径，例如 /old/price/，实际是 "/100%/"（% 只能用于 %20 这样的转义）`},
		{"quiz answer", "training/f.md", "---\ntitle: F\nquiz:\n  - question: Q\n    choices: [a, b, c]\n    answer: 4\n---\n", "答案 quiz[1].answer：没有第 4 个选项：共有 3 个选项，从 1 数起"},
		{"unclosed", "scripts/g.md", "---\ntitle: G\n", "前置信息 front matter：YAML 前置信息从这里开始，却没有结束；请在其后加一行，只写 ---"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Parse(tc.rel, []byte(tc.src), &Rules{Location: time.UTC})
			if len(errs) != 1 {
				t.Fatalf("errors: %v, want one", errs)
			}
			if got := errs[0].ZhLine(); got != tc.want {
				t.Errorf("ZhLine() = %q, want %q (English: %s)", got, tc.want, errs[0])
			}
		})
	}
}
