package content

import (
	"testing"
	"time"
)

// Writers type values the way they speak; these forms all mean one thing.
func TestLenientValues(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	rules := &Rules{Location: loc}
	src := "---\ntitle: 东林银行\ndeal_size: 48万\ndraft: \"no\"\nclosed: 2026-9-1\ndate: 2026-09-01 10:00:00 +0800\n---\n"
	p, errs := Parse("cases/东林银行.md", []byte(src), rules)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if p.Case.DealSize != 480000 {
		t.Errorf("deal_size 48万 = %v, want 480000", p.Case.DealSize)
	}
	if p.Draft {
		t.Error(`draft "no" read as true`)
	}
	if want := time.Date(2026, 9, 1, 0, 0, 0, 0, loc); !p.Case.Closed.Equal(want) {
		t.Errorf("closed 2026-9-1 = %v, want %v", p.Case.Closed, want)
	}
	if want := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC); !p.Date.Equal(want) {
		t.Errorf("date with +0800 = %v, want %v", p.Date, want)
	}
	for _, bad := range []string{"deal_size: 很多", "draft: maybe"} {
		_, errs := Parse("cases/x.md", []byte("---\ntitle: x\n"+bad+"\n---\n"), rules)
		if len(errs) != 1 || errs[0].Line != 3 {
			t.Errorf("%s: errors %v, want one on line 3", bad, errs)
		}
	}
}
