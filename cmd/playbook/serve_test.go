package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serve on port 0 answers, rebuilds on a save, and stops cleanly — with an
// event stream still open — when its context ends, as on Ctrl-C.
func TestServeRunsAndStopsCleanly(t *testing.T) {
	site := t.TempDir()
	files := map[string]string{
		"playbook.yaml":          "title: 测试\n",
		"content/scripts/a.md":   "---\ntitle: 话术甲\n---\n\n第一版。\n",
		"content/scripts/b.md":   "---\ntitle: 草稿乙\ndraft: true\n---\n\n草稿。\n",
		"content/guides/note.md": "---\ntitle: 说明\n---\n\n说明。\n",
	}
	for name, text := range files {
		p := filepath.Join(site, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-s", site, "--port", "0"}, pw, io.Discard)
		pw.Close()
	}()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	wait := func(re *regexp.Regexp) []string {
		t.Helper()
		timeout := time.After(30 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("serve ended before printing %s", re)
				}
				if m := re.FindStringSubmatch(l); m != nil {
					return m
				}
			case <-timeout:
				t.Fatalf("serve did not print %s", re)
			}
		}
	}
	base := wait(regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`))[1]

	page := func(path string) string {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if p := page("/scripts/b/"); !strings.Contains(p, "草稿乙") || !strings.Contains(p, "badge-hidden") {
		t.Error("serve does not show the draft with its badge")
	}
	events, err := http.Get(base + "/_playbook/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()

	os.WriteFile(filepath.Join(site, "content/scripts/a.md"), []byte("---\ntitle: 话术甲\n---\n\n第一版。\n\n第二版。\n"), 0o644)
	wait(regexp.MustCompile(`rebuilt \(body`))
	if !strings.Contains(page("/scripts/a/"), "第二版") {
		t.Error("the save is not served")
	}

	cancel() // Ctrl-C
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after Ctrl-C, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s of Ctrl-C (an open event stream held it?)")
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("still answering after stopping")
	}
}

// -D=false and -F=false leave drafts and future pages out of the preview.
func TestServeDraftsOff(t *testing.T) {
	site := t.TempDir()
	for name, text := range map[string]string{
		"playbook.yaml":            "title: 测试\n",
		"content/scripts/a.md":     "---\ntitle: 话术甲\n---\n\n正文。\n",
		"content/scripts/draft.md": "---\ntitle: 草稿\ndraft: true\n---\n\n草稿。\n",
		"content/scripts/later.md": "---\ntitle: 以后\npublishDate: 2099-01-01\n---\n\n以后。\n",
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	for _, tc := range []struct {
		flags      []string
		draft, fut int
	}{
		{nil, 200, 200},
		{[]string{"-D=false"}, 404, 200},
		{[]string{"-D=false", "-F=false"}, 404, 404},
	} {
		t.Run(strings.Join(append([]string{"serve"}, tc.flags...), " "), func(t *testing.T) {
			base := startServe(t, site, tc.flags...)
			for path, want := range map[string]int{"/scripts/draft/": tc.draft, "/scripts/later/": tc.fut, "/scripts/a/": 200} {
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
				}
			}
		})
	}
}

// startServe runs serve on site with flags on a free port until the test
// ends, and returns its address.
func startServe(t *testing.T, site string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "-s", site, "--port", "0"}, flags...), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() { cancel(); <-done })
	sc := bufio.NewScanner(pr)
	go func() { <-ctx.Done(); pr.Close() }()
	re := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)
	var base string
	for base == "" && sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		t.Fatal("serve did not say where it serves")
	}
	return base
}

// serve answers its own address and the names --allow-host gives, and
// nothing else: a name pointed at 127.0.0.1 by someone else (DNS
// rebinding) gets 403 and no drafts.
func TestServeAnswersOnlyItsHosts(t *testing.T) {
	site := t.TempDir()
	for name, text := range map[string]string{
		"playbook.yaml":            "title: 测试\n",
		"content/scripts/draft.md": "---\ntitle: 草稿话术\ndraft: true\n---\n\n草稿。\n",
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	base := startServe(t, site, "--allow-host", "kb.example.com")
	for host, want := range map[string]int{"": 200, "localhost:1313": 200, "kb.example.com": 200, "evil.example.com": 403} {
		req, _ := http.NewRequest("GET", base+"/api/pages.json", nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 403) == strings.Contains(string(b), "草稿话术") {
			t.Errorf("Host %q: %d, want %d: %.100s", host, resp.StatusCode, want, b)
		}
	}
}
