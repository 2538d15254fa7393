package themes_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/playbook-sales/playbook/builder"
)

// buildSample builds the repository's sample knowledge base (content/) for
// a host under basePath and serves public/ with a plain static file server:
// the static search must work with no server of ours.
func buildSample(t *testing.T) string {
	t.Helper()
	dest := buildSamplePublic(t)
	mux := http.NewServeMux()
	mux.Handle(basePath, http.StripPrefix(strings.TrimSuffix(basePath, "/"), http.FileServer(http.Dir(dest))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + basePath
}

// buildSamplePublic builds the sample knowledge base for a host under
// basePath and returns its output folder.
func buildSamplePublic(t *testing.T) string {
	t.Helper()
	site, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	o := builder.Options{Site: site, Dest: dest, Now: now, BaseURL: "https://kb.example.com" + basePath}
	if _, err := builder.Build(context.Background(), o); err != nil {
		t.Fatalf("build sample: %v", err)
	}
	return dest
}

// TestStaticSearchInBrowser: on the sample site hosted under a sub-path, a
// rep types a few Chinese characters in the header box, the right page is
// first in the instant results, and clicking it lands on it; the results
// page reads ?q=, filters by type, and shows queries and snippets escaped.
func TestStaticSearchInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSample(t)
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")

	t.Run("type a Chinese query on a phone, click the first hit", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
		open(t, ctx, site+"cases/")
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-q")), chromedp.SendKeys(chromedp.CSS("#search-q"), "太贵"))
		answered(t, ctx, inBox, "太贵")
		first := eval[string](t, ctx, `document.querySelector("#search-pop a.hit .hit-title").textContent`)
		if !strings.HasPrefix(first, "价格异议处理") {
			t.Errorf("first hit for 太贵 = %q, want 价格异议处理…", first)
		}
		marked := eval[string](t, ctx, `[...document.querySelectorAll("#search-pop a.hit")][0].querySelector(".hit-snippet mark")?.textContent || ""`)
		if !strings.Contains(marked, "贵") {
			t.Errorf("the first snippet marks %q, want the typed 贵", marked)
		}
		checkNoOverflow(t, ctx, "instant results at 390px")
		screenshot(t, ctx, shots, "search-phone")
		href := eval[string](t, ctx, `document.querySelector("#search-pop a.hit").getAttribute("href")`)
		if href != basePath+"scripts/price-objection/#h-track" {
			t.Errorf("the first hit links to %s, want the script at its talk track under the site's path %s", href, basePath)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-pop a.hit")))
		pollNav(t, ctx, `location.pathname + location.hash === "`+href+`" && document.readyState === "complete"`)
		h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`)
		if !strings.Contains(h1, "价格异议处理") {
			t.Errorf("landed on a page titled %q", h1)
		}
	})

	t.Run("slash focuses the search box", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(1280, 900))
		open(t, ctx, site)
		// one keyDown with its text, as a real key press (chromedp.KeyEvent
		// sends a separate char event that no page can cancel)
		slash := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
				p := input.DispatchKeyEventParams{Type: typ, Key: "/", Code: "Slash", WindowsVirtualKeyCode: 191, NativeVirtualKeyCode: 191}
				if typ == input.DispatchKeyEventTypeKeyDown {
					p.Text, p.UnmodifiedText = "/", "/"
				}
				if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
					return err
				}
			}
			return nil
		})
		do(t, ctx, slash)
		focused := eval[string](t, ctx, `document.activeElement && document.activeElement.id`)
		if focused != "search-q" {
			t.Errorf("after /, focus is on %q, want the search box", focused)
		}
		if v := eval[string](t, ctx, `document.querySelector("#search-q").value`); v != "" {
			t.Errorf("the / was typed into the box: %q", v)
		}
	})

	t.Run("results page with a type facet", func(t *testing.T) {
		open(t, ctx, site+"search/?q="+url.QueryEscape("续约"))
		answered(t, ctx, onPage, "续约")
		if v := eval[string](t, ctx, `document.querySelector("#search-q").value`); v != "续约" {
			t.Errorf("the box shows %q, want the query of the URL", v)
		}
		total := eval[int](t, ctx, `document.querySelectorAll(".search-results a.hit").length`)
		do(t, ctx, chromedp.Click(chromedp.CSS(`.search-results .chip[data-type="case"]`)))
		answered(t, ctx, onPage, "续约")
		if !eval[bool](t, ctx, `document.querySelector('.search-results .chip[data-type="case"]')?.getAttribute("aria-pressed") === "true"`) {
			t.Error("the case chip is not pressed after the tap")
		}
		types := eval[[]string](t, ctx, `[...document.querySelectorAll(".search-results .hit-type")].map(e => e.textContent)`)
		if len(types) == 0 || len(types) >= total {
			t.Errorf("the case facet shows %d of %d hits", len(types), total)
		}
		for _, ty := range types {
			if ty != "案例" {
				t.Errorf("a %q among the cases", ty)
			}
		}
		if q := eval[string](t, ctx, `location.search`); !strings.Contains(q, "type=case") {
			t.Errorf("the URL %q does not keep the facet", q)
		}
		screenshot(t, ctx, shots, "search-results")
		for _, href := range eval[[]string](t, ctx, `[...document.querySelectorAll(".search-results a.hit")].map(a => a.getAttribute("href"))`) {
			if !strings.HasPrefix(href, basePath) {
				t.Errorf("hit link %s is outside the site's path %s", href, basePath)
			}
		}
	})

	t.Run("results page on a phone", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
		open(t, ctx, site+"search/?q="+url.QueryEscape("价格 谈判"))
		answered(t, ctx, onPage, "价格 谈判")
		if n := eval[int](t, ctx, `document.querySelectorAll(".search-stages .chip").length`); n == 0 {
			t.Error("no stage facets on the results page")
		}
		checkNoOverflow(t, ctx, "results page at 390px")
		screenshot(t, ctx, shots, "search-results-phone")
	})

	t.Run("a question no page holds word for word finds close matches, labelled", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(1280, 900))
		open(t, ctx, site+"search/?q="+url.QueryEscape("客户说贵怎么办"))
		answered(t, ctx, onPage, "客户说贵怎么办")
		note := eval[string](t, ctx, `document.querySelector(".search-results .search-relaxed")?.textContent || ""`)
		if note != "没有完全匹配的结果，以下是相近内容" {
			t.Errorf("the relaxed results say %q", note)
		}
		first := eval[string](t, ctx, `document.querySelector(".search-results a.hit .hit-title").textContent`)
		if !strings.HasPrefix(first, "价格异议处理") {
			t.Errorf("first hit for 客户说贵怎么办 = %q, want 价格异议处理…", first)
		}
		marked := eval[[]string](t, ctx, `[...document.querySelectorAll(".search-results a.hit")][0].querySelectorAll(".hit-snippet mark").length ? [...[...document.querySelectorAll(".search-results a.hit")][0].querySelectorAll(".hit-snippet mark")].map(m => m.textContent) : []`)
		for _, m := range marked {
			if m != "贵" {
				t.Errorf("the snippet marks %q; want only what matched, 贵", m)
			}
		}
		if len(marked) == 0 {
			t.Error("the snippet marks nothing")
		}
		screenshot(t, ctx, shots, "search-relaxed")
		open(t, ctx, site+"search/?q="+url.QueryEscape("太贵"))
		answered(t, ctx, onPage, "太贵")
		if n := eval[int](t, ctx, `document.querySelectorAll(".search-results .search-relaxed").length`); n != 0 {
			t.Error("a query with enough pages holding every word is labelled relaxed")
		}
	})

	t.Run("queries are escaped", func(t *testing.T) {
		evil := `<img src=x onerror="window.pwned=1">价格 "<b>`
		open(t, ctx, site+"search/?q="+url.QueryEscape(evil))
		answered(t, ctx, onPage, evil)
		if n := eval[int](t, ctx, `document.querySelectorAll(".search-results img, .search-results b, .search-results script").length`); n != 0 {
			t.Errorf("%d elements injected by the query", n)
		}
		if eval[bool](t, ctx, `window.pwned === 1`) {
			t.Error("the query ran script")
		}
	})
}

// pollNav waits for js to be true across a navigation, when the page's
// context comes and goes.
func pollNav(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			at, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
			t.Fatalf("waiting for %s at %s: %v", js, at, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
