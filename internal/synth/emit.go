package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// fields is front matter in the order it is written.
type fields []field

type field struct {
	k string
	v any // string, int, float64, bool, date, []string, []int, []fields
}

// date is a date or date-time written without quotes where the format allows.
type date string

func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// yamlScalar writes s plain when YAML reads it back as the same text, else
// double-quoted. In flow context ([a, b]) more characters need quotes.
func yamlScalar(s string, flow bool) string {
	if s == "" || s != strings.TrimSpace(s) || strings.ContainsAny(s, "\"'\\\n\t`") ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") ||
		strings.ContainsRune("-?:,[]{}#&*!|>%@", rune(s[0])) ||
		(flow && strings.ContainsAny(s, ",[]{}")) {
		return jsonString(s)
	}
	first := []rune(s)[0]
	if unicode.IsDigit(first) || first == '.' || first == '+' {
		return jsonString(s) // might read as a number or a date
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		return jsonString(s)
	}
	return s
}

func emitYAML(f fields) string {
	var b strings.Builder
	b.WriteString("---\n")
	writeYAMLMap(&b, f, "")
	b.WriteString("---\n")
	return b.String()
}

func writeYAMLMap(b *strings.Builder, f fields, indent string) {
	for n, kv := range f {
		ind := indent
		if n == 0 && strings.HasSuffix(indent, "- ") {
			ind = indent
		} else if strings.HasSuffix(indent, "- ") {
			ind = strings.Repeat(" ", len(indent))
		}
		b.WriteString(ind + kv.k + ":")
		writeYAMLValue(b, kv.v, strings.Repeat(" ", len(ind)))
	}
}

func writeYAMLValue(b *strings.Builder, v any, indent string) {
	switch x := v.(type) {
	case string:
		b.WriteString(" " + yamlScalar(x, false) + "\n")
	case date:
		b.WriteString(" " + string(x) + "\n")
	case int:
		b.WriteString(" " + strconv.Itoa(x) + "\n")
	case float64:
		b.WriteString(" " + strconv.FormatFloat(x, 'f', -1, 64) + "\n")
	case bool:
		b.WriteString(" " + strconv.FormatBool(x) + "\n")
	case []int:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.Itoa(n)
		}
		b.WriteString(" [" + strings.Join(parts, ", ") + "]\n")
	case []string:
		short := true
		for _, s := range x {
			if len([]rune(s)) > 24 {
				short = false
			}
		}
		if short {
			parts := make([]string, len(x))
			for i, s := range x {
				parts[i] = yamlScalar(s, true)
			}
			b.WriteString(" [" + strings.Join(parts, ", ") + "]\n")
			return
		}
		b.WriteString("\n")
		for _, s := range x {
			b.WriteString(indent + "  - " + yamlScalar(s, false) + "\n")
		}
	case []fields:
		b.WriteString("\n")
		for _, m := range x {
			writeYAMLMap(b, m, indent+"  - ")
		}
	default:
		panic(fmt.Sprintf("synth: cannot write %T", v))
	}
}

func emitTOML(f fields) string {
	var b strings.Builder
	b.WriteString("+++\n")
	var tables []field
	for _, kv := range f {
		if _, ok := kv.v.([]fields); ok {
			tables = append(tables, kv)
			continue
		}
		b.WriteString(kv.k + " = " + tomlValue(kv.v) + "\n")
	}
	for _, t := range tables {
		for _, m := range t.v.([]fields) {
			b.WriteString("\n[[" + t.k + "]]\n")
			for _, kv := range m {
				b.WriteString(kv.k + " = " + tomlValue(kv.v) + "\n")
			}
		}
	}
	b.WriteString("+++\n")
	return b.String()
}

func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		return jsonString(x)
	case date:
		return string(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []int:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.Itoa(n)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = jsonString(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	panic(fmt.Sprintf("synth: cannot write %T", v))
}

// emitJSON writes one key per line; nested entries stay on one line, so
// that no line but the last is a lone "}".
func emitJSON(f fields) string {
	var b strings.Builder
	b.WriteString("{\n")
	for n, kv := range f {
		b.WriteString("  " + jsonString(kv.k) + ": " + jsonValue(kv.v))
		if n < len(f)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func jsonValue(v any) string {
	switch x := v.(type) {
	case string:
		return jsonString(x)
	case date:
		return jsonString(string(x))
	case []fields:
		parts := make([]string, len(x))
		for i, m := range x {
			kvs := make([]string, len(m))
			for j, kv := range m {
				kvs[j] = jsonString(kv.k) + ": " + jsonValue(kv.v)
			}
			parts[i] = "{" + strings.Join(kvs, ", ") + "}"
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = jsonString(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}
