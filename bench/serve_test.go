package main

import (
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		var out []time.Duration
		for _, x := range xs {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.95, 7 * time.Millisecond},
		{"median of unsorted", ms(30, 10, 20), 0.5, 20 * time.Millisecond},
		{"p95 of twenty is the nineteenth", ms(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 0.95, 19 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.in, tc.p); got != tc.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tc.in, tc.p, got, tc.want)
			}
		})
	}
}

func TestRenderServe(t *testing.T) {
	md := renderServe([]serveResult{
		{Server: "playbook serve", Pages: 1000, Startup: 3 * time.Second,
			Event: []time.Duration{30 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}, Shown: []time.Duration{40 * time.Millisecond},
			RSS: 200 << 20, HWM: 250 << 20,
			Kinds: []kindResult{{Kind: "rename", Event: []time.Duration{90 * time.Millisecond, 50 * time.Millisecond, 70 * time.Millisecond}}}},
		{Server: "hugo server", Pages: 1000, Note: "not measured: hugo is not installed (Debian: apt-get install hugo)"},
	}, "zh")
	for _, want := range []string{
		"| playbook serve | 1,000 zh | 3.00 s | 20 ms / 30 ms | 40 ms / 40 ms | 200 MiB | 250 MiB |",
		"| hugo server | 1,000 zh | — | — | — | n/a | n/a |",
		"- hugo server, 1,000 pages: not measured: hugo is not installed",
		"| playbook serve | 1,000 zh | body edit | 20 ms / 30 ms |",
		"| playbook serve | 1,000 zh | rename | 70 ms / 90 ms |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
