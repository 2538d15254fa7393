package markdown

import (
	"bytes"
	"strconv"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// headingIDs makes readable, unique IDs that keep Chinese: "## 价格异议 FAQ"
// becomes "价格异议-faq", and a second one "价格异议-faq-1". goldmark's own
// generator drops every non-ASCII byte, which leaves Chinese headings as
// "heading", "heading-1", …
type headingIDs struct {
	used map[string]bool
	// next is the suffix to try first for a base: without it the n-th of n
	// identical headings tries n-1 taken IDs, and a page of them takes the
	// square of its length.
	next map[string]int
}

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, next: map[string]int{}}
}

// Slugify lowercases s, keeps letters and digits of any script, and joins
// words with "-". Playbook uses it for heading IDs and taxonomy URLs.
func Slugify(s string) string {
	var b bytes.Buffer
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

func (ids *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := Slugify(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	if ids.used[id] {
		i := max(ids.next[base], 1)
		for id = base + "-" + strconv.Itoa(i); ids.used[id]; id = base + "-" + strconv.Itoa(i) {
			i++
		}
		ids.next[base] = i + 1
	}
	ids.used[id] = true
	return []byte(id)
}

func (ids *headingIDs) Put(value []byte) { ids.used[string(value)] = true }
