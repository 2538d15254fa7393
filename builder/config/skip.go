package config

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// SkipDays is a day, or a run of days, without training sessions
// (training.skip): a public holiday or a company day.
type SkipDays struct {
	From, To time.Time // midnight of the first and the last day, in the site's zone
	Name     string    // what the days are, such as 国庆节; may be ""
}

// skipFormat is what an item of training.skip may be, for error messages.
const skipFormat = `a date such as 2027-01-01 or a range such as 2027-10-01..2027-10-07, then an optional name ("2027-10-01..2027-10-07 国庆节")`

// parseSkip reads one item of training.skip.
func parseSkip(s string, loc *time.Location) (SkipDays, error) {
	days, name, _ := strings.Cut(strings.TrimSpace(s), " ")
	from, to, isRange := strings.Cut(days, "..")
	if !isRange {
		to = from
	}
	var d SkipDays
	var err1, err2 error
	d.From, err1 = time.ParseInLocation(time.DateOnly, from, loc)
	d.To, err2 = time.ParseInLocation(time.DateOnly, to, loc)
	if err1 != nil || err2 != nil || d.To.Before(d.From) {
		return SkipDays{}, fmt.Errorf("want %s, got %q", skipFormat, s)
	}
	d.Name = strings.TrimSpace(name)
	return d, nil
}

// fillSkip parses training.skip into Training.SkipDays, naming the line of
// a bad item.
func (c *Config) fillSkip(doc *yaml.Node) error {
	c.Training.SkipDays = nil
	for i, s := range c.Training.Skip {
		d, err := parseSkip(s, c.Location)
		if err != nil {
			return fmt.Errorf("%s:%d: training.skip[%d]: %w", FileName, itemLine(doc, i, "training", "skip"), i+1, err)
		}
		c.Training.SkipDays = append(c.Training.SkipDays, d)
	}
	return nil
}

// itemLine is the line of item i of the sequence at a path of keys, or 0.
func itemLine(doc *yaml.Node, i int, keys ...string) int {
	n := nodeAt(doc, keys...)
	switch {
	case n == nil:
		return 0
	case n.Kind != yaml.SequenceNode || i >= len(n.Content):
		return n.Line
	}
	return n.Content[i].Line
}

// Skipped says whether no session may be held on the day of t, in the
// site's zone, and why: the name of the training.skip item that lists it,
// else "training.skip".
func (t *Training) Skipped(at time.Time) (why string, skipped bool) {
	for _, s := range t.SkipDays {
		local := at.In(s.From.Location())
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
		if !day.Before(s.From) && !day.After(s.To) {
			return cmp.Or(s.Name, "training.skip"), true
		}
	}
	return "", false
}
