package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
)

// FuzzParse feeds arbitrary playbook.yaml text to Parse. It must never
// panic; it returns a config or an error naming playbook.yaml, never both
// or neither; and a config it returns is complete: a zone, stages and
// roles with unique keys, review intervals within content's limits, a
// weekday.
//
//	make fuzz   # or: go test ./builder/config -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("../../playbook.yaml"); err == nil { // the sample site's
		f.Add(string(b))
	}
	for _, s := range []string{
		"", "title: x\n", "timezone: Asia/Hong_Kong\nlanguage: en\n", "timezone: ../../etc/passwd\n",
		"stages:\n  - {key: lead, name: 线索}\n  - {key: won}\n", "stages: [a, b]\n", "stages:\n  - key: a\n  - key: a\n",
		"review_every:\n  default: 30d\n  case: never\n  script: 99999999999999999y\n",
		"training:\n  weekday: fri\n  time: \"09:30\"\n  rotation: [王磊, 陈静]\n",
		"markup:\n  unsafe_html: true\nparams:\n  logo: x.png\n  n: .nan\n",
		"a: &a [*a]\n", "x: &x [1]\ny: [*x, *x, *x]\n", "title: x\ntitle: y\n", "- a\n- b\n", "baseURL: https://x.example.com/kb/\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := config.Parse([]byte(src))
		if (c == nil) == (err == nil) {
			t.Fatalf("config %v and error %v", c, err)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), config.FileName) {
				t.Fatalf("error does not name %s: %v", config.FileName, err)
			}
			return
		}
		checkComplete(t, c)
	})
}

func checkComplete(t *testing.T, c *config.Config) {
	t.Helper()
	if c.Location == nil || c.Title == "" || len(c.Stages) == 0 || len(c.Roles) == 0 {
		t.Fatalf("incomplete config %+v", c)
	}
	for _, cs := range [][]content.Choice{c.Stages, c.Roles} {
		seen := map[string]bool{}
		for _, ch := range cs {
			if ch.Key == "" || seen[ch.Key] {
				t.Fatalf("choice key %q empty or twice in %v", ch.Key, cs)
			}
			seen[ch.Key] = true
		}
	}
	for typ, d := range c.Review {
		if d < 1 || d > content.MaxDuration {
			t.Fatalf("review_every.%s = %d days", typ, d)
		}
	}
	if _, err := c.SessionWeekday(); err != nil {
		t.Fatalf("weekday: %v", err)
	}
	if c.Rules() == nil {
		t.Fatal("no rules")
	}
}
