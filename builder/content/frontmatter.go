package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"go.yaml.in/yaml/v3"
)

// matter is decoded front matter: plain Go values (strings, int64, float64,
// bool, []any, map[string]any, nil) and the line of every key. Dates stay
// strings so they are read in the site's time zone, not as UTC.
type matter struct {
	format string
	values map[string]any
	lines  map[string]int // "key" and "key.N" (list items, 0-based) → file line
	start  int            // file line on which the decoded text begins
	open   int            // file line of the opening ---, +++ or {

	aliased int  // YAML values copied by aliases so far (MaxAliasValues)
	inAlias bool // decoding the copy of an alias, already counted
}

// splitFrontMatter separates front matter from the body of src (already
// normalised: see Normalize). It returns a nil matter when the file has none.
func splitFrontMatter(src []byte) (*matter, []byte, error) {
	open, line, off := firstLine(src)
	m := &matter{lines: map[string]int{}, open: line}
	var formats []*frontmatter.Format
	switch {
	case open == "---":
		m.format, m.start = "yaml", line+1
		formats = []*frontmatter.Format{frontmatter.NewFormat("---", "---", m.limited(m.decodeYAML))}
	case open == "+++":
		m.format, m.start = "toml", line+1
		formats = []*frontmatter.Format{frontmatter.NewFormat("+++", "+++", m.limited(m.decodeTOML))}
	case open == "{":
		m.format, m.start = "json", line
		body, err := m.splitJSON(src[off:])
		return m, body, err
	default:
		return nil, src, nil
	}
	body, err := frontmatter.Parse(bytes.NewReader(src), m, formats...)
	if err != nil {
		return nil, nil, err
	}
	if m.values == nil {
		return nil, nil, m.neverClosed()
	}
	// The body is kept for the whole build; it shares the parser's read
	// buffer, up to twice the file's size: a copy keeps its bytes alone.
	return m, bytes.Clone(body), nil
}

func (m *matter) neverClosed() error {
	closer := map[string]string{"yaml": "---", "toml": "+++", "json": "}"}[m.format]
	return NewError("", m.open, "front matter", KindNeverClosed, strings.ToUpper(m.format), closer)
}

// limited wraps a decoder with the size limit, checked before decoding.
func (m *matter) limited(decode func([]byte, any) error) func([]byte, any) error {
	return func(data []byte, v any) error {
		if err := m.checkSize(data); err != nil {
			return err
		}
		return decode(data, v)
	}
}

// closerRE finds a line with only }, which a JSON front matter that is
// not closed at all lacks.
var closerRE = regexp.MustCompile(`(?m)^\s*}\s*$`)

// splitJSON reads JSON front matter as Hugo does: src starts with the
// opening {, and the object ends at the } that matches it, found by the
// JSON scanner (so braces inside strings do not count). The body begins
// after that }: on its line, or on the next line when nothing follows it.
func (m *matter) splitJSON(src []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || !closerRE.Match(src) {
			return nil, m.neverClosed()
		}
		return nil, m.jsonError(src, err)
	}
	end := int(dec.InputOffset())
	if err := m.checkSize(src[:end]); err != nil {
		return nil, err
	}
	if err := m.decodeJSON(src[:end], nil); err != nil {
		return nil, err
	}
	body := bytes.TrimLeft(src[end:], " \t")
	if len(body) > 0 && body[0] == '\n' {
		body = body[1:]
	}
	return body, nil
}

// firstLine returns the first non-blank line of src, trimmed, its number
// and the offset at which it starts.
func firstLine(src []byte) (string, int, int) {
	n, off := 1, 0
	for off < len(src) {
		l := src[off:]
		next := len(src)
		if i := bytes.IndexByte(l, '\n'); i >= 0 {
			l, next = l[:i], off+i+1
		}
		if t := strings.TrimSpace(string(l)); t != "" {
			return t, n, off
		}
		n, off = n+1, next
	}
	return "", n, off
}

func (m *matter) decodeYAML(data []byte, _ any) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return m.syntaxError(err, yamlLine(err))
	}
	m.values = map[string]any{}
	if len(doc.Content) == 0 {
		return nil // empty front matter
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return NewError("", m.start+root.Line-1, "front matter", KindNotMapping)
	}
	v, err := m.yamlValue(root, "front matter", 1)
	if err != nil {
		return err
	}
	m.values = v.(map[string]any)
	return nil
}

// yamlValue converts a node at nesting level depth to plain values,
// recording the lines of top-level keys and list items. field is the
// top-level key the node belongs to, for errors. Aliases are expanded
// within MaxAliasValues and nesting is held to MaxFrontMatterDepth, so a
// few lines of nested aliases cannot make gigabytes of values.
func (m *matter) yamlValue(n *yaml.Node, field string, depth int) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		if !m.inAlias {
			m.aliased += expanded(n.Alias, MaxAliasValues-m.aliased+1)
			if m.aliased > MaxAliasValues {
				return nil, NewError("", m.start+n.Line-1, field, KindAliasBomb, MaxAliasValues, MaxAliasValues)
			}
			m.inAlias = true // counted whole, nested aliases included
			defer func() { m.inAlias = false }()
		}
		return m.yamlValue(n.Alias, field, depth)
	case yaml.MappingNode, yaml.SequenceNode:
		if depth > MaxFrontMatterDepth {
			return nil, m.depthError(m.start+n.Line-1, field)
		}
		if n.Kind == yaml.SequenceNode {
			return m.yamlList(n, field, depth)
		}
		return m.yamlMap(n, field, depth)
	}
	return yamlScalar(n), nil
}

