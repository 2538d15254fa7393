package content

import (
	"cmp"
	"fmt"
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
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// Errors is every problem of one build, sorted by file and line.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
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
	return es
}
