package preview

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/playbook-sales/playbook/builder"
)

// cspWatch records, in every page, the Content-Security-Policy violations
// the browser reports, and stands in for the print dialog.
const cspWatch = `window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
window.print = function () { window.__printed = true; };`

// The sample knowledge base in serve, in headless Chromium, under serve's
// Content-Security-Policy: every kind of page loads with no violation and
// its scripts run (the theme's inline script, the search box, the print
// button, the reload stream); the search box says the index is being
// built until it is, then finds; the error overlay keeps its styles.
func TestBrowserCSP(t *testing.T) {
	chromium := findChromium(t)
	site := t.TempDir()
	for _, name := range []string{"content", "static", "playbook.yaml", "synonyms.yaml"} {
		copyInto(t, filepath.Join("..", "..", name), filepath.Join(site, name))
	}
	live, err := builder.NewLive(context.Background(), builder.Options{Site: site, Drafts: true, Future: true, NowText: "2026-11-23"})
	if err != nil {
		t.Fatal(err)
	}
	s := New(live, nil, &testLog{t})
	hs := httptest.NewServer(s.Handler(Access{}))
	defer hs.Close()
	defer s.Close()

	bctx := newBrowser(t, chromium)
	console := watchConsole(t, bctx)
	if _, err := chromedp.Call(bctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	open := func(path string) {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.Navigate(hs.URL+path)); err != nil {
			t.Fatal(err)
		}
		until(t, bctx, path+" loads", `document.readyState === "complete"`)
	}
	noViolations := func(what string) {
		t.Helper()
		if v, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`window.__csp`)); err != nil || len(v) > 0 {
			t.Errorf("%s: policy violations %q (%v)", what, v, err)
		}
	}

	t.Run("search box before and after the index", func(t *testing.T) {
		open("/")
		type_ := func(q string) {
			if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("search-q").value = ""`),
				chromedp.SendKeys(chromedp.CSS("#search-q"), q)); err != nil {
				t.Fatal(err)
			}
		}
		type_("价格")
		until(t, bctx, "the box says the index is being built",
			`(document.querySelector("#search-pop .search-error")?.textContent || "").includes("搜索索引正在建立")`)
		s.IndexSearch()
		type_("太贵")
		until(t, bctx, "the box finds once indexed", `document.querySelectorAll("#search-pop a.hit").length > 0`)
		noViolations("search box")
	})

	pages := []string{
		"/", "/scripts/", "/scripts/price-objection/", "/cases/donglin-bank/", "/competitors/", "/competitors/星图crm/",
		"/training/", "/training/产品基础与演示/", "/training/产品基础与演示/slides/", "/tracks/", "/retros/",
		"/actions/", "/health/", "/tags/", "/search/?q=价格", "/no-such-page/",
	}
	for _, p := range pages {
		t.Run("page "+p, func(t *testing.T) {
			open(p)
			until(t, bctx, "the theme's inline script ran", `document.documentElement.classList.contains("js")`)
			noViolations(p)
		})
	}

	t.Run("print button", func(t *testing.T) {
		open("/training/产品基础与演示/print/")
		if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS("#handout-print"))); err != nil {
			t.Fatal(err)
		}
		until(t, bctx, "the button prints", `window.__printed === true`)
		noViolations("print page")
	})

	t.Run("overlay after a broken save, over the reload stream", func(t *testing.T) {
		open("/scripts/price-objection/")
		waitClients(t, s, 1)
		md := filepath.Join(site, "content", "scripts", "价格异议处理.md")
		src, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(md, []byte(strings.Replace(string(src), "title:", "title: [", 1)), 0o644)
		if _, err := s.Update(context.Background(), []string{md}); err == nil {
			t.Fatal("the broken save built")
		}
		until(t, bctx, "the overlay shows, styled", `(() => { const o = document.getElementById("playbook-error");
			return o !== null && getComputedStyle(o).position === "fixed" })()`)
		noViolations("overlay")
	})

	for _, m := range console.errors() {
		t.Errorf("console: %s", m)
	}
}

// consoleLog keeps the console's errors and uncaught exceptions.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleLog) errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.msgs
}

// watchConsole records what the pages write to the console as errors,
// leaving out the answers that are meant to fail: 404s (the 404 page, the
// sample has no favicon) and the 503s of search before the index.
func watchConsole(t *testing.T, ctx context.Context) *consoleLog {
	c := &consoleLog{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() {
				continue
			}
			if strings.Contains(m.Text, "Failed to load resource") && (strings.Contains(m.Text, "404") || strings.Contains(m.Text, "503")) {
				continue
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, m.String()+" ("+m.URL+")")
			c.mu.Unlock()
		}
	}()
	return c
}

// copyInto copies a file or folder of the repository's sample site.
func copyInto(t *testing.T, src, dst string) {
	t.Helper()
	fi, err := os.Stat(src)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if fi.IsDir() {
		err = os.CopyFS(dst, os.DirFS(src))
	} else {
		var b []byte
		if b, err = os.ReadFile(src); err == nil {
			err = os.WriteFile(dst, b, 0o644)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}
