package misses

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func mustEvent(t *testing.T, q string) Event {
	t.Helper()
	e, err := NewEvent(q, 0, false, t0)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func queries(events []Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Query)
	}
	return out
}

func size(t *testing.T, p string) int64 {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return st.Size()
}

// TestLogCap: the log never holds more than two files of at most the cap
// each, and keeps the newest events, in order.
func TestLogCap(t *testing.T) {
	line := func(q string) int64 { b, _ := json.Marshal(mustEvent(t, q)); return int64(len(b) + 1) }
	n := line("miss-00") // every query below is as long
	tests := []struct {
		name    string
		max     int64
		appends int
		cur     int // events in the current file
		old     int // in the rotated one; -1 for none
	}{
		{"under the cap: one file", 10 * n, 7, 7, -1},
		{"exactly at the cap: still one file", 10 * n, 10, 10, -1},
		{"one over: rotated once", 10 * n, 11, 1, 10},
		{"many over: the last two files' worth", 10 * n, 35, 5, 10},
		{"a cap smaller than a line: one event a file", n / 2, 4, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := t.TempDir()
			l := NewLog(site)
			l.max = tt.max
			var all []string
			for i := range tt.appends {
				q := fmt.Sprintf("miss-%02d", i)
				all = append(all, q)
				if err := l.Append(mustEvent(t, q)); err != nil {
					t.Fatal(err)
				}
			}
			cur, old := filepath.Join(site, FileName), filepath.Join(site, OldName)
			if got := size(t, cur); got != int64(tt.cur)*n || got > max(tt.max, n) {
				t.Errorf("current file: %d bytes, want %d events of %d", got, tt.cur, n)
			}
			if got, want := size(t, old), int64(tt.old)*n; tt.old < 0 && got != -1 || tt.old >= 0 && got != want {
				t.Errorf("rotated file: %d bytes, want %d", got, want)
			}
			events, skipped, err := Read(site)
			kept := tt.cur + max(tt.old, 0)
			if err != nil || skipped != 0 || strings.Join(queries(events), " ") != strings.Join(all[len(all)-kept:], " ") {
				t.Errorf("Read = %v, %d skipped, %v; want the last %d: %v", queries(events), skipped, err, kept, all[len(all)-kept:])
			}
		})
	}
}

// TestLogConcurrentAppends: events appended at once from many goroutines
// are each one whole line.
func TestLogConcurrentAppends(t *testing.T) {
	site := t.TempDir()
	l := NewLog(site)
	const writers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := l.Append(mustEvent(t, fmt.Sprintf("查询 %d-%d", w, i))); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	events, skipped, err := Read(site)
	if err != nil || skipped != 0 || len(events) != writers*each {
		t.Fatalf("read %d events, %d skipped, %v; want %d", len(events), skipped, err, writers*each)
	}
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Query] = true
	}
	if len(seen) != writers*each {
		t.Errorf("%d different queries, want %d", len(seen), writers*each)
	}
}

// TestReadSkipsBadLines: a line that is not a miss event — broken JSON,
// a search that found what it looked for, no query or time — is counted
// and left out; blank lines are nothing; fields Playbook does not know are
// dropped.
func TestReadSkipsBadLines(t *testing.T) {
	lines := []struct {
		line string
		ok   bool
	}{
		{`{"time":"2026-11-20T01:00:00Z","query":"嫌贵","count":0,"relaxed":false}`, true},
		{``, true}, // blank: not counted either way
		{`{"time":"2026-11-20T01:00:00Z","query":"嫌贵","count":0`, false},
		{`not json at all`, false},
		{`{"time":"2026-11-20T01:00:00Z","query":"价格","count":5,"relaxed":false}`, false},
		{`{"time":"2026-11-20T01:00:00Z","query":"  ","count":0,"relaxed":false}`, false},
		{`{"query":"嫌贵","count":0,"relaxed":false}`, false},
		{`{"time":"2026-11-20T01:00:00Z","query":"` + strings.Repeat("贵", 201) + `","count":0}`, false},
		{`{"time":"2026-11-20T02:00:00Z","query":" 便宜点 ","count":2,"relaxed":true,"ip":"10.0.0.1"}`, true},
		{`["time","query"]`, false},
	}
	var b strings.Builder
	wantSkipped := 0
	for _, l := range lines {
		b.WriteString(l.line + "\n")
		if !l.ok {
			wantSkipped++
		}
	}
	site := t.TempDir()
	write(t, filepath.Join(site, FileName), b.String())
	events, skipped, err := Read(site)
	if err != nil || skipped != wantSkipped || strings.Join(queries(events), "|") != "嫌贵|便宜点" {
		t.Errorf("Read = %q, %d skipped, %v; want 嫌贵|便宜点 and %d skipped", queries(events), skipped, err, wantSkipped)
	}
	for _, e := range events {
		if b, _ := json.Marshal(e); bytes.Contains(b, []byte("10.0.0.1")) {
			t.Errorf("an unknown field survived: %s", b)
		}
	}
}

// TestReadTail: of a log a collector let grow past the cap only the last
// MaxFileBytes are read, from the first whole line in them.
func TestReadTail(t *testing.T) {
	site := t.TempDir()
	line, _ := json.Marshal(mustEvent(t, "旧的查询"))
	var b bytes.Buffer
	for b.Len() < MaxFileBytes+5000 {
		b.Write(line)
		b.WriteByte('\n')
	}
	last, _ := json.Marshal(mustEvent(t, "最新的查询"))
	b.Write(last)
	b.WriteByte('\n')
	write(t, filepath.Join(site, FileName), b.String())
	events, skipped, err := Read(site)
	if err != nil || skipped != 0 {
		t.Fatalf("Read: %d skipped, %v", skipped, err)
	}
	want := MaxFileBytes/(len(line)+1) - 1 // the lines wholly in the tail, the newest among them
	if len(events) < want || len(events) > want+1 || events[len(events)-1].Query != "最新的查询" {
		t.Errorf("read %d events ending %q, want about %d ending with the newest", len(events), events[len(events)-1].Query, want)
	}
}

func TestReadNoLog(t *testing.T) {
	events, skipped, err := Read(t.TempDir())
	if err != nil || events != nil || skipped != 0 {
		t.Errorf("a site without a log: %v, %d, %v", events, skipped, err)
	}
	r, err := Load(t.TempDir())
	if err != nil || r.Top == nil || len(r.Top) != 0 {
		t.Errorf("Load: %#v, %v", r, err)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	mkdir(t, filepath.Dir(p))
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, p string) {
	t.Helper()
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}
