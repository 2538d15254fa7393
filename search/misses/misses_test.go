package misses

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/search"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// TestKey: misses that differ only in how they were typed count as one.
func TestKey(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "嫌贵", "嫌贵"},
		{"trimmed", "  嫌贵 \t", "嫌贵"},
		{"case folded", "CRM Price", "crm price"},
		{"full-width letters and digits", "ＣＲＭ２０２６", "crm2026"},
		{"ideographic space collapsed", "客户　　说贵", "客户 说贵"},
		{"runs of spaces and tabs collapsed", "便宜 \t  点", "便宜 点"},
		{"control and zero-width characters are spaces", "打\u200b折\x00吗", "打 折 吗"},
		{"only spaces", " \u3000 ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Key(tt.in); got != tt.want {
				t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewEvent(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name    string
		query   string
		count   int
		relaxed bool
		want    string // "" for a valid event, else part of the error
	}{
		{"no hits", "嫌贵", 0, false, ""},
		{"only relaxed hits", "客户说贵怎么办", 3, true, ""},
		{"empty", "  ", 0, false, "query: want the text of a search"},
		{"too long", strings.Repeat("贵", search.MaxQueryRunes+1), 0, false, "query: 201 characters, at most 200"},
		{"as long as a search may be", strings.Repeat("贵", search.MaxQueryRunes), 0, false, ""},
		{"negative count", "嫌贵", -1, false, "count: want 0 or more"},
		{"strict hits are no miss", "价格", 4, false, "not a miss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEvent(tt.query, tt.count, tt.relaxed, time.Date(2026, 11, 23, 18, 4, 5, 999, cst))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if !e.Time.Equal(time.Date(2026, 11, 23, 10, 4, 5, 0, time.UTC)) || e.Time.Location() != time.UTC {
					t.Errorf("time %v, want UTC to the second", e.Time)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := NewEvent("价格", 1, false, t0); !errors.Is(err, ErrNotMiss) {
		t.Errorf("strict hits: %v, want ErrNotMiss", err)
	}
}

func ev(q string, count int, relaxed bool, minutes int) Event {
	return Event{Time: t0.Add(time.Duration(minutes) * time.Minute), Query: q, Count: count, Relaxed: relaxed}
}

// TestSummarize: the most frequent first, counted by Key, with how many
// found relaxed hits and when each was last seen; ties by recency, then
// query, so a report is the same for the same log.
func TestSummarize(t *testing.T) {
	events := []Event{
		ev("嫌贵", 0, false, 1), ev(" 嫌贵", 0, false, 5), ev("嫌贵  ", 2, true, 3),
		ev("ＪＧ", 0, false, 2), ev("jg", 0, false, 4),
		ev("打个折", 0, false, 9),
		ev("b 话术", 0, false, 7), ev("a 话术", 0, false, 7),
	}
	top, queries := Summarize(events, 10)
	want := []Miss{
		{Query: "嫌贵", Count: 3, Relaxed: 1, LastSeen: t0.Add(5 * time.Minute)},
		{Query: "jg", Count: 2, LastSeen: t0.Add(4 * time.Minute)},
		{Query: "打个折", Count: 1, LastSeen: t0.Add(9 * time.Minute)},
		{Query: "a 话术", Count: 1, LastSeen: t0.Add(7 * time.Minute)},
		{Query: "b 话术", Count: 1, LastSeen: t0.Add(7 * time.Minute)},
	}
	if fmt.Sprint(top) != fmt.Sprint(want) || queries != 5 {
		t.Errorf("Summarize = %v, %d queries\nwant        %v, 5", top, queries, want)
	}
	if top, _ := Summarize(events, 2); len(top) != 2 || top[1].Query != "jg" {
		t.Errorf("top 2 = %v", top)
	}
	if top, n := Summarize(nil, TopN); top == nil || len(top) != 0 || n != 0 {
		t.Errorf("no events: %#v, %d; want an empty list", top, n)
	}
}
