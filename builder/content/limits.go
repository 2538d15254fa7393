package content

import (
	"maps"
	"slices"
)

// Limits of front matter. Real front matter is a few hundred bytes to a few
// kilobytes, two to four levels deep, and rarely uses a YAML alias. The
// limits sit far above that and far below what makes a build slow or large,
// so a file written to exhaust memory — a YAML "billion laughs" of nested
// aliases, a list nested 50,000 deep — is an error naming its file, line and
// field instead. docs/content-model.md §3 lists them for authors.
const (
	// MaxFrontMatterSize is the most bytes a front matter block may hold;
	// a larger one is refused before it is decoded.
	MaxFrontMatterSize = 256 << 10
	// MaxFrontMatterDepth is how deeply lists and mappings may nest. The
	// front matter itself is level 1, a quiz list level 2, a question
	// level 3 and its choices level 4.
	MaxFrontMatterDepth = 32
	// MaxAliasValues is how many values YAML aliases (*name) may copy into
	// one file's front matter, counting the values inside copied lists and
	// mappings, and aliases within them, each time they are copied.
	MaxAliasValues = 10_000
)

// checkSize refuses a front matter block over MaxFrontMatterSize.
func (m *matter) checkSize(data []byte) error {
	if len(data) <= MaxFrontMatterSize {
		return nil
	}
	return NewError("", m.start, "front matter", KindMatterTooBig, (len(data)+1023)>>10, MaxFrontMatterSize>>10)
}

// depthError is the error for a value nested deeper than MaxFrontMatterDepth.
func (m *matter) depthError(line int, field string) error {
	return NewError("", line, field, KindTooDeep, MaxFrontMatterDepth, MaxFrontMatterDepth)
}

// checkDepth refuses decoded TOML or JSON values that nest deeper than
// MaxFrontMatterDepth, naming the first such key in sorted order.
func (m *matter) checkDepth(values map[string]any) error {
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if tooDeep(values[k], 2) {
			return m.depthError(m.lineOf(k), k)
		}
	}
	return nil
}

// lineOf is the line of a top-level key, or the first line of the block.
func (m *matter) lineOf(key string) int {
	if l, ok := m.lines[key]; ok {
		return l
	}
	return m.start
}

// tooDeep reports whether v, found at nesting level depth, holds lists or
// mappings past MaxFrontMatterDepth. It stops at the limit, so its own
// recursion stays shallow whatever the input.
func tooDeep(v any, depth int) bool {
	var items []any
	switch x := v.(type) {
	case map[string]any:
		items = slices.Collect(maps.Values(x))
	case []any:
		items = x
	case []map[string]any: // TOML arrays of tables
		for _, e := range x {
			items = append(items, e)
		}
	default:
		return false
	}
	if depth > MaxFrontMatterDepth {
		return true
	}
	for _, e := range items {
		if tooDeep(e, depth+1) {
			return true
		}
	}
	return false
}
