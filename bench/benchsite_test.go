package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain doubles as a child process that allocates memory, to check
// that measure reads the child's peak RSS.
func TestMain(m *testing.M) {
	if os.Getenv("BENCHSITE_TEST_ALLOC") != "" {
		buf := make([]byte, 96<<20)
		for i := range buf { // touch every page so it is resident
			buf[i] = byte(i)
		}
		os.Stdout.WriteString("allocated\n")
		runtime.KeepAlive(buf)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestMeasurePeakRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ru_maxrss units differ; checked on Linux")
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "BENCHSITE_TEST_ALLOC=1")
	r, err := measure(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if r.MaxRSS < 96<<20 || r.MaxRSS > 1<<30 {
		t.Errorf("peak RSS %s, want a little over 96 MiB", mib(r.MaxRSS))
	}
	if r.Wall <= 0 || r.Stdout != "allocated\n" {
		t.Errorf("wall %v, stdout %q", r.Wall, r.Stdout)
	}
	if _, err := measure(exec.Command(os.Args[0], "-test.run=^NoSuchTest$", "-no-such-flag")); err == nil {
		t.Error("failing child: no error")
	}
}

func TestSummarize(t *testing.T) {
	runs := []Run{
		{Wall: 3 * time.Second, User: time.Second, Sys: time.Second, MaxRSS: 300},
		{Wall: 1 * time.Second, User: time.Second, MaxRSS: 100},
		{Wall: 2 * time.Second, User: 2 * time.Second, MaxRSS: 500},
	}
	s := Summarize(runs)
	if s.MedianWall != 2*time.Second || s.MinWall != time.Second || s.MaxWall != 3*time.Second {
		t.Errorf("wall: %+v", s)
	}
	if s.MedianRSS != 300 || s.MaxRSS != 500 || s.MedianCPU != 2*time.Second {
		t.Errorf("rss/cpu: %+v", s)
	}
	if m := median([]int64{4, 1, 3, 2}); m != 2 {
		t.Errorf("even median = %d, want 2", m)
	}
}

func TestFormat(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{thousands(10000), "10,000"}, {thousands(999), "999"}, {thousands(1234567), "1,234,567"},
		{secs(12400 * time.Millisecond), "12.4 s"}, {secs(1234 * time.Millisecond), "1.23 s"}, {secs(734 * time.Millisecond), "734 ms"},
		{mib(605 << 20), "605 MiB"}, {mib(0), "n/a"}, {bytesHuman(312 << 20), "312.0 MiB"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	got := table([]string{"a", "b"}, "lr", [][]string{{"x", "1"}})
	if want := "| a | b |\n|---|---:|\n| x | 1 |\n"; got != want {
		t.Errorf("table:\n%s\nwant\n%s", got, want)
	}
}

func TestRenderBuild(t *testing.T) {
	e := &Env{Seed: 1, Runs: 3, Warmup: 1}
	mk := func(n int, wall time.Duration, rss int64) buildResult {
		runs := []Run{{Wall: wall, MaxRSS: rss}, {Wall: wall + time.Second, MaxRSS: rss + 1<<20}, {Wall: wall - time.Millisecond, MaxRSS: rss}}
		return buildResult{Pages: n, Lang: "zh", Runs: runs, Stats: Summarize(runs), Built: n - 2, Files: 7, Bytes: 1 << 20,
			Largest: htmlPage{"scripts/page/2/index.html", int64(n) * 40}}
	}
	md := renderBuild(e, []buildResult{mk(1000, 2*time.Second, 100<<20), mk(10000, 20*time.Second, 800<<20)}, 6<<20)
	for _, want := range []string{
		"| 1,000 zh | 998 | 2.00 s | 2.00 s – 3.00 s | 500 | 100 MiB | 101 MiB |",
		"| 10,000 zh | 9,998 | 20.0 s |",
		"- zh: 10.0× the pages take 10.0× the wall time,",
		"and 8.0× the peak memory.",
		"harness peaked at 6 MiB",
		"| 10,000 zh | 3 | 20.0 s | 800 MiB |",
		"| 7 files, 1.0 MiB | 39 KiB (`scripts/page/2/index.html`) |",
		"| 7 files, 1.0 MiB | 391 KiB (`scripts/page/2/index.html`) **over the limit** |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestCountPages(t *testing.T) {
	f := filepath.Join(t.TempDir(), "pages.json")
	data := `[{"path": "a", "type": "case", "fields": {"x": [1, {"type": "nested"}]}}, {"type": "script"}, {"type": "case"}]`
	if err := os.WriteFile(f, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := countPages(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["case"] != 2 || got["script"] != 1 {
		t.Errorf("countPages = %v", got)
	}
	if err := os.WriteFile(f, []byte(`{"pages": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := countPages(f); err == nil {
		t.Error("an object: no error")
	}
}

func TestParseFlags(t *testing.T) {
	if s, err := parseSizes("1000, 10000"); err != nil || len(s) != 2 || s[1] != 10000 {
		t.Errorf("parseSizes = %v, %v", s, err)
	}
	for _, bad := range []string{"", "x", "3"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q): no error", bad)
		}
	}
	if _, err := parseLangs("zh,fr"); err == nil {
		t.Error("parseLangs(fr): no error")
	}
}

func TestLoadNote(t *testing.T) {
	cpus := float64(runtime.NumCPU())
	idle := fmt.Sprintf("%.2f, %.2f, 9.00", cpus/4, cpus/4)
	hot := fmt.Sprintf("%.2f, 0.10, 0.10", cpus+1)
	if n := loadNote(idle, idle); strings.Contains(n, "busy") || !strings.Contains(n, idle) {
		t.Errorf("idle: %q", n)
	}
	if n := loadNote(idle, hot); !strings.Contains(n, "busy") {
		t.Errorf("busy: %q", n)
	}
	if loadNote("", idle) != "" {
		t.Error("unknown load: want no note")
	}
}

// The search figures are the medians of the child's runs; the slowest
// queries are those of the run whose p99 is the median.
func TestMedianRun(t *testing.T) {
	runs := []childResult{
		{P50: 2.0, P99: 13.1, Max: 14, IndexSeconds: 12, ExportSec: 9, Slowest: []slowQuery{{"a", 13}}},
		{P50: 1.8, P99: 7.5, Max: 9, IndexSeconds: 14, ExportSec: 11, Slowest: []slowQuery{{"b", 7}}},
		{P50: 1.9, P99: 6.9, Max: 8, IndexSeconds: 13, ExportSec: 10, Slowest: []slowQuery{{"c", 6}}},
	}
	got := medianRun(runs)
	if got.P99 != 7.5 || got.P50 != 1.9 || got.Max != 9 || got.IndexSeconds != 13 || got.ExportSec != 10 {
		t.Errorf("medians: %+v", got)
	}
	if len(got.Slowest) != 1 || got.Slowest[0].Q != "b" {
		t.Errorf("slowest %+v, want those of the run with p99 7.5", got.Slowest)
	}
	if runs[0].P99 != 13.1 {
		t.Error("medianRun reordered its argument")
	}
}
