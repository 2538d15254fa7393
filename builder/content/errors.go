package content

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Error is a problem an author must fix, located at a file, line and field.
// It prints as "content/x.md:3: outcome: want won|lost|open, got "maybe"".
type Error struct {
	File  string
	Line  int
	Field string // front matter key, "front matter", "link", "file", …
	Msg   string // what is wrong and what is allowed
	// Target is the content path of the missing page a link or reference
	// names ("cases/acme"): when that page's own file has an error, this
	// one is a knock-on of it and Err folds it under that cause.
	Target  string
	KnockOn Errors // errors that only follow from this one, folded by Err
	Kind    Kind   // which row of the message table Msg comes from
	Args    []any  // the values in Msg, for the Chinese text of Kind
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// Errors is every problem of one build: causes first, then the rest by
// file and line, each cause with its knock-on errors folded under it.
type Errors []*Error

func (es Errors) Error() string {
	return es.text(true, false)
}

// Text is es as the CLI prints it for a site in language lang: each error
// on one line as Error prints it (tools parse these lines); on a zh site
// each line with a Chinese text is followed by that text, indented and
// marked with ↳, so that no such line starts like an error line.
func (es Errors) Text(lang string) string {
	return es.text(IsZh(lang), IsZh(lang))
}

func (es Errors) text(zhSummary, zhLines bool) string {
	var b strings.Builder
	line := func(e *Error, indent string) {
		b.WriteString(indent + e.Error())
		if zh := e.ZhLine(); zhLines && zh != "" {
			b.WriteString("\n" + indent + "    ↳ " + zh)
		}
	}
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		line(e, "")
		if n := len(e.KnockOn); n > 0 {
			fmt.Fprintf(&b, "\n    %s:", KnockOnSummary(n, zhSummary))
			for _, k := range e.KnockOn {
				b.WriteByte('\n')
				line(k, "      ")
			}
		}
	}
	return b.String()
}

// KnockOnSummary says how many links fail because a page did not parse:
// in Chinese with the English kept for search when zh is set.
func KnockOnSummary(n int, zh bool) string {
	en := fmt.Sprintf("%d %s to this page", n, map[bool]string{true: "link", false: "links"}[n == 1])
	if !zh {
		return en
	}
	return fmt.Sprintf("%d 处链接指向此页 (%s)", n, en)
}

// Total counts every error, folded knock-on errors too.
func (es Errors) Total() int {
	n := 0
	for _, e := range es {
		n += 1 + len(e.KnockOn)
	}
	return n
}

// Sort orders errors by file, then line, then field.
func (es Errors) Sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Field, b.Field))
	})
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	es.Sort()
	return es.fold()
}

// fold moves every error that names a missing page whose own file has an
// error under the first error of that file, and lists those causes first:
// one typo in front matter then reads as one problem, not nine.
func (es Errors) fold() Errors {
	causes := map[string]*Error{}
	for _, e := range es {
		if p, ok := contentPath(e.File); ok && causes[p] == nil && e.Target == "" {
			causes[p] = e
		}
	}
	var top Errors
	for _, e := range es {
		c := causes[strings.TrimSuffix(e.Target, "/_index")]
		if e.Target != "" && c != nil && c != e {
			c.KnockOn = append(c.KnockOn, e)
			continue
		}
		top = append(top, e)
	}
	slices.SortStableFunc(top, func(a, b *Error) int {
		return cmp.Compare(min(len(b.KnockOn), 1), min(len(a.KnockOn), 1))
	})
	return top
}

// contentPath is the content path of a content file: "content/cases/a.md"
// → "cases/a".
func contentPath(file string) (string, bool) {
	rel, ok := strings.CutPrefix(file, "content/")
	if !ok || !strings.EqualFold(path.Ext(rel), ".md") {
		return "", false
	}
	return strings.TrimSuffix(rel[:len(rel)-len(path.Ext(rel))], "/_index"), true
}
