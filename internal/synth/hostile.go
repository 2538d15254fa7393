package synth

import (
	"fmt"
	"strings"
)

// A Hostile input is a page body that costs the markdown renderer (or a
// step after it) more per byte than prose does: the shapes that made a
// build take minutes or gigabytes before they were bounded, and those
// that still cost the most. Body returns about size bytes of it.
type Hostile struct {
	Name string
	Body func(size int) []byte
}

// HostileInputs lists the pathological bodies, the costliest first: each
// is measured by the markdown benchmarks and built at the page size limit
// by the builder's tests.
var HostileInputs = []Hostile{
	{"code blocks", repeat("```go\nfunc main() { fmt.Println(\"价格\") }\n```\n\n")},
	{"underscores", repeat("_a")},
	{"identical headings", repeat("## 概况\n\n")},
	{"definition lists", repeat("术语\n: 定义\n\n")},
	{"emphasis", repeat("*a **b _c ")},
	{"footnotes", footnotes},
	{"table", table},
	{"deep lists", repeat(strings.Repeat("- ", 1000) + "x\n")},
	{"deep quotes", repeat(strings.Repeat(">", 1000) + " x\n")},
	{"one line of quotes", repeat("> ")},
	{"unclosed brackets", repeat("[")},
	{"nested brackets", nested("[", "]")},
	{"unclosed link destinations", repeat("[a](")},
	{"unclosed <destinations>", repeat("[a](<")},
	{"link reference definitions", numbered("[r%d]: /u\n")},
	{"images on lines", repeat("![](x.png)\n")},
	{"unknown code languages", repeat("```mermaid\nx\n```\n")},
	{"one-cell rows under a wide header", paddedTable},
	{"uses of a long reference", references},
	{"one long line", repeat("价格异议处理 *先认同* 再拆 `价值` ")},
}

func repeat(unit string) func(int) []byte {
	return func(size int) []byte {
		return []byte(strings.Repeat(unit, max(1, size/len(unit))))
	}
}

func numbered(format string) func(int) []byte {
	return func(size int) []byte {
		var b strings.Builder
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, format, i)
		}
		return []byte(b.String())
	}
}

func nested(open, close string) func(int) []byte {
	return func(size int) []byte {
		n := size / (len(open) + len(close))
		return []byte(strings.Repeat(open, n) + strings.Repeat(close, n))
	}
}

func footnotes(size int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "正文[^%d]\n\n[^%d]: 注释\n\n", i, i)
	}
	return []byte(b.String())
}

func table(size int) []byte {
	head := "| 异议 | 回应 | 链接 |\n|---|---|---|\n"
	row := "| 价格 | **先认同** | [x](y) |\n"
	return []byte(head + strings.Repeat(row, max(1, (size-len(head))/len(row))))
}

func paddedTable(size int) []byte {
	head := strings.Repeat("|a", 5000) + "|\n" + strings.Repeat("|-", 5000) + "|\n"
	return []byte(head + strings.Repeat("|x|\n", max(1, (size-len(head))/4)))
}

func references(size int) []byte {
	def := "[a]: /" + strings.Repeat("x", 50000) + "\n\n"
	return []byte(def + strings.Repeat("[a] ", max(1, (size-len(def))/4)))
}
