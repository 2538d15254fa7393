package main

import (
	"os"
	"os/exec"
	"path/filepath"
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

// A server that exits before it serves is reported at once, with what it
// printed, instead of after the startup limit.
func TestStartServer(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		wantBase string
		wantErr  string
	}{
		{"hugo 0.165's ready line", `echo "Web Server is available at http://127.0.0.1:1313/ (bind address 127.0.0.1) "; exec sleep 60`, "http://127.0.0.1:1313", ""},
		{"exits before serving", `echo 'Error: unknown flag: --renderToDisk' >&2; exit 1`, "", "unknown flag: --renderToDisk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := startServer(exec.Command("sh", "-c", tc.script), hugoReady, time.Minute)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "exited before serving") {
					t.Fatalf("err = %v, want it to say it exited and %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer srv.stop()
			if srv.base != tc.wantBase {
				t.Errorf("base = %q, want %q", srv.base, tc.wantBase)
			}
		})
	}
}

// waitFor gives up as soon as the server exits, with its last words.
func TestWaitForServerThatExits(t *testing.T) {
	// The server says it is ready, then dies once the test closes its
	// input: after startServer has seen it serving, never before.
	in, wake, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	cmd := exec.Command("sh", "-c", `echo "Web Server is available at http://127.0.0.1:1/"; read x; echo "panic: out of memory"; exit 2`)
	cmd.Stdin = in
	srv, err := startServer(cmd, hugoReady, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	wake.Close()
	err = srv.waitFor(srv.base+"/scripts/a/", time.Hour)
	if err == nil || !strings.Contains(err.Error(), "exited") || !strings.Contains(err.Error(), "panic: out of memory") {
		t.Errorf("err = %v, want the server's exit and its output", err)
	}
}

// The real hugo, when installed, serves the converted site with the
// arguments measureHugo gives it, and says so in the line the harness
// waits for (hugo 0.165 prints nothing with --quiet).
func TestHugoServerStarts(t *testing.T) {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		t.Skip("hugo is not installed")
	}
	site, dir := t.TempDir(), filepath.Join(t.TempDir(), "hugo")
	page := filepath.Join(site, "content", "scripts", "价格异议.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, []byte("---\ntitle: 价格异议\n---\n\n先确认预算。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := hugoSite(site, dir); err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := startServer(exec.Command(hugo, hugoServerArgs(dir, port)...), hugoReady, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	if err := srv.waitFor(pageURL(srv.base, page), time.Minute); err != nil {
		t.Fatal(err)
	}
}
