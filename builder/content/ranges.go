package content

import (
	"math"
	"unicode/utf8"
)

// Bounds on values, each an error naming its field when passed. They keep
// the build's work and output in proportion to its input, and dates and
// sums within what Go's time, JSON, iCalendar and feeds can hold.
const (
	// MaxTerms is the most values of tags, industries, regions or tracks
	// on one page. Each value has a page of its own (/tags/NAME/) listing
	// the pages that carry it with all their values, so a page's share of
	// the output grows with the square of its values: a page of 10,000
	// tags made 5 GB, and 100 pages of 150 shared values 1.3 GB.
	MaxTerms = 20
	// MaxTermRunes is the longest such value, and the longest slug: it
	// names a folder, which file systems cap at 255 bytes (60 characters
	// of 4-byte UTF-8 make 240).
	MaxTermRunes = 60
	// MaxDealSize is the largest deal_size, 10^15 (1000万亿).
	MaxDealSize = 1e15
	// MaxCycleDays is the longest sales cycle, ten years.
	MaxCycleDays = 3650
	// MaxSessionMinutes is the longest training session, a day.
	MaxSessionMinutes = 24 * 60
	// MaxDuration is the longest review interval, 10y: a longer one means
	// no review, which "never" says.
	MaxDuration Duration = 10 * 365
	// Dates are read from MinYear to MaxYear: a date of year 9999 plus a
	// session's duration or a review interval falls after the last year
	// JSON, iCalendar and feeds can write.
	MinYear = 1900
	MaxYear = 2999
)

// terms reads a list of taxonomy values: at most MaxTerms, each at most
// MaxTermRunes long.
func (d *decoder) terms(key string) []string {
	vals := d.strs(key)
	if len(vals) > MaxTerms {
		d.fail(key, KindTooMany, MaxTerms, len(vals))
		return nil
	}
	for i, v := range vals {
		if n := utf8.RuneCountInString(v); n > MaxTermRunes {
			d.fail(key, KindItemTooLong, i+1, MaxTermRunes, n)
			return nil
		}
	}
	return vals
}

// nonFinite finds a NaN or an infinity in a front matter value (YAML .nan,
// .inf, TOML nan, inf), lists and mappings included.
func nonFinite(v any) (float64, bool) {
	stack := []any{v} // a stack, not recursion: values may nest deeply
	for len(stack) > 0 {
		v, stack = stack[len(stack)-1], stack[:len(stack)-1]
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return x, true
			}
		case []any:
			stack = append(stack, x...)
		case map[string]any:
			for _, e := range x {
				stack = append(stack, e)
			}
		}
	}
	return 0, false
}