// expanded counts the values n stands for, aliases expanded, stopping once
// the count passes limit.
func expanded(n *yaml.Node, limit int) int {
	if n == nil {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		return expanded(n.Alias, limit)
	}
	c := 1
	for _, ch := range n.Content {
		if c > limit {
			break
		}
		c += expanded(ch, limit-c)
	}
	return c
}

func (m *matter) yamlMap(n *yaml.Node, field string, depth int) (any, error) {
	top := depth == 1
	out := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, vn := n.Content[i], n.Content[i+1]
		key := k.Value
		if _, dup := out[key]; dup {
			return nil, NewError("", m.start+k.Line-1, key, KindKeyTwice)
		}
		at := field
		if top {
			m.lines[key] = m.start + k.Line - 1
			at = key
		}
		v, err := m.yamlValue(vn, at, depth+1)
		if err != nil {
			return nil, err
		}
		if top && vn.Kind == yaml.SequenceNode {
			for j, item := range vn.Content {
				m.lines[key+"."+strconv.Itoa(j)] = m.start + item.Line - 1
			}
		}
		out[key] = v
	}
	return out, nil
}

func (m *matter) yamlList(n *yaml.Node, field string, depth int) (any, error) {
	out := make([]any, 0, len(n.Content))
	for _, item := range n.Content {
		v, err := m.yamlValue(item, field, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// yamlScalar decodes a scalar by its resolved tag, but keeps timestamps as text.
func yamlScalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value
		}
		if i, ok := v.(int); ok {
			return int64(i)
		}
		return v
	}
	return n.Value
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlParserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner) errors, which it reports with a 0-based line number.
var yamlParserProblems = []string{"did not find expected <", "found undefined tag handle",
	"did not find expected node content", "did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "found duplicate %", "found incompatible YAML"}

func yamlLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		for _, p := range yamlParserProblems {
			if strings.Contains(err.Error(), p) {
				return n + 1
			}
		}
		return n
	}
	return 1
}

func (m *matter) syntaxError(err error, rel int) error {
	msg := yamlLineRE.ReplaceAllString(err.Error(), "")
	msg = strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(msg, "yaml:")), ": ")
	return NewError("", m.start+rel-1, "front matter", KindInvalidSyntax, strings.ToUpper(m.format), strings.TrimSpace(msg))
}

func (m *matter) decodeTOML(data []byte, _ any) error {
	var v map[string]any
	if _, err := toml.Decode(string(data), &v); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return NewError("", m.start+pe.Position.Line-1, "front matter", KindInvalidSyntax, "TOML", pe.Message)
		}
		return NewError("", m.start, "front matter", KindInvalidSyntax, "TOML", err.Error())
	}
	return m.setValues(v, data, tomlKeyRE)
}

// decodeJSON decodes one JSON object, data, and nothing after it.
func (m *matter) decodeJSON(data []byte, _ any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return m.jsonError(data, err)
	}
	return m.setValues(v, data, jsonKeyRE)
}

func (m *matter) jsonError(data []byte, err error) error {
	line := 1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line += bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
	case errors.As(err, &te):
		line += bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n"))
	}
	return NewError("", m.start+line-1, "front matter", KindInvalidSyntax, "JSON", err.Error())
}

// setValues keeps decoded TOML or JSON values within the depth limit.
func (m *matter) setValues(v map[string]any, data []byte, keyRE *regexp.Regexp) error {
	if v == nil {
		v = map[string]any{} // JSON null
	}
	m.scanLines(data, v, keyRE)
	if err := m.checkDepth(v); err != nil {
		return err
	}
	m.values = normalize(v).(map[string]any)
	return nil
}

// Lines that write a key: TOML `key =`, `"key" =`, `[[key]]`; JSON `"key":`.
var (
	tomlKeyRE = regexp.MustCompile(`^\s*(?:\[\[)?\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:=|\]\])`)
	jsonKeyRE = regexp.MustCompile(`^\s*"((?:[^"\\]|\\.)*)"\s*:`)
)

// scanLines finds the first line on which each top-level key of values is
// written, for formats whose decoders do not report positions. It reads
// each line once, so thousands of keys cost no more than thousands of lines.
func (m *matter) scanLines(data []byte, values map[string]any, keyRE *regexp.Regexp) {
	for i, l := range strings.Split(string(data), "\n") {
		sm := keyRE.FindStringSubmatch(l)
		if sm == nil {
			continue
		}
		key := strings.Join(sm[1:], "") // the one group that matched
		if strings.Contains(key, "\\") {
			_ = json.Unmarshal([]byte(`"`+key+`"`), &key) // a JSON escape
		}
		if _, ok := values[key]; ok {
			if _, seen := m.lines[key]; !seen {
				m.lines[key] = m.start + i
			}
		}
	}
}

// normalize turns decoder-specific values into matter's plain values.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case int:
		return int64(x)
	case time.Time:
		// TOML local dates carry no zone: keep the wall clock for the site's zone.
		// The toml package marks them with these zone names.
		switch name, _ := x.Zone(); name {
		case "date-local":
			return x.Format("2006-01-02")
		case "datetime-local":
			return x.Format("2006-01-02T15:04:05")
		}
		return x.Format(time.RFC3339)
	}
	return v
}
