package preview

// The live preview as an author sees it, in headless Chromium: edit a
// page's markdown and the open page shows the new text by itself; change a
// stylesheet and the styles change without a reload; break the front
// matter and the page names the file; fix it and the overlay goes.
//
// Without Chromium the test is skipped, unless CI is set: then it fails.
// Set PLAYBOOK_SCREENSHOTS=DIR to keep screenshots of what it checked.

import (
	"context"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/search/misses"
)

func findChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("chromium not found; set CHROMIUM to its path (the test fails instead when CI is set)")
	}
	t.Fatal("chromium not found, and CI is set: install chromium or set CHROMIUM")
	return ""
}

func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	return ctx
}

// until waits for a JavaScript condition in the page. It asks again and
// again rather than with chromedp.Poll, which fails when the page reloads
// under it — and reloading is what this test is about.
func until(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 400) : ""`))
			t.Fatalf("%s: not within 15s (last error %v)\npage text: %s", what, err, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("PLAYBOOK_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

func TestBrowserLiveReload(t *testing.T) {
	chromium := findChromium(t)
	site := writeSite(t, smallSite)
	live, err := builder.NewLive(context.Background(), builder.Options{Site: site, Drafts: true, Future: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := Watch(ctx, site, WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := New(live, nil, &testLog{t})
	go s.Run(ctx, w)
	hs := httptest.NewServer(s.Handler(Access{}))
	defer hs.Close()
	defer s.Close()

	bctx := newBrowser(t, chromium)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)),
		chromedp.Navigate(hs.URL+"/scripts/price/")); err != nil {
		t.Fatal(err)
	}
	until(t, bctx, "page loads", `document.readyState === "complete" && document.body.innerText.includes("先确认客户在和谁比较")`)
	waitClients(t, s, 1)

	// 1. Edit the markdown: the new text appears without a manual reload.
	md := filepath.Join(site, "content", "scripts", "price.md")
	good := smallSite["content/scripts/price.md"]
	write(t, md, good+"\n浏览器里自动出现的新段落。\n")
	until(t, bctx, "edited text appears", `document.body.innerText.includes("浏览器里自动出现的新段落")`)
	waitClients(t, s, 1) // the reloaded page has connected again

	// 2. A stylesheet change is applied in place: the page is not reloaded
	// (a value set on window survives) and the new rule takes effect.
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`window.__kept = 42`)); err != nil {
		t.Fatal(err)
	}
	theme := s.state.Load().snap.Files["css/playbook.css"]
	if len(theme) == 0 {
		t.Fatal("the theme has no css/playbook.css to override")
	}
	write(t, filepath.Join(site, "static", "css", "playbook.css"), string(theme)+"\nbody { background-color: rgb(1, 2, 3) !important; }\n")
	until(t, bctx, "stylesheet swapped", `getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`)
	if kept, err := chromedp.Run(bctx, chromedp.Evaluate[int](`window.__kept || 0`)); err != nil || kept != 42 {
		t.Errorf("the page reloaded for a stylesheet change (marker %d, %v)", kept, err)
	}
	os.Remove(filepath.Join(site, "static", "css", "playbook.css"))
	until(t, bctx, "stylesheet restored", `getComputedStyle(document.body).backgroundColor !== "rgb(1, 2, 3)"`)

	// 3. Break the front matter: the overlay names the file, and the last
	// good text is still there under it.
	write(t, md, strings.Replace(good, "channel: phone", "channel: [phone", 1))
	until(t, bctx, "overlay names the file", `(() => { const o = document.getElementById("playbook-error");
		return o !== null && o.innerText.includes("content/scripts/price.md:") })()`)
	until(t, bctx, "last good build still shown", `document.body.innerText.includes("浏览器里自动出现的新段落")`)
	// The site is zh-CN: the overlay speaks Chinese, each message first in
	// Chinese with the English line kept after it for search, and on the
	// phone nothing of it runs off the screen.
	until(t, bctx, "overlay in Chinese with the English kept", `(() => { const t = document.getElementById("playbook-error").innerText;
		const zh = t.indexOf("YAML 格式有误"), en = t.indexOf("invalid YAML");
		return t.includes("构建失败") && t.includes("点此收起") && zh >= 0 && en > zh })()`)
	fits, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("#playbook-error li, #playbook-error summary")]
		.every(e => e.getBoundingClientRect().right <= window.innerWidth + 1) && document.documentElement.scrollWidth <= window.innerWidth`))
	if err != nil || !fits {
		t.Errorf("the Chinese overlay runs off a 390 px screen (%v)", err)
	}
	screenshot(t, bctx, "serve-overlay-phone")
	// On a phone the overlay folds away at a tap on its title, to read the
	// page under it, and unfolds again.
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`#playbook-error > summary`))); err != nil {
		t.Fatal(err)
	}
	until(t, bctx, "overlay folded", `(() => { const o = document.getElementById("playbook-error");
		return !o.open && o.getBoundingClientRect().height < 120 && o.innerText.includes("构建失败") })()`)
	screenshot(t, bctx, "serve-overlay-folded-phone")
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`#playbook-error > summary`))); err != nil {
		t.Fatal(err)
	}
	until(t, bctx, "overlay unfolded", `document.getElementById("playbook-error").open`)

	// 4. Fix it: the overlay is gone and the fixed text is shown.
	write(t, md, good+"\n修好以后的段落。\n")
	until(t, bctx, "overlay gone after the fix", `document.getElementById("playbook-error") === null && document.body.innerText.includes("修好以后的段落")`)
	screenshot(t, bctx, "serve-fixed-phone")
}

