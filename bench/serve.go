package main

// The serve section: how long a save takes to reach an open page with
// `playbook serve`, beside `hugo server` on the same synthetic content.
//
// Method. The server is started on the synthetic site and left to finish
// its first build. Then, for each of the saves, one page's markdown gets a
// new paragraph with a unique word (an in-place write, as most editors
// save) and the clock runs until:
//
//   - reload event: the "reload" Server-Sent Event arrives on
//     /_playbook/events (playbook only; this is what makes the browser reload);
//   - page shows it: a GET of the page's URL, repeated every 10 ms, returns
//     HTML holding the new word. This is measured the same way for both
//     servers; Hugo's own signal is a LiveReload websocket, which this
//     harness does not speak.
//
// Saves are 150 ms apart. RSS is the server's VmRSS and VmHWM (peak) from
// /proc after the saves.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// serveSaves is the number of saves measured per server, site and method.
const serveSaves = 15

type serveResult struct {
	Server   string
	Pages    int
	Startup  time.Duration
	Event    []time.Duration // save → reload event
	Shown    []time.Duration // save → page has the new text
	Kinds    []kindResult    // save → reload event for the other kinds of save (saves.go)
	RSS, HWM int64
	Note     string
}

func serveSection(ctx context.Context, e *Env) (string, error) {
	lang := e.Langs[0]
	var results []serveResult
	for _, n := range e.Sizes {
		site, err := e.Site(ctx, n, lang)
		if err != nil {
			return "", err
		}
		r, err := e.measureServe(ctx, site, n)
		if err != nil {
			return "", err
		}
		results = append(results, r)
		results = append(results, e.measureHugo(ctx, site, n))
	}
	return renderServe(results, lang), nil
}

// savePages picks pages to edit: leaf pages without a slug, whose URL is
// their file name in both generators.
func savePages(site string, k int) ([]string, error) {
	var out []string
	err := filepath.WalkDir(filepath.Join(site, "content", "scripts"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || strings.HasPrefix(d.Name(), "_") || len(out) >= k {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && !regexp.MustCompile(`(?m)^(slug|draft|publishDate|expiryDate):`).Match(b) {
			out = append(out, p)
		}
		return nil
	})
	if len(out) == 0 && err == nil {
		err = fmt.Errorf("no page to edit in %s", site)
	}
	return out, err
}

// pageURL is the URL of a page in content/scripts of both generators.
func pageURL(base, file string) string {
	name := strings.TrimSuffix(filepath.Base(file), ".md")
	return base + "/scripts/" + url.PathEscape(strings.ToLower(name)) + "/"
}

func (e *Env) measureServe(ctx context.Context, site string, n int) (serveResult, error) {
	res := serveResult{Server: "playbook serve", Pages: n}
	fmt.Fprintf(e.Log, "serve: playbook on %d pages\n", n)
	cmd := exec.CommandContext(ctx, e.Bin, "serve", "-s", site, "--port", "0", "--now", Now)
	start := time.Now()
	srv, err := startServer(cmd, regexp.MustCompile(`at (http://[0-9.:]+)/ with live reload`), startupLimit)
	if err != nil {
		return res, err
	}
	defer srv.stop()
	base := srv.base
	res.Startup = time.Since(start)
	pages, err := savePages(site, serveSaves)
	if err != nil {
		return res, err
	}
	defer restore(pages)()
	resp, err := http.Get(base + "/_playbook/events")
	site0 := base + basePath(base) // pages live under the site's base path
	// Measure a settled server: its first search index is built in the
	// background after it starts serving, and competes for the CPU.
	if err := srv.waitFor(base+"/api/search?q=%E8%AF%9D%E6%9C%AF", startupLimit); err != nil {
		return res, err
	}
	if err != nil {
		return res, err
	}
	defer resp.Body.Close()
	events := make(chan time.Time, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() == "data: reload" {
				events <- time.Now()
			}
		}
	}()
	for i := 0; i < serveSaves; i++ {
		t0, err := save(pages[i%len(pages)], fmt.Sprintf("serveevent%dword", i))
		if err != nil {
			return res, err
		}
		d, err := awaitEvent(events, t0, "body of "+pages[i%len(pages)])
		if err != nil {
			return res, err
		}
		res.Event = append(res.Event, d)
		time.Sleep(150 * time.Millisecond)
	}
	if res.Kinds, err = measureKinds(pages, events); err != nil {
		return res, err
	}
	if res.Shown, err = measureShown(pages, site0, "serveshown"); err != nil {
		return res, err
	}
	res.RSS, res.HWM = procRSS(cmd.Process.Pid)
	return res, nil
}

