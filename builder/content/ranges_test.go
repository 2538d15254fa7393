package content_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder/content"
)

// TestParseLimits: numbers, dates and lists past what the site can use are
// errors naming the field and the allowed range, not overflowed nonsense,
// and a list where one value belongs is an error, not ignored.
func TestParseLimits(t *testing.T) {
	many := func(n int) string {
		tags := make([]string, n)
		for i := range tags {
			tags[i] = "t" + strings.Repeat("x", i%5)
		}
		return "[" + strings.Join(tags, ", ") + "]"
	}
	tests := []struct {
		name string
		rel  string
		src  string
		want []string
	}{
		{"review_every overflows days", "scripts/x.md", lines("---", "title: x", "review_every: 99999999999999999y", "---"),
			[]string{`content/scripts/x.md:3: review_every: want a duration from 1d to 10y (or never), got "99999999999999999y"`}},
		{"review_every overflows int", "scripts/x.md", lines("---", "title: x", "review_every: 99999999999999999999999d", "---"),
			[]string{`content/scripts/x.md:3: review_every: want a duration from 1d to 10y (or never), got "99999999999999999999999d"`}},
		{"review_every over ten years", "scripts/x.md", lines("---", "title: x", "review_every: 122m", "---"),
			[]string{`content/scripts/x.md:3: review_every: want a duration from 1d to 10y (or never), got "122m"`}},
		{"duration max int64", "training/x.md", lines("---", "title: x", "duration: 9223372036854775807", "---"),
			[]string{`content/training/x.md:3: duration: want a whole number from 1 to 1440, got 9223372036854775807`}},
		{"duration past int64", "training/x.md", lines("---", "title: x", "duration: 99999999999999999999", "---"),
			[]string{`content/training/x.md:3: duration: want a whole number from 1 to 1440, got 100000000000000000000`}},
		{"duration as text past int64", "training/x.md", lines("---", "title: x", `duration: "99999999999999999999"`, "---"),
			[]string{`content/training/x.md:3: duration: want a whole number from 1 to 1440, got 99999999999999999999`}},
		{"duration of a float", "training/x.md", lines("---", "title: x", "duration: 1e30", "---"),
			[]string{`content/training/x.md:3: duration: want a whole number from 1 to 1440, got 1000000000000000000000000000000`}},
		{"duration over a day", "training/x.md", lines("---", "title: x", "duration: 1441", "---"),
			[]string{`content/training/x.md:3: duration: want a whole number from 1 to 1440, got 1441`}},
		{"duration very negative", "training/x.md", lines("---", "title: x", "duration: -1e30", "---"),
			[]string{`content/training/x.md:3: duration: want a whole number of at least 1, got -1000000000000000000000000000000`}},
		{"cycle_days over ten years", "cases/x.md", lines("---", "title: x", "cycle_days: 3651", "---"),
			[]string{`content/cases/x.md:3: cycle_days: want a whole number from 0 to 3650, got 3651`}},
		{"weight past int32", "guides/x.md", lines("---", "title: x", "weight: 2147483648", "---"),
			[]string{`content/guides/x.md:3: weight: want a whole number from -2147483648 to 2147483647, got 2147483648`}},
		{"quiz answer past int64", "training/x.md", lines("---", "title: x", "quiz:", "  - question: q", "    choices: [a, b]", "    answer: 1e300", "---"),
			[]string{`content/training/x.md:4: quiz[1].answer: want a whole number from 1 to 2147483647, got 1` + strings.Repeat("0", 300)}},
		{"deal_size over 10^15", "cases/x.md", lines("---", "title: x", "deal_size: 1e16", "---"),
			[]string{`content/cases/x.md:3: deal_size: want a number from 0 to 1000000000000000, got 1e+16`}},
		{"deal_size infinite", "cases/x.md", lines("---", "title: x", "deal_size: .inf", "---"),
			[]string{`content/cases/x.md:3: deal_size: want a number from 0 to 1000000000000000, got +Inf`}},
		{"deal_size not a number", "cases/x.md", lines("---", "title: x", "deal_size: .nan", "---"),
			[]string{`content/cases/x.md:3: deal_size: want a number of at least 0, got NaN`}},
		{"year 9999", "training/x.md", lines("---", "title: x", "session: 9999-12-31T23:00:00+08:00", "duration: 120", "---"),
			[]string{`content/training/x.md:3: session: want a date from 1900-01-01 to 2999-12-31, got "9999-12-31T23:00:00+08:00"`}},
		{"year 1", "guides/x.md", lines("---", "title: x", "reviewed: 0001-01-01", "---"),
			[]string{`content/guides/x.md:3: reviewed: want a date from 1900-01-01 to 2999-12-31, got "0001-01-01"`}},
		{"action due in year 9999", "retros/x.md", lines("---", "title: x", "actions:", "  - what: a", "    due: 9999-01-01", "---"),
			[]string{`content/retros/x.md:4: actions[1].due: want a date from 1900-01-01 to 2999-12-31, got "9999-01-01"`}},
		{"too many tags", "scripts/x.md", lines("---", "title: x", "tags: "+many(21), "---"),
			[]string{`content/scripts/x.md:3: tags: want at most 20 values, got 21`}},
		{"ten thousand tags", "scripts/x.md", lines("---", "title: x", "tags: "+many(10000), "---"),
			[]string{`content/scripts/x.md:3: tags: want at most 20 values, got 10000`}},
		{"too many regions", "cases/x.md", lines("---", "title: x", "regions: "+many(21), "---"),
			[]string{`content/cases/x.md:3: regions: want at most 20 values, got 21`}},
		{"a tag too long", "scripts/x.md", lines("---", "title: x", "tags: [价格, "+strings.Repeat("价", 61)+"]", "---"),
			[]string{`content/scripts/x.md:3: tags: item 2: want at most 60 characters, got 61`}},
		{"an industry too long", "cases/x.md", lines("---", "title: x", "industries: "+strings.Repeat("银", 100), "---"),
			[]string{`content/cases/x.md:3: industries: item 1: want at most 60 characters, got 100`}},
		{"a track too long", "training/x.md", lines("---", "title: x", "tracks: ["+strings.Repeat("a", 61)+"]", "---"),
			[]string{`content/training/x.md:3: tracks: item 1: want at most 60 characters, got 61`}},
		{"a slug too long", "guides/x.md", lines("---", "title: x", "slug: "+strings.Repeat("价", 61), "---"),
			[]string{`content/guides/x.md:3: slug: want at most 60 characters, got 61`}},
		{"a custom key of NaN", "guides/x.md", lines("---", "title: x", "score: .nan", "---"),
			[]string{`content/guides/x.md:3: score: want finite numbers, got NaN`}},
		{"an infinity deep in a custom key", "guides/x.md", lines("---", "title: x", "figures:", "  a: [1, {b: -.inf}]", "---"),
			[]string{`content/guides/x.md:3: figures: want finite numbers, got -Inf`}},
		{"a TOML nan", "guides/x.md", lines("+++", `title = "x"`, "score = nan", "+++"),
			[]string{`content/guides/x.md:3: score: want finite numbers, got NaN`}},
		{"status as a list", "retros/x.md", lines("---", "title: x", "actions:", "  - what: a", "    status: [open]", "---"),
			[]string{`content/retros/x.md:4: actions[1].status: want one value, got a list`}},
		{"what as a list", "retros/x.md", lines("---", "title: x", "actions:", "  - what: [a, b]", "---"),
			[]string{`content/retros/x.md:4: actions[1].what: want one value, got a list`}},
		{"owner as a mapping", "retros/x.md", lines("---", "title: x", "actions:", "  - what: a", "    owner: {name: 王磊}", "---"),
			[]string{`content/retros/x.md:4: actions[1].owner: want one value, got a mapping`}},
		{"question as a list", "training/x.md", lines("---", "title: x", "quiz:", "  - question: [q]", "    choices: [a, b]", "    answer: 1", "---"),
			[]string{`content/training/x.md:4: quiz[1].question: want one value, got a list`}},
		{"explain as a list", "training/x.md", lines("---", "title: x", "quiz:", "  - question: q", "    choices: [a, b]", "    answer: 1", "    explain: [e]", "---"),
			[]string{`content/training/x.md:4: quiz[1].explain: want one value, got a list`}},
		{"outcome as a list", "cases/x.md", lines("---", "title: x", "outcome: [won]", "---"),
			[]string{`content/cases/x.md:3: outcome: want one value, got a list`}},
		{"a tag as a list", "scripts/x.md", lines("---", "title: x", "tags: [a, [b]]", "---"),
			[]string{`content/scripts/x.md:3: tags: item 2: want one value, got a list`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := content.Parse(tt.rel, []byte(tt.src), testRules(t))
			if got := errLines(errs); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\ngot:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestParseLimitsAccept: the bounds themselves are allowed.
func TestParseLimitsAccept(t *testing.T) {
	tags := make([]string, content.MaxTerms)
	for i := range tags {
		tags[i] = strings.Repeat("价", content.MaxTermRunes-1) + string(rune('a'+i%26))
	}
	p := mustParse(t, "training/x.md", lines("---", "title: x",
		"tags: ["+strings.Join(tags, ", ")+"]", "slug: "+strings.Repeat("a", content.MaxTermRunes),
		"review_every: 10y", "duration: 1440", "session: 2999-12-31T23:00:00+08:00", "reviewed: 1900-01-01",
		"weight: -2147483648", "---"))
	if len(p.Tags) != content.MaxTerms || p.ReviewEvery != content.MaxDuration || p.Training.Duration != 1440 {
		t.Errorf("tags %d, review_every %v, duration %d", len(p.Tags), p.ReviewEvery, p.Training.Duration)
	}
	c := mustParse(t, "cases/x.md", lines("---", "title: x", "deal_size: 1e15", "cycle_days: 3650", "---"))
	if c.Case.DealSize != content.MaxDealSize || c.Case.CycleDays != content.MaxCycleDays {
		t.Errorf("deal_size %v, cycle_days %d", c.Case.DealSize, c.Case.CycleDays)
	}
}
