package content

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// decoder reads typed fields out of front matter, collecting an Error for
// every value of the wrong kind instead of stopping at the first.
type decoder struct {
	file  string
	m     *matter
	rules *Rules
	errs  Errors
	known map[string]bool // keys the contract defines for this page's type
	order []string        // the keys of known in the order first read
}

func (d *decoder) fail(key string, k Kind, args ...any) {
	d.errs = append(d.errs, NewError(d.file, d.line(key), key, k, args...))
}

// failErr records the error of a parse helper, keeping its kind.
func (d *decoder) failErr(key string, err error) {
	d.errs = append(d.errs, errorFor(d.file, d.line(key), key, err))
}

// line returns the line of key, where key may be "quiz.2" or "quiz[3].answer".
func (d *decoder) line(key string) int {
	if l, ok := d.m.lines[key]; ok {
		return l
	}
	if i := strings.IndexByte(key, '['); i > 0 {
		n, _ := strconv.Atoi(key[i+1 : strings.IndexByte(key, ']')])
		if l, ok := d.m.lines[key[:i]+"."+strconv.Itoa(n-1)]; ok {
			return l
		}
		return d.line(key[:i])
	}
	return d.m.start
}

func (d *decoder) get(key string) (any, bool) {
	if !d.known[key] {
		d.known[key] = true
		d.order = append(d.order, key)
	}
	v, ok := d.m.values[key]
	return v, ok && v != nil
}

func describe(v any) any {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case []any:
		return Phrase{"a list", "列表"}
	case map[string]any:
		return Phrase{"a mapping", "映射"}
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

func (d *decoder) str(key string) string {
	v, ok := d.get(key)
	if !ok {
		return ""
	}
	s, ok := scalarString(v)
	if !ok {
		d.fail(key, wantText(v), describe(v))
	}
	return s
}

// wantText says what is wrong with a value that is not text: a list or a
// mapping where one value belongs ("status: [open]") is named as such.
func wantText(v any) Kind {
	switch v.(type) {
	case []any, map[string]any:
		return KindWantOne
	}
	return KindWantText
}

// itemKind is the kind of wantText's message for an item of a list.
var itemKind = map[Kind]Kind{KindWantOne: KindItemWantOne, KindWantText: KindItemWantText}

// scalar reads a text field of a list entry (a quiz question, an action);
// ok is false when the value is there but not text, which it reports.
func (d *decoder) scalar(key string, v any) (s string, ok bool) {
	if v == nil {
		return "", true
	}
	if s, ok = scalarString(v); !ok {
		d.fail(key, wantText(v), describe(v))
	}
	return s, ok
}

// strs reads a list of text; a single text is a list of one.
func (d *decoder) strs(key string) []string {
	v, ok := d.get(key)
	if !ok {
		return nil
	}
	return d.strList(key, v)
}

func (d *decoder) strList(key string, v any) []string {
	if s, ok := scalarString(v); ok {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	list, ok := v.([]any)
	if !ok {
		d.fail(key, KindWantTextList, describe(v))
		return nil
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		s, ok := scalarString(e)
		if !ok {
			d.fail(key, itemKind[wantText(e)], i+1, describe(e))
			continue
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) boolean(key string) bool {
	v, ok := d.get(key)
	if !ok {
		return false
	}
	switch x := v.(type) {
	case bool:
		return x
	case string:
		// YAML 1.2 reads yes/no as text; writers mean a switch.
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "yes", "on", "是":
			return true
		case "false", "no", "off", "否":
			return false
		}
	}
	d.fail(key, KindWantBool, describe(v))
	return false
}

func (d *decoder) number(key string, min, max float64) float64 {
	v, ok := d.get(key)
	if !ok {
		return 0
	}
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	case string:
		var ok bool
		if f, ok = parseAmount(x); !ok {
			d.fail(key, KindWantNumber, describe(v))
			return 0
		}
	default:
		d.fail(key, KindWantNumber, describe(v))
		return 0
	}
	if math.IsNaN(f) || f < min {
		d.fail(key, KindNumberAtLeast, min, describe(v))
		return 0
	}
	if f > max {
		d.fail(key, KindNumberRange, min, max, describe(v))
		return 0
	}
	return f
}

// parseAmount reads "480000", "480,000", "48万" or "1.2亿".
func parseAmount(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	mult := 1.0
	for suffix, m := range map[string]float64{"万": 1e4, "亿": 1e8} {
		if strings.HasSuffix(s, suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, suffix)), m
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return math.Round(f*mult*100) / 100, err == nil
}

func (d *decoder) integer(key string, lo, hi int) int {
	v, ok := d.get(key)
	if !ok {
		return 0
	}
	return d.intValue(key, v, lo, hi)
}

// intValue reads a whole number from lo to hi. Values are compared as
// written, before a conversion that could overflow.
func (d *decoder) intValue(key string, v any, lo, hi int) int {
	var f float64
	switch x := v.(type) {
	case int64:
		return d.inRange(key, float64(x), strconv.FormatInt(x, 10), lo, hi)
	case float64:
		if x != math.Trunc(x) {
			break
		}
		return d.inRange(key, x, strconv.FormatFloat(x, 'f', -1, 64), lo, hi)
	case string:
		x = strings.TrimSpace(x)
		_, err := strconv.ParseInt(x, 10, 64)
		if err == nil || errors.Is(err, strconv.ErrRange) {
			if f, err = strconv.ParseFloat(x, 64); err == nil {
				return d.inRange(key, f, x, lo, hi)
			}
		}
	}
	d.fail(key, KindWantInteger, describe(v))
	return 0
}

func (d *decoder) inRange(key string, f float64, text string, lo, hi int) int {
	switch {
	case f < float64(lo):
		d.fail(key, KindIntegerAtLeast, lo, text)
	case f > float64(hi):
		d.fail(key, KindIntegerRange, lo, hi, text)
	default:
		return int(f)
	}
	return 0
}

// dateLayouts are the forms a date may take; those without a zone are read
// in the site's time zone.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04",
	"2006/01/02",
	"2006-1-2 15:04",
	"2006-1-2",
	"2006/1/2",
}

// ParseDate reads a date or date-time; values without a zone are in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			if t.Year() < MinYear || t.Year() > MaxYear {
				return time.Time{}, errorOf(KindDateRange, MinYear, MaxYear, s)
			}
			return t, nil
		}
	}
	return time.Time{}, errorOf(KindWantDate, s)
}

