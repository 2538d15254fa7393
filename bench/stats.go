package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Run is one measured process.
type Run struct {
	Wall   time.Duration // from start to exit, as the parent saw it
	User   time.Duration // CPU time in user mode
	Sys    time.Duration // CPU time in the kernel
	MaxRSS int64         // peak resident set size in bytes (ru_maxrss), 0 if unknown
	Stdout string
}

// CPU is user plus system time.
func (r Run) CPU() time.Duration { return r.User + r.Sys }

// Stats summarise the runs of one measurement.
type Stats struct {
	N                   int
	MedianWall, MinWall time.Duration
	MaxWall             time.Duration
	MedianRSS, MaxRSS   int64
	MedianCPU           time.Duration
}

// Summarize computes medians and extremes; it needs at least one run.
func Summarize(runs []Run) Stats {
	walls := make([]time.Duration, len(runs))
	cpus := make([]time.Duration, len(runs))
	rss := make([]int64, len(runs))
	for i, r := range runs {
		walls[i], cpus[i], rss[i] = r.Wall, r.CPU(), r.MaxRSS
	}
	return Stats{
		N:          len(runs),
		MedianWall: median(walls), MinWall: slices.Min(walls), MaxWall: slices.Max(walls),
		MedianRSS: median(rss), MaxRSS: slices.Max(rss),
		MedianCPU: median(cpus),
	}
}

// median of a non-empty list; the mean of the middle two for an even count.
func median[T time.Duration | int64 | int | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Formatting of figures in the report.

func secs(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func mib(b int64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func bytesHuman(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d B", b)
}

// thousands writes 10000 as 10,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// table renders a markdown table; align has one of "l" or "r" per column.
func table(head []string, align string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	for i := range head {
		if i < len(align) && align[i] == 'r' {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}