// hugoReady matches the line hugo server prints once it serves: "Web
// Server is available at http://127.0.0.1:1313/ (bind address 127.0.0.1)".
// Hugo prints it only without --quiet (0.165 prints nothing else then).
var hugoReady = regexp.MustCompile(`(?i)web server is available at (http://[^ /]+)`)

// hugoServerArgs runs hugo server on dir at port, rendering to disk as its
// default does, with the output that says when it serves.
func hugoServerArgs(dir string, port int) []string {
	p := strconv.Itoa(port)
	return []string{"server", "-s", dir, "--bind", "127.0.0.1", "--port", p,
		"--baseURL", "http://127.0.0.1:" + p + "/", "--appendPort=false"}
}

// measureHugo converts the site to a Hugo site and measures hugo server
// the same way; when it cannot, the result says why.
func (e *Env) measureHugo(ctx context.Context, site string, n int) serveResult {
	res := serveResult{Server: "hugo server", Pages: n}
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		res.Note = "not measured: hugo is not installed (Debian: apt-get install hugo)"
		return res
	}
	fmt.Fprintf(e.Log, "serve: hugo on %d pages\n", n)
	dir := filepath.Join(e.Work, fmt.Sprintf("hugo-%d", n))
	if err := hugoSite(site, dir); err != nil {
		res.Note = "not measured: " + err.Error()
		return res
	}
	defer os.RemoveAll(dir)
	port, err := freePort()
	if err != nil {
		res.Note = "not measured: " + err.Error()
		return res
	}
	cmd := exec.CommandContext(ctx, hugo, hugoServerArgs(dir, port)...)
	start := time.Now()
	srv, err := startServer(cmd, hugoReady, startupLimit)
	if err != nil {
		res.Note = "not measured: " + oneLine(err.Error())
		return res
	}
	defer srv.stop()
	res.Startup = time.Since(start)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	pages, err := savePages(dir, serveSaves)
	if err != nil {
		res.Note = "not measured: " + err.Error()
		return res
	}
	if err := srv.waitFor(pageURL(base, pages[0]), startupLimit); err != nil {
		res.Note = "not measured: " + oneLine(err.Error())
		return res
	}
	defer restore(pages)()
	if res.Shown, err = measureShown(pages, base, "hugoshown"); err != nil {
		res.Note = "not measured: " + firstLine(err.Error())
		return res
	}
	res.RSS, res.HWM = procRSS(cmd.Process.Pid)
	version, _ := exec.Command(hugo, "version").Output()
	res.Note = strings.Fields(string(version) + " ?")[0] + " " + strings.Fields(string(version) + " ? ?")[1]
	return res
}

// measureShown saves pages one after another and times each until the
// page's URL serves the new word.
func measureShown(pages []string, base, word string) ([]time.Duration, error) {
	var out []time.Duration
	client := &http.Client{Timeout: 10 * time.Second}
	for i := 0; i < serveSaves; i++ {
		p := pages[i%len(pages)]
		w := fmt.Sprintf("%s%dword", word, i)
		u := pageURL(base, p)
		if code, _ := fetch(client, u); code != 200 {
			return nil, fmt.Errorf("GET %s: %d before the save", u, code)
		}
		t0, err := save(p, w)
		if err != nil {
			return nil, err
		}
		for {
			if _, body := fetch(client, u); strings.Contains(body, w) {
				out = append(out, time.Since(t0))
				break
			}
			if time.Since(t0) > 60*time.Second {
				return nil, fmt.Errorf("%s did not show the save within 60 s", u)
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(150 * time.Millisecond)
	}
	return out, nil
}

// waitFor asks for u until it answers 200, giving up after limit or when
// the server exits.
func (p *proc) waitFor(u string, limit time.Duration) error {
	c := &http.Client{Timeout: 30 * time.Second}
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		code, _ := fetch(c, u)
		switch {
		case code == http.StatusOK:
			return nil
		case p.hasExited():
			return fmt.Errorf("the server exited while GET %s answered %d: %s", u, code, p.tail)
		case time.Since(start) > limit:
			return fmt.Errorf("GET %s: %d after %s", u, code, limit)
		}
	}
}

func (p *proc) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// basePath asks the server where "/" goes: playbook serve redirects to the
// site's base path ("/sales") when its baseURL has one.
func basePath(base string) string {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/")
	if err != nil {
		return ""
	}
	resp.Body.Close()
	return strings.TrimSuffix(resp.Header.Get("Location"), "/")
}

func fetch(c *http.Client, u string) (int, string) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// save appends a paragraph holding word to a page and returns the time of
// the write.
func save(page, word string) (time.Time, error) {
	b, err := os.ReadFile(page)
	if err != nil {
		return time.Time{}, err
	}
	b = append(b, "\n\n测量用的新段落 "+word+"。\n"...)
	t0 := time.Now()
	return t0, os.WriteFile(page, b, 0o644)
}

// restore returns a func that puts the pages back as they are now.
func restore(pages []string) func() {
	saved := map[string][]byte{}
	for _, p := range pages {
		saved[p], _ = os.ReadFile(p)
	}
	return func() {
		for p, b := range saved {
			os.WriteFile(p, b, 0o644)
		}
	}
}

// startupLimit is how long a server may take to say it is serving, and
// then to answer its first request.
const startupLimit = 5 * time.Minute

// proc is a started server: its address, how to stop it, and what it
// printed last, so that a server that exits is reported with its words.
type proc struct {
	base   string
	stop   func()
	exited <-chan struct{} // closed when the process has exited
	tail   *tail
}

// tail keeps the last lines a process printed.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines[max(0, len(t.lines)-9):], line)
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// startServer starts cmd and waits until a line of its output matches
// ready; the first group of the match is the server's base URL. It fails
// as soon as the process exits, with what it printed.
func startServer(cmd *exec.Cmd, ready *regexp.Regexp, limit time.Duration) (*proc, error) {
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	waited := make(chan struct{})
	go func() { cmd.Wait(); close(exited); pw.Close(); close(waited) }()
	p := &proc{exited: exited, tail: &tail{}, stop: func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-waited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-waited
		}
	}}
	found := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			p.tail.add(sc.Text())
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr) // a line too long for the scanner must not block the server
	}()
	select {
	case p.base = <-found:
		return p, nil
	case <-exited:
		<-scanned // every line it printed is in the tail
		return nil, fmt.Errorf("%s exited before serving (%s): %s", filepath.Base(cmd.Path), cmd.ProcessState, p.tail)
	case <-time.After(limit):
		p.stop()
		return nil, fmt.Errorf("%s did not say it was serving within %s (want a line matching %s); it printed: %s",
			filepath.Base(cmd.Path), limit, ready, p.tail)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// procRSS reads a process's resident and peak resident memory in bytes.
func procRSS(pid int) (rss, hwm int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb * 1024
		case "VmHWM:":
			hwm = kb * 1024
		}
	}
	return rss, hwm
}

