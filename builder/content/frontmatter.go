package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
}

// splitFrontMatter separates front matter from the body of src (already
// free of BOM and CR). It returns a nil matter when the file has none.
func splitFrontMatter(src []byte) (*matter, []byte, error) {
	open, line := firstLine(src)
	m := &matter{lines: map[string]int{}}
	var formats []*frontmatter.Format
	switch {
	case open == "---":
		m.format, m.start = "yaml", line+1
		formats = []*frontmatter.Format{frontmatter.NewFormat("---", "---", m.decodeYAML)}
	case open == "+++":
		m.format, m.start = "toml", line+1
		formats = []*frontmatter.Format{frontmatter.NewFormat("+++", "+++", m.decodeTOML)}
	case open == "{":
		m.format, m.start = "json", line
		f := frontmatter.NewFormat("{", "}", m.decodeJSON)
		f.UnmarshalDelims, f.RequiresNewLine = true, true
		formats = []*frontmatter.Format{f}
	default:
		return nil, src, nil
	}
	body, err := frontmatter.Parse(bytes.NewReader(src), m, formats...)
	if err != nil {
		return nil, nil, err
	}
	if m.values == nil {
		closer := map[string]string{"yaml": "a line with only ---", "toml": "a line with only +++",
			"json": "a line with only } followed by an empty line"}[m.format]
		return nil, nil, &Error{Line: line, Field: "front matter",
			Msg: fmt.Sprintf("%s front matter opened here is never closed; end it with %s", strings.ToUpper(m.format), closer)}
	}
	return m, body, nil
}

// firstLine returns the first non-blank line of src, trimmed, and its number.
func firstLine(src []byte) (string, int) {
	n := 1
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		l := src
		if i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if t := strings.TrimSpace(string(l)); t != "" {
			return t, n
		}
		n++
	}
	return "", n
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
		return &Error{Line: m.start + root.Line - 1, Field: "front matter", Msg: "want key: value lines (a YAML mapping)"}
	}
	v, err := m.yamlValue(root, "")
	if err != nil {
		return err
	}
	m.values = v.(map[string]any)
	return nil
}

// yamlValue converts a node to plain values, recording lines under prefix.
func (m *matter) yamlValue(n *yaml.Node, prefix string) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return m.yamlValue(n.Alias, prefix)
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, vn := n.Content[i], n.Content[i+1]
			key := k.Value
			if _, dup := out[key]; dup {
				return nil, &Error{Line: m.start + k.Line - 1, Field: key, Msg: "key is given twice; keep one"}
			}
			if prefix == "" {
				m.lines[key] = m.start + k.Line - 1
			}
			v, err := m.yamlValue(vn, prefix)
			if err != nil {
				return nil, err
			}
			if prefix == "" && vn.Kind == yaml.SequenceNode {
				for j, item := range vn.Content {
					m.lines[key+"."+strconv.Itoa(j)] = m.start + item.Line - 1
				}
			}
			out[key] = v
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := m.yamlValue(item, prefix+".")
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	// Scalars: decode by resolved tag, but keep timestamps as text.
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value, nil
		}
		if i, ok := v.(int); ok {
			return int64(i), nil
		}
		return v, nil
	}
	return n.Value, nil
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
	return &Error{Line: m.start + rel - 1, Field: "front matter",
		Msg: fmt.Sprintf("invalid %s: %s", strings.ToUpper(m.format), strings.TrimSpace(msg))}
}

func (m *matter) decodeTOML(data []byte, _ any) error {
	var v map[string]any
	if _, err := toml.Decode(string(data), &v); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return &Error{Line: m.start + pe.Position.Line - 1, Field: "front matter",
				Msg: "invalid TOML: " + pe.Message}
		}
		return &Error{Line: m.start, Field: "front matter", Msg: "invalid TOML: " + err.Error()}
	}
	m.values = normalize(v).(map[string]any)
	m.scanLines(data, `^\s*(?:\[\[)?\s*["']?%s["']?\s*(?:=|\]\])`)
	return nil
}

func (m *matter) decodeJSON(data []byte, _ any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		line := 1
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line += bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		case errors.As(err, &te):
			line += bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n"))
		}
		return &Error{Line: m.start + line - 1, Field: "front matter", Msg: "invalid JSON: " + err.Error()}
	}
	m.values = normalize(v).(map[string]any)
	m.scanLines(data, `^\s*"%s"\s*:`)
	return nil
}

// scanLines finds the first line on which each top-level key is written,
// for formats whose decoders do not report positions.
func (m *matter) scanLines(data []byte, pattern string) {
	lines := strings.Split(string(data), "\n")
	for key := range m.values {
		re := regexp.MustCompile(fmt.Sprintf(pattern, regexp.QuoteMeta(key)))
		for i, l := range lines {
			if re.MatchString(l) {
				m.lines[key] = m.start + i
				break
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
