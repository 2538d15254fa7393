package main

// Each kind of save in serve: besides the body edits of the serve section,
// a front-matter edit, a new page, a deleted page and a renamed page, each
// timed from the write to the "reload" event (playbook serve only).

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// kindResult is the reload-event latencies of one kind of save.
type kindResult struct {
	Kind  string
	Event []time.Duration
}

// saveKind makes save i of its kind and returns the time of the write.
type saveKind struct {
	name string
	save func(i int) (time.Time, error)
}

var titleLine = regexp.MustCompile(`(?m)^title: `)

// saveKinds are the kinds of save after a body edit, made on the first of
// pages with YAML front matter and on new files beside it. A
// new page is deleted again by the next kind, and the renamed page is
// made before, and removed after, by cleanup.
func saveKinds(pages []string) ([]saveKind, func() error, error) {
	page, orig, err := yamlPage(pages)
	if err != nil {
		return nil, nil, err
	}
	dir := filepath.Dir(page)
	newFile := func(i int) string { return filepath.Join(dir, fmt.Sprintf("benchsite-new-%d.md", i)) }
	renamed := [2]string{filepath.Join(dir, "benchsite-renamed-a.md"), filepath.Join(dir, "benchsite-renamed-b.md")}
	timed := func(f func() error) (time.Time, error) { t0 := time.Now(); return t0, f() }
	kinds := []saveKind{
		{"front matter", func(i int) (time.Time, error) {
			b := titleLine.ReplaceAll(orig, fmt.Appendf(nil, "title: 第%d版 ", i))
			return timed(func() error { return os.WriteFile(page, b, 0o644) })
		}},
		{"new page", func(i int) (time.Time, error) {
			b := fmt.Appendf(nil, "---\ntitle: 新页面 %d\ntags: [通用]\n---\n\n新页面的正文 %d。\n", i, i)
			return timed(func() error { return os.WriteFile(newFile(i), b, 0o644) })
		}},
		{"delete", func(i int) (time.Time, error) { return timed(func() error { return os.Remove(newFile(i)) }) }},
		{"rename", func(i int) (time.Time, error) {
			return timed(func() error { return os.Rename(renamed[i%2], renamed[(i+1)%2]) })
		}},
	}
	cleanup := func() error {
		os.WriteFile(page, orig, 0o644)
		for _, p := range renamed {
			os.Remove(p)
		}
		return nil
	}
	return kinds, cleanup, os.WriteFile(renamed[0], []byte("---\ntitle: 改名的页面\n---\n\n正文。\n"), 0o644)
}

// yamlPage returns the first of pages whose front matter is YAML with a
// title line (the synthetic site mixes YAML, TOML and JSON), and its bytes.
func yamlPage(pages []string) (string, []byte, error) {
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			return "", nil, err
		}
		if bytes.HasPrefix(b, []byte("---\n")) && titleLine.Match(b) {
			return p, b, nil
		}
	}
	return "", nil, fmt.Errorf("no page with a YAML title line among %d", len(pages))
}

// measureKinds makes serveSaves saves of each kind, 150 ms apart, and
// times each until the reload event. It first waits for the event of the
// page made for renaming.
func measureKinds(pages []string, events <-chan time.Time) ([]kindResult, error) {
	kinds, cleanup, err := saveKinds(pages)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if _, err := awaitEvent(events, time.Now(), "the page made for renaming"); err != nil {
		return nil, err
	}
	var out []kindResult
	for _, k := range kinds {
		r := kindResult{Kind: k.name}
		for i := 0; i < serveSaves; i++ {
			drain(events) // a save the watcher saw as two batches reloads twice
			t0, err := k.save(i)
			if err != nil {
				return nil, fmt.Errorf("%s save %d: %w", k.name, i, err)
			}
			d, err := awaitEvent(events, t0, k.name)
			if err != nil {
				return nil, err
			}
			r.Event = append(r.Event, d)
			time.Sleep(150 * time.Millisecond)
		}
		out = append(out, r)
	}
	return out, nil
}

func drain(events <-chan time.Time) {
	for {
		select {
		case <-events:
		default:
			return
		}
	}
}

// awaitEvent waits for the next reload event and returns the time since t0.
func awaitEvent(events <-chan time.Time, t0 time.Time, what string) (time.Duration, error) {
	select {
	case t1 := <-events:
		return t1.Sub(t0), nil
	case <-time.After(60 * time.Second):
		return 0, fmt.Errorf("no reload event 60 s after a save (%s)", what)
	}
}

// renderKinds is the table of reload-event latencies by kind of save.
func renderKinds(results []serveResult, lang string) string {
	var rows [][]string
	for _, r := range results {
		if len(r.Event) > 0 && len(r.Kinds) > 0 {
			rows = append(rows, []string{r.Server, thousands(int64(r.Pages)) + " " + lang, "body edit", latency90(r.Event)})
		}
		for _, k := range r.Kinds {
			rows = append(rows, []string{r.Server, thousands(int64(r.Pages)) + " " + lang, k.Kind, latency90(k.Event)})
		}
	}
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n### Each kind of save\n\n")
	fmt.Fprintf(&b, "%d saves of each kind, 150 ms apart, timed from the write to the `reload` event: the body edits above; "+
		"a front-matter edit (the title of one script); a new page in content/scripts/; the deletion of each new page; "+
		"a page renamed back and forth. Target: p50 under 250 ms at 10,000 pages for every kind.\n\n", serveSaves)
	b.WriteString(table([]string{"server", "site", "save", "reload event p50 / p90"}, "lllr", rows))
	return b.String()
}

func latency90(ds []time.Duration) string {
	if len(ds) == 0 {
		return "—"
	}
	return fmt.Sprintf("%s / %s", msecs(percentile(ds, 0.5)), msecs(percentile(ds, 0.9)))
}