func (d *decoder) date(key string) time.Time {
	v, ok := d.get(key)
	if !ok {
		return time.Time{}
	}
	return d.dateValue(key, v)
}

func (d *decoder) dateValue(key string, v any) time.Time {
	s, ok := v.(string)
	if !ok {
		d.fail(key, KindWantDateValue, describe(v))
		return time.Time{}
	}
	t, err := ParseDate(s, d.rules.location())
	if err != nil {
		d.failErr(key, err)
	}
	return t
}

func (d *decoder) enum(key string, allowed []string, def string) string {
	s := d.str(key)
	if s == "" {
		return def
	}
	return d.enumValue(key, s, allowed)
}

func (d *decoder) enumValue(key, s string, allowed []string) string {
	if slices.Contains(allowed, strings.ToLower(s)) {
		return strings.ToLower(s)
	}
	d.fail(key, KindWantOneOf, strings.Join(allowed, "|"), s)
	return ""
}

// keyList reads stage or role keys; a configured display name (谈判) is
// accepted for its key (negotiation).
func (d *decoder) keyList(key string, choices []Choice) []string {
	return d.keyValues(key, d.strs(key), choices)
}

func (d *decoder) keyValues(key string, vals []string, choices []Choice) []string {
	out := make([]string, 0, len(vals))
	for _, s := range vals {
		k, ok := matchChoice(s, choices)
		if !ok {
			keys := make([]string, len(choices))
			for i, c := range choices {
				keys[i] = c.Key
			}
			d.fail(key, KindUnknownChoice, s, strings.Join(keys, "|"))
			continue
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func matchChoice(s string, choices []Choice) (string, bool) {
	for _, c := range choices {
		if strings.EqualFold(s, c.Key) || s == c.Name {
			return c.Key, true
		}
	}
	return "", false
}

// refs reads a list of references to content paths.
func (d *decoder) refs(key string) []string {
	vals := d.strs(key)
	for i, s := range vals {
		vals[i] = NormalizeRef(s)
	}
	return vals
}

// NormalizeRef turns "cases/acme.md", "/cases/acme", "content/cases/acme"
// or "cases/acme" into the content path "cases/acme". References in front
// matter are always from the content root, never relative to the file.
func NormalizeRef(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "content/")
	s = strings.Trim(s, "/")
	s = strings.TrimSuffix(s, ".md")
	return s
}

func (d *decoder) website(key string) string {
	s := d.str(key)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.fail(key, KindWantWebsite, s)
		return ""
	}
	return s
}

// list reads a list of mappings such as quiz or actions.
func (d *decoder) list(key string) []map[string]any {
	v, ok := d.get(key)
	if !ok {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		d.fail(key, KindWantEntries, describe(v))
		return nil
	}
	out := make([]map[string]any, 0, len(items))
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			d.fail(fmt.Sprintf("%s[%d]", key, i+1), KindWantEntry, describe(it))
			m = map[string]any{}
		}
		out = append(out, m)
	}
	return out
}