// hugoSite writes a Hugo site with the synthetic content and the smallest
// layouts that show a page's text.
func hugoSite(site, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	files := map[string]string{
		"hugo.toml": "baseURL = \"/\"\ntitle = \"bench\"\ndisableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\"]\n" +
			"[markup.goldmark.renderer]\nunsafe = false\n",
		"layouts/_default/single.html": "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n",
		"layouts/_default/list.html":   "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	src := filepath.Join(site, "content")
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dir, "content", rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
}

// oneLine folds a process's output into one line for a note in a table.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// percentile is the nearest-rank percentile (p in 0..1) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p*float64(len(s)-1) + 0.5)
	return s[i]
}

func latency(ds []time.Duration) string {
	if len(ds) == 0 {
		return "—"
	}
	return fmt.Sprintf("%s / %s", msecs(percentile(ds, 0.5)), msecs(percentile(ds, 0.95)))
}

func msecs(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

func renderServe(results []serveResult, lang string) string {
	var rows [][]string
	var notes []string
	for _, r := range results {
		startup := "—"
		if r.Startup > 0 {
			startup = secs(r.Startup)
		}
		rows = append(rows, []string{r.Server, thousands(int64(r.Pages)) + " " + lang, startup, latency(r.Event), latency(r.Shown), mib(r.RSS), mib(r.HWM)})
		if r.Note != "" {
			notes = append(notes, fmt.Sprintf("- %s, %s pages: %s", r.Server, thousands(int64(r.Pages)), r.Note))
		}
	}
	var b strings.Builder
	b.WriteString("## Live preview: save → reload\n\n")
	fmt.Fprintf(&b, "%d in-place saves per server and site, each appending a paragraph to a different page, 150 ms apart. "+
		"*Reload event*: save → the `reload` Server-Sent Event (what makes the browser reload; playbook only). "+
		"*Page shows it*: save → a GET of the page, repeated every 10 ms, returns the new text (same method for both). "+
		"Latencies are p50 / p95. Startup is until the server says it is serving; the saves start once it has settled (playbook: its search answers; Hugo: the page answers). RSS after the saves, and peak. "+
		"Targets for playbook: reload event p50 under 50 ms at 1,000 pages and under 100 ms at 10,000. "+
		"Hugo serves the same content with two minimal layouts (title and body), so it renders far less per page than the playbook theme.\n\n", serveSaves)
	b.WriteString(table([]string{"server", "site", "startup", "reload event p50 / p95", "page shows it p50 / p95", "RSS", "peak RSS"}, "llrrrrr", rows))
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
	}
	b.WriteString(renderKinds(results, lang))
	return b.String()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