type testLog struct{ t *testing.T }

func (l *testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// TestBrowserSearchMissReport: in serve, the search box reports a settled
// miss to serve itself — under the preview's Content-Security-Policy, and
// whatever search.report_url says — and the health page lists it.
func TestBrowserSearchMissReport(t *testing.T) {
	chromium := findChromium(t)
	files := maps.Clone(smallSite)
	files["playbook.yaml"] += "search:\n  report_url: https://stats.example.com/miss\n"
	site := writeSite(t, files)
	live, err := builder.NewLive(context.Background(), builder.Options{Site: site, Drafts: true, Future: true})
	if err != nil {
		t.Fatal(err)
	}
	s := New(live, nil, &testLog{t})
	s.IndexSearch()
	hs := httptest.NewServer(s.Handler(Access{}))
	defer hs.Close()
	defer s.Close()

	bctx := newBrowser(t, chromium)
	if err := chromedp.Do(bctx, chromedp.Navigate(hs.URL+"/scripts/price/")); err != nil {
		t.Fatal(err)
	}
	until(t, bctx, "the reload script points the box at serve", `document.querySelector("form.search").getAttribute("data-report") === "`+MissPath+`"`)
	// The query arrives whole, as a paste does: typed key by key on a
	// loaded machine, a pause over MISS_SETTLE_MS after "x" settles "x" as
	// a miss of its own, which is what the box should do for a reader too.
	paste := `(() => { const q = document.querySelector("#search-q"); q.focus(); q.value = "xqzv";
		q.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste", data: "xqzv"})); })()`
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](paste)); err != nil {
		t.Fatal(err)
	}
	until(t, bctx, "the box finds nothing", `document.querySelector("#search-pop .search-none") !== null`)
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("pagehide"))`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		events, _, err := misses.Read(site)
		if err == nil && len(events) == 1 && events[0].Query == "xqzv" && events[0].Count == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log holds %+v (%v), want the one miss xqzv", events, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(hs.URL+"/health/")); err != nil {
		t.Fatal(err)
	}
	until(t, bctx, "the health page lists the miss", `[...document.querySelectorAll("#misses .miss-query")].map(q => q.textContent).join() === "xqzv"`)
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("misses").scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, bctx, "serve-health-misses")
}
